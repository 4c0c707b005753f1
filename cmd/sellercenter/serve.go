package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/sellercenter/sellercenter/models/app"
	"github.com/sellercenter/sellercenter/models/db"
	"github.com/sellercenter/sellercenter/models/demo"
	"github.com/sellercenter/sellercenter/web"
)

func serve(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sellercenter", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", envOr("SELLERCENTER_ADDR", ":8080"), "listen address (SELLERCENTER_ADDR)")
	dbPath := fs.String("db", envOr("SELLERCENTER_DB", "./sellercenter.db"), "database: a SQLite file or a postgres:// URL (SELLERCENTER_DB)")
	var demoFlag optionalBool
	fs.Var(&demoFlag, "demo", "seed demo data (SELLERCENTER_DEMO; default: true only for a new SQLite file)")
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

	_, statErr := os.Stat(*dbPath)
	// A new SQLite file starts as the demo; a PostgreSQL database only when asked.
	demoMode := demoFlag.v || (!demoFlag.set && db.EngineOf(*dbPath) == db.SQLite && errors.Is(statErr, iofs.ErrNotExist))
	a, err := openApp(ctx, *dbPath, stderr, appOptions{allowPrivate: demoMode, selfHosts: selfHosts(*addr)})
	if err != nil {
		return report(stderr, err)
	}
	defer a.Close()
	logger.Info("database ready", "engine", a.DB.Engine(), "dsn", db.Redacted(*dbPath), "schema", a.Migrated.ToVersion, "new", a.Migrated.WasNew)

	seeded := false
	if demoMode {
		// The replayed history calls sandboxes on its own clock, quietly.
		if seeded, err = a.SeedDemo(ctx, web.DemoSandboxes(app.FilesBase(*dbPath), slog.New(slog.DiscardHandler))); err != nil {
			return report(stderr, err)
		}
	}
	if a.Demo {
		// The sandboxes log every call at info; the demo shows warnings only.
		sbLog := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
		sb, err := web.DemoSandboxes(app.FilesBase(*dbPath), sbLog)(time.Now)
		if err != nil {
			return report(stderr, err)
		}
		defer sb.Close()
		if err := a.PointDemoEndpoints(ctx, sb.URLs()); err != nil {
			return report(stderr, err)
		}
		logger.Info("demo sandboxes", "acme", sb.URLs()["acme"], "globex", sb.URLs()["globex"])
	}

	jobs, err := a.StartJobs(ctx, logger)
	if err != nil {
		return report(stderr, err)
	}
	defer func() { _ = jobs.Stop() }()
	if seeded {
		// The replayed history ends with calls still open; the job runner
		// continues them in real time.
		if err := a.ResumeDemo(ctx); err != nil {
			return report(stderr, err)
		}
	}
	if demoMode {
		printLogins(stdout)
	}

	srv := &http.Server{
		Addr:              *addr,
		Handler:           web.New(a, web.Options{Config: web.Config{TrustProxy: trustProxy, SecureCookies: secureCookies}, Logger: logger}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	fmt.Fprintf(stdout, "Seller Center listening on %s\n", displayAddr(*addr))

	go housekeeping(ctx, a, logger)
	// Dial tests (拨测) at 10:00 and 16:00 Asia/Shanghai; each slot is claimed
	// once in the database, so several instances never dial twice.
	go a.Debugger.RunSchedule(ctx, logger)

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

// selfHosts are the addresses this server answers on, which no merchant
// endpoint may name.
func selfHosts(addr string) []string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil
	}
	hosts := []string{net.JoinHostPort(host, port)}
	for _, h := range []string{"localhost", "127.0.0.1", "::1"} {
		hosts = append(hosts, net.JoinHostPort(h, port))
	}
	return hosts
}

func printLogins(w io.Writer) {
	fmt.Fprintf(w, "Demo logins (password %s):\n", demo.Password)
	for _, l := range demo.Logins {
		fmt.Fprintf(w, "  %-20s %s\n", l.Email, l.Note)
	}
}

// housekeeping purges expired sessions and old login attempts hourly, and
// keeps the query planner's statistics fresh (checked in full at start,
// which analyzes the tables and indexes a migration added).
func housekeeping(ctx context.Context, a *app.App, logger *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for startup := true; ; startup = false {
		if err := a.Accounts.PurgeExpired(ctx); err != nil && ctx.Err() == nil {
			logger.Warn("purge sessions", "err", err)
		}
		if err := a.DB.Optimize(ctx, startup); err != nil && ctx.Err() == nil {
			logger.Warn("optimize database", "err", err)
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
