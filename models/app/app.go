// Package app is the composition root: it opens the database and builds every
// service, the job runner and the clock from one Config. The server, every
// CLI subcommand and the web tests build through it, so the wiring tests run
// is the wiring production runs.
package app

import (
	"context"
	"errors"
	"path/filepath"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/audit"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/calendars"
	"github.com/sellercenter/sellercenter/models/catalog"
	"github.com/sellercenter/sellercenter/models/db"
	"github.com/sellercenter/sellercenter/models/debugger"
	"github.com/sellercenter/sellercenter/models/demands"
	"github.com/sellercenter/sellercenter/models/demo"
	"github.com/sellercenter/sellercenter/models/exports"
	"github.com/sellercenter/sellercenter/models/interfacelog"
	"github.com/sellercenter/sellercenter/models/invoices"
	"github.com/sellercenter/sellercenter/models/notify"
	"github.com/sellercenter/sellercenter/models/orders"
	"github.com/sellercenter/sellercenter/models/overview"
	"github.com/sellercenter/sellercenter/models/provisioning"
	"github.com/sellercenter/sellercenter/models/supervision"
	"github.com/sellercenter/sellercenter/models/tickets"
	"github.com/sellercenter/sellercenter/models/vault"
)

// Config is everything the services are built from. cmd fills it from flags
// and the environment; tests fill it with a fake clock and temp dirs.
type Config struct {
	// DSN is the database: a SQLite file path or a postgres:// URL.
	DSN string
	// Vault holds the master key that encrypts secrets at rest (required).
	Vault *vault.Vault
	Clock bizclock.Clock      // nil: bizclock.System
	Hash  accounts.HashParams // zero: accounts.DefaultHashParams
	// AllowPrivate lets merchant endpoints be loopback, private or plain
	// http (SELLERCENTER_ALLOW_PRIVATE_ENDPOINTS); a demo database always
	// may, since its sandboxes listen on loopback.
	AllowPrivate bool
	SelfHosts    []string // this server's own addresses, which no endpoint may name
	// Export files and ticket attachments live next to the database unless
	// these name (shared) directories: never under the web root.
	ExportDir  string
	TicketDir  string
	InvoiceDir string
	// SupervisionDir holds the supervision documents (requirements,
	// deliverables, evidence).
	SupervisionDir string
}

// App is the opened database with every service built on it.
type App struct {
	DB       *db.DB
	Migrated db.MigrateResult
	Clock    bizclock.Clock
	Vault    *vault.Vault
	// Demo tells whether the database holds the demo data (demo mode).
	Demo bool

	Accounts  *accounts.Service
	Catalog   *catalog.Service
	Core      *provisioning.Service
	Calendars *calendars.Service
	Exports   *exports.Service
	Demands   *demands.Service
	Tickets   *tickets.Service
	Invoices  *invoices.Service
	// Supervision is 服务监管 and its appeals.
	Supervision *supervision.Service
	Debugger    *debugger.Service
	Notify      notify.Service
	ILog        interfacelog.Service
	Orders      orders.Service
	Reveal      orders.Revealer
	Audit       audit.Reader
	Overview    *overview.Service
}

// Open opens and migrates the database cfg.DSN names and builds the
// services; every command goes through it, so none can run on a schema it
// does not know.
func Open(ctx context.Context, cfg Config) (*App, error) {
	d, err := db.Open(ctx, cfg.DSN)
	if err != nil {
		return nil, err
	}
	res, err := d.Migrate(ctx)
	if err != nil {
		_ = d.Close()
		return nil, err
	}
	a, err := Build(ctx, d, cfg)
	if err != nil {
		_ = d.Close()
		return nil, err
	}
	a.Migrated = res
	return a, nil
}

// FilesBase is where files live by default, as base + ".exports" and so on:
// beside the SQLite file, or under ./sellercenter-files/ on PostgreSQL (where
// several instances should point the SELLERCENTER_*_DIR settings at one
// shared folder instead).
func FilesBase(dsn string) string {
	if db.EngineOf(dsn) == db.PostgreSQL {
		return filepath.Join("sellercenter-files", "sellercenter")
	}
	return dsn
}

// Build builds every service on a migrated database.
func Build(ctx context.Context, d *db.DB, cfg Config) (*App, error) {
	if cfg.Vault == nil {
		return nil, errors.New("app: no master key")
	}
	if cfg.Clock == nil {
		cfg.Clock = bizclock.System
	}
	if cfg.Hash == (accounts.HashParams{}) {
		cfg.Hash = accounts.DefaultHashParams
	}
	base := FilesBase(d.DSN)
	if cfg.ExportDir == "" {
		cfg.ExportDir = base + ".exports"
	}
	if cfg.TicketDir == "" {
		cfg.TicketDir = base + ".tickets"
	}
	if cfg.InvoiceDir == "" {
		cfg.InvoiceDir = base + ".invoices"
	}
	if cfg.SupervisionDir == "" {
		cfg.SupervisionDir = base + ".supervision"
	}
	isDemo, err := demo.IsDemo(ctx, d.Gorm)
	if err != nil {
		return nil, err
	}
	// The core's and the debugger's calls may reach exactly the same hosts.
	allowPrivate := cfg.AllowPrivate || isDemo
	g, clock, v := d.Gorm, cfg.Clock, cfg.Vault
	a := &App{DB: d, Clock: clock, Vault: v, Demo: isDemo}
	a.Accounts = accounts.New(g, clock, cfg.Hash, accounts.DefaultLimits)
	a.Catalog = catalog.New(g, clock, v, catalog.URLPolicy{AllowPrivate: allowPrivate, SelfHosts: cfg.SelfHosts})
	a.Core = provisioning.New(g, clock, v, a.Catalog, provisioning.Config{AllowPrivate: allowPrivate})
	// Resuming a suspended merchant plans its waiting calls again, in the
	// same transaction, without counting the suspension against their window.
	a.Accounts.OnResume(a.Core.ResumeMerchantTx)
	a.Debugger = debugger.New(g, clock, a.Catalog, debugger.Config{AllowPrivate: allowPrivate})
	if a.Exports, err = exports.New(g, clock, exports.Config{Dir: cfg.ExportDir}); err != nil {
		return nil, err
	}

	// One calendars service for every area: its holiday cache and its change
	// hooks are shared, so an edit reaches every deadline that depends on it.
	a.Calendars = calendars.New(g, clock)
	// The shipped holiday data goes in now, before any request or job can
	// hold a transaction that the first lazy copy would wait on.
	if err := a.Calendars.EnsureShipped(ctx); err != nil {
		return nil, err
	}
	a.Demands = demands.New(g, clock, a.Calendars)
	a.Calendars.OnHolidaysChange(a.Demands.HolidaysHook(calendars.HolidaysTx))
	if a.Tickets, err = tickets.New(g, clock, a.Calendars, v, tickets.Config{Dir: cfg.TicketDir}); err != nil {
		return nil, err
	}
	// Reception hours and holidays are what the deadlines are computed on:
	// a change recomputes the open ones in the same transaction.
	a.Calendars.OnReceptionChange(a.Tickets.ReceptionHook(a.Calendars))
	a.Calendars.OnHolidaysChange(a.Tickets.HolidaysHook(a.Calendars))

	// Invoices hear of refunds inside the core's transaction that applies
	// them, so an issued invoice is flagged 需退票 with the refund or not at all;
	// they bill a line only past supervision's settlement gate.
	if a.Invoices, err = invoices.New(g, clock, a.Calendars, invoices.Config{Dir: cfg.InvoiceDir, Gate: supervision.Gate{}}); err != nil {
		return nil, err
	}
	a.Core.SetRefundHook(a.Invoices)

	// A supervised line's flow starts inside the core's transaction that
	// moves the line to supervising; the flow ends its line through the core.
	if a.Supervision, err = supervision.New(g, clock, a.Calendars, supervision.Config{Dir: cfg.SupervisionDir}); err != nil {
		return nil, err
	}
	a.Supervision.SetCore(a.Core)
	a.Core.OnSupervising(a.Supervision.StartTx)
	// The old 365-day rule accepts invoiced lines and unsubscribes the rest.
	a.Supervision.SetInvoiced(a.Invoices)

	a.Notify = notify.New(g, clock)
	// The read-only lists (and the exports that walk them) read from the
	// replicas when SELLERCENTER_DB_REPLICAS names any: marketplace traffic,
	// not the reader's own writes, fills them, so a moment's lag is harmless.
	reads := db.ListReads(g)
	a.ILog = interfacelog.New(reads, clock)
	a.Orders = orders.New(reads)
	a.Reveal = orders.NewRevealer(g, v, clock)
	a.Audit = audit.NewReader(reads)
	a.Overview = a.board()
	return a, nil
}

// Close closes the database.
func (a *App) Close() error { return a.DB.Close() }

// invoiceCount is one figure of the invoices' to-do counts.
func (a *App) invoiceCount(pick func(invoices.Counts) int64) func(context.Context, models.Actor) (int64, error) {
	return func(ctx context.Context, actor models.Actor) (int64, error) {
		c, err := a.Invoices.Counts(ctx, actor)
		return pick(c), err
	}
}

// board lists the to-do counters of the overview, in display order.
func (a *App) board() *overview.Service {
	counters := []overview.Counter{
		overview.Counter{Key: "failed_calls", Link: models.LinkFiltered(models.ScreenInterfaceMessages, "state", string(models.CallFailed)), Perm: models.PermInterfaceLog,
			Count: a.ILog.CallCounter(models.CallFailed)},
		overview.Counter{Key: "retrying_calls", Link: models.LinkFiltered(models.ScreenInterfaceMessages, "state", string(models.CallRetrying)), Perm: models.PermInterfaceLog,
			Count: a.ILog.CallCounter(models.CallRetrying)},
		overview.Counter{Key: "pending_demands", Link: models.LinkFiltered(models.ScreenDemands, "state", string(models.DemandPending)), Perm: models.PermDemands,
			Count: a.Demands.PendingCount},
		overview.Counter{Key: "pending_demands_all", Link: models.LinkFiltered(models.ScreenAdminDemands, "state", string(models.DemandPending)), Perm: models.PermAdminDemands,
			Count: a.Demands.PendingCount},
		overview.Counter{Key: "open_tickets", Link: models.LinkFiltered(models.ScreenTickets, "clock", string(tickets.ClockUnanswered)), Perm: models.PermTickets,
			Count: a.Tickets.OpenCounter},
		overview.Counter{Key: "invoices_pending", Link: models.LinkFiltered(models.ScreenInvoices, "status", string(models.InvoicePending)), Perm: models.PermInvoicesView,
			Count: a.invoiceCount(func(c invoices.Counts) int64 { return c.Pending })},
		overview.Counter{Key: "invoices_needs_return", Link: models.LinkFiltered(models.ScreenInvoices, "needs_return", "1"), Perm: models.PermInvoicesView,
			Count: a.invoiceCount(func(c invoices.Counts) int64 { return c.NeedsReturn })},
		overview.Counter{Key: "invoices_overdue", Link: models.LinkFiltered(models.ScreenInvoices, "overdue", "1"), Perm: models.PermInvoicesView,
			Count: a.invoiceCount(func(c invoices.Counts) int64 { return c.Overdue })},
		overview.Counter{Key: "unread_notifications", Link: models.Link{To: models.ScreenNotifications}, Perm: models.PermNotifications,
			Count: a.Notify.Unread},
	}
	counters = append(counters, a.Supervision.OverviewCounters()...)
	return overview.New(counters...).AddClocks(overview.ClockSource{Perm: models.PermTickets, List: a.Tickets.OverviewClocks},
		overview.ClockSource{Perm: models.PermDemands, List: a.Demands.OverviewClocks},
		overview.ClockSource{Perm: models.PermAdminAppeals, List: a.Supervision.OverviewClocks}).
		WithFigures(a.DB.Gorm, a.Clock, a.Invoices.Money)
}
