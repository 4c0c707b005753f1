package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/sellercenter/sellercenter/models/audit"
	"github.com/sellercenter/sellercenter/models/demo"
	"github.com/sellercenter/sellercenter/models/overview"
	"github.com/sellercenter/sellercenter/web"
)

func serve(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sellercenter", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", envOr("SELLERCENTER_ADDR", ":8080"), "listen address (SELLERCENTER_ADDR)")
	dbPath := fs.String("db", envOr("SELLERCENTER_DB", "./sellercenter.db"), "SQLite database file (SELLERCENTER_DB)")
	var demoFlag optionalBool
	fs.Var(&demoFlag, "demo", "seed demo data (SELLERCENTER_DEMO; default: true only for a new database)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "sellercenter: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if !demoFlag.set {
		v, ok, err := envBool("SELLERCENTER_DEMO")
		if err != nil {
			fmt.Fprintln(stderr, "sellercenter:", err)
			return exitUsage
		}
		demoFlag = optionalBool{set: ok, v: v}
	}
	trustProxy, _, err := envBool("SELLERCENTER_TRUST_PROXY")
	if err != nil {
		fmt.Fprintln(stderr, "sellercenter:", err)
		return exitUsage
	}
	secureCookies, _, err := envBool("SELLERCENTER_SECURE_COOKIES")
	if err != nil {
		fmt.Fprintln(stderr, "sellercenter:", err)
		return exitUsage
	}

	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	a, err := openApp(ctx, *dbPath)
	if err != nil {
		return report(stderr, err)
	}
	defer a.Close()
	logger.Info("database ready", "path", *dbPath, "schema", a.migrated.ToVersion, "new", a.migrated.WasNew)

	demoMode := demoFlag.v || (!demoFlag.set && a.migrated.WasNew)
	if demoMode {
		if err := seedDemoOnce(ctx, a); err != nil {
			return report(stderr, err)
		}
		printLogins(stdout)
	}

	srv := &http.Server{
		Addr: *addr,
		Handler: web.New(web.Deps{
			Config:   web.Config{TrustProxy: trustProxy, SecureCookies: secureCookies},
			Logger:   logger,
			Health:   a.db.Ping,
			Accounts: a.accounts,
			Audit:    audit.Reader{DB: a.db.Gorm},
			Overview: overview.New(),
		}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	fmt.Fprintf(stdout, "Seller Center listening on %s\n", displayAddr(*addr))

	go housekeeping(ctx, a, logger)

	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(stderr, "sellercenter:", err)
			return exitFail
		}
	case <-ctx.Done():
		logger.Info("shutting down")
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			logger.Error("shutdown", "err", err)
			return exitFail
		}
	}
	return exitOK
}

// seedDemoOnce seeds unless the demo logins already exist (a restart with
// -demo must not fail or duplicate).
func seedDemoOnce(ctx context.Context, a *app) error {
	if _, err := a.accounts.UserByEmail(ctx, demo.Logins[0].Email); err == nil {
		return nil
	}
	return demo.Seed(ctx, a.accounts)
}

func printLogins(w io.Writer) {
	fmt.Fprintf(w, "Demo logins (password %s):\n", demo.Password)
	for _, l := range demo.Logins {
		fmt.Fprintf(w, "  %-20s %s\n", l.Email, l.Note)
	}
}

// housekeeping purges expired sessions and old login attempts hourly.
func housekeeping(ctx context.Context, a *app, logger *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if err := a.accounts.PurgeExpired(ctx); err != nil && ctx.Err() == nil {
			logger.Warn("purge sessions", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func displayAddr(addr string) string {
	if len(addr) > 0 && addr[0] == ':' {
		return "http://localhost" + addr
	}
	return "http://" + addr
}

// optionalBool is a bool flag that knows whether it was given.
type optionalBool struct{ set, v bool }

func (b *optionalBool) String() string {
	if b == nil || !b.set {
		return ""
	}
	return fmt.Sprint(b.v)
}

func (b *optionalBool) Set(s string) error {
	v, err := parseBool(s)
	if err != nil {
		return err
	}
	b.set, b.v = true, v
	return nil
}

func (b *optionalBool) IsBoolFlag() bool { return true }
