package web

import (
	"context"
	"log/slog"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/app"
	"github.com/sellercenter/sellercenter/models/audit"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/calendars"
	"github.com/sellercenter/sellercenter/models/catalog"
	"github.com/sellercenter/sellercenter/models/debugger"
	"github.com/sellercenter/sellercenter/models/demands"
	"github.com/sellercenter/sellercenter/models/exports"
	"github.com/sellercenter/sellercenter/models/interfacelog"
	"github.com/sellercenter/sellercenter/models/invoices"
	"github.com/sellercenter/sellercenter/models/notify"
	"github.com/sellercenter/sellercenter/models/orders"
	"github.com/sellercenter/sellercenter/models/overview"
	"github.com/sellercenter/sellercenter/models/provisioning"
	"github.com/sellercenter/sellercenter/models/supervision"
	"github.com/sellercenter/sellercenter/models/tickets"
)

// Config are the server's switches.
type Config struct {
	// TrustProxy takes the client address from X-Forwarded-For; only set it
	// behind a proxy that overwrites that header.
	TrustProxy bool
	// SecureCookies forces the Secure flag even when TLS ends at a proxy that
	// does not send X-Forwarded-Proto.
	SecureCookies bool
}

// Options are the server's switches and what it reports to.
type Options struct {
	Config   Config
	Logger   *slog.Logger         // nil: slog.Default()
	Registry *prometheus.Registry // nil: a fresh one
}

// services are what the handlers call: taken from the composition root,
// never built here, so every handler test runs on production's wiring.
type services struct {
	Clock     bizclock.Clock
	Health    func(ctx context.Context) error
	Accounts  *accounts.Service
	Audit     audit.Reader
	Overview  *overview.Service
	Catalog   *catalog.Service
	Core      *provisioning.Service
	Notify    notify.Service
	ILog      interfacelog.Service
	Debugger  *debugger.Service
	Orders    orders.Service
	Reveal    orders.Revealer
	Exports   *exports.Service
	Tickets   *tickets.Service
	Demands   *demands.Service
	Calendars *calendars.Service
	Invoices  *invoices.Service
	// Supervision is 服务监管 and its appeals.
	Supervision *supervision.Service
}

func servicesOf(a *app.App) services {
	return services{Clock: a.Clock, Health: a.DB.Ping, Accounts: a.Accounts, Audit: a.Audit, Overview: a.Overview,
		Catalog: a.Catalog, Core: a.Core, Notify: a.Notify, ILog: a.ILog, Debugger: a.Debugger, Orders: a.Orders,
		Reveal: a.Reveal, Exports: a.Exports, Tickets: a.Tickets, Demands: a.Demands, Calendars: a.Calendars,
		Invoices: a.Invoices, Supervision: a.Supervision}
}

// Server holds the dependencies for handlers.
type Server struct {
	Options
	services
	echo *echo.Echo
}

// New builds the echo instance with every route.
func New(a *app.App, o Options) *echo.Echo {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Registry == nil {
		o.Registry = prometheus.NewRegistry()
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	s := &Server{Options: o, services: servicesOf(a), echo: e}
	if o.Config.TrustProxy {
		e.IPExtractor = echo.ExtractIPFromXFFHeader()
	} else {
		e.IPExtractor = echo.ExtractIPDirect()
	}
	e.HTTPErrorHandler = s.handleError
	s.routes()
	return e
}
