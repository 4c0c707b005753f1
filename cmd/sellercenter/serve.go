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

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/calendars"
	"github.com/sellercenter/sellercenter/models/db"
	"github.com/sellercenter/sellercenter/models/debugger"
	"github.com/sellercenter/sellercenter/models/demands"
	"github.com/sellercenter/sellercenter/models/demo"
	"github.com/sellercenter/sellercenter/models/exports"
	"github.com/sellercenter/sellercenter/models/interfacelog"
	"github.com/sellercenter/sellercenter/models/notify"
	"github.com/sellercenter/sellercenter/models/orders"
	"github.com/sellercenter/sellercenter/models/overview"
	"github.com/sellercenter/sellercenter/models/provisioning"
	"github.com/sellercenter/sellercenter/models/tickets"
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

	_, statErr := os.Stat(*dbPath)
	demoMode := demoFlag.v || (!demoFlag.set && errors.Is(statErr, iofs.ErrNotExist))
	a, err := openApp(ctx, *dbPath, stderr, appOptions{allowPrivate: demoMode, selfHosts: selfHosts(*addr)})
	if err != nil {
		return report(stderr, err)
	}
	defer a.Close()
	logger.Info("database ready", "path", *dbPath, "schema", a.migrated.ToVersion, "new", a.migrated.WasNew)

	seeded := false
	if demoMode {
		if seeded, err = seedDemoOnce(ctx, a); err != nil {
			return report(stderr, err)
		}
	}
	if demoMode || a.demo {
		// The sandboxes log every call at info; the demo shows warnings only.
		sbLog := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
		sb, err := demo.StartSandboxes(*dbPath, time.Now, sbLog)
		if err != nil {
			return report(stderr, err)
		}
		defer sb.Close()
		if err := sb.PointEndpoints(ctx, a.db.Gorm); err != nil {
			return report(stderr, err)
		}
		logger.Info("demo sandboxes", "acme", sb.URLs["acme"], "globex", sb.URLs["globex"])
	}

	// Export files live next to the database unless SELLERCENTER_EXPORT_DIR
	// names a (shared) directory.
	exp, err := exports.New(a.db.Gorm, bizclock.System, exports.Config{Dir: envOr("SELLERCENTER_EXPORT_DIR", *dbPath+".exports")})
	if err != nil {
		return report(stderr, err)
	}

	// One calendars service for every area: its holiday cache and its change
	// hooks are shared, so an edit reaches every deadline that depends on it.
	cals := calendars.New(a.db.Gorm, bizclock.System)
	// The shipped holiday data goes in now, before any request or job can
	// hold a transaction that the first lazy copy would wait on.
	if err := cals.EnsureShipped(ctx); err != nil {
		return report(stderr, err)
	}
	if seeded {
		if err := demo.SeedReception(ctx, cals); err != nil {
			return report(stderr, err)
		}
	}
	dem := demands.New(a.db.Gorm, bizclock.System, cals)
	cals.OnHolidaysChange(dem.HolidaysHook(calendars.HolidaysTx))
	// Ticket attachments live next to the database unless
	// SELLERCENTER_TICKET_DIR names a (shared) directory: never under the
	// web root, served only through the authorized download route.
	tk, err := tickets.New(a.db.Gorm, bizclock.System, cals, a.vault,
		tickets.Config{Dir: envOr("SELLERCENTER_TICKET_DIR", *dbPath+".tickets")})
	if err != nil {
		return report(stderr, err)
	}
	// Reception hours and holidays are what the deadlines are computed on:
	// a change recomputes the open ones in the same transaction.
	cals.OnReceptionChange(tk.ReceptionHook(cals))
	cals.OnHolidaysChange(tk.HolidaysHook(cals))
	if seeded {
		if err := demo.SeedTickets(ctx, a.db.Gorm, a.vault, cals, tk.Dir()); err != nil {
			return report(stderr, err)
		}
	}

	riverPool, err := db.OpenPool(*dbPath, 2)
	if err != nil {
		return report(stderr, err)
	}
	defer riverPool.Close()
	jobs, err := a.core.StartRiver(ctx, riverPool, provisioning.RiverOptions{Logger: logger, Areas: []provisioning.RiverArea{exp, dem, tk}})
	if err != nil {
		return report(stderr, err)
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		_ = jobs.Stop(sctx)
	}()
	if seeded {
		// The replayed history ends with calls still open; the job runner
		// continues them in real time.
		if _, err := a.core.RescheduleOpen(ctx); err != nil {
			return report(stderr, err)
		}
		if _, err := dem.RescheduleOpen(ctx); err != nil {
			return report(stderr, err)
		}
	}
	if demoMode {
		printLogins(stdout)
	}

	// The debugger's test calls may reach exactly what the core's calls may:
	// the same private-endpoint policy openApp gave the core.
	envPrivate, _, _ := envBool("SELLERCENTER_ALLOW_PRIVATE_ENDPOINTS")
	dbg := debugger.New(a.db.Gorm, bizclock.System, a.catalog, debugger.Config{AllowPrivate: demoMode || a.demo || envPrivate})
	notes := notify.Service{DB: a.db.Gorm, Clock: bizclock.System}
	ilog := interfacelog.Service{DB: a.db.Gorm, Clock: bizclock.System}
	srv := &http.Server{
		Addr: *addr,
		Handler: web.New(web.Deps{
			Config:    web.Config{TrustProxy: trustProxy, SecureCookies: secureCookies},
			Logger:    logger,
			Health:    a.db.Ping,
			Accounts:  a.accounts,
			Audit:     audit.Reader{DB: a.db.Gorm},
			Overview:  board(notes, ilog, dem, tk),
			Catalog:   a.catalog,
			Core:      a.core,
			Notify:    notes,
			ILog:      ilog,
			Debugger:  dbg,
			Orders:    orders.Service{DB: a.db.Gorm},
			Reveal:    orders.Revealer{DB: a.db.Gorm, Vault: a.vault, Clock: bizclock.System},
			Exports:   exp,
			Demands:   dem,
			Tickets:   tk,
			Calendars: cals,
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
	// Dial tests (拨测) at 10:00 and 16:00 Asia/Shanghai; each slot is claimed
	// once in the database, so several instances never dial twice.
	go dbg.RunSchedule(ctx, logger)

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

// seedDemoOnce seeds unless the demo data already exists (a restart with
// -demo must not fail or duplicate).
func seedDemoOnce(ctx context.Context, a *app) (bool, error) {
	if a.demo {
		return false, nil
	}
	if _, err := a.accounts.UserByEmail(ctx, demo.Logins[0].Email); err != nil {
		if err := demo.Seed(ctx, a.accounts); err != nil {
			return false, err
		}
	}
	if err := demo.SeedCatalog(ctx, a.db.Gorm, a.catalog); err != nil {
		return false, err
	}
	if err := demo.SeedHistory(ctx, a.db.Gorm, a.vault, a.catalog, a.db.Path); err != nil {
		return false, err
	}
	if err := demo.SeedDemands(ctx, a.db.Gorm); err != nil {
		return false, err
	}
	a.demo = true
	return true, nil
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
func housekeeping(ctx context.Context, a *app, logger *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for startup := true; ; startup = false {
		if err := a.accounts.PurgeExpired(ctx); err != nil && ctx.Err() == nil {
			logger.Warn("purge sessions", "err", err)
		}
		if err := a.db.Optimize(ctx, startup); err != nil && ctx.Err() == nil {
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

// board lists the to-do counters of the overview, in display order.
func board(notes notify.Service, ilog interfacelog.Service, dem *demands.Service, tk *tickets.Service) *overview.Service {
	return overview.New(
		overview.Counter{Key: "failed_calls", Href: "/interface-messages?state=failed", Perm: models.PermInterfaceLog,
			Count: ilog.CallCounter(models.CallFailed)},
		overview.Counter{Key: "retrying_calls", Href: "/interface-messages?state=retrying", Perm: models.PermInterfaceLog,
			Count: ilog.CallCounter(models.CallRetrying)},
		overview.Counter{Key: "pending_demands", Href: "/demands?state=pending", Perm: models.PermDemands,
			Count: dem.PendingCount},
		overview.Counter{Key: "pending_demands_all", Href: "/admin/demands?state=pending", Perm: models.PermAdminDemands,
			Count: dem.PendingCount},
		overview.Counter{Key: "open_tickets", Href: "/tickets?clock=unanswered", Perm: models.PermTickets,
			Count: tk.OpenCounter},
		overview.Counter{Key: "unread_notifications", Href: "/notifications", Perm: models.PermNotifications,
			Count: notes.Unread},
	).AddClocks(overview.ClockSource{Perm: models.PermTickets, List: tk.OverviewClocks},
		overview.ClockSource{Perm: models.PermDemands, List: dem.OverviewClocks})
}
