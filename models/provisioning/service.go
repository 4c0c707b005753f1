package provisioning

import (
	"context"
	"database/sql"
	"net/http"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/catalog"
	"github.com/sellercenter/sellercenter/models/db"
	"github.com/sellercenter/sellercenter/models/vault"
	"github.com/sellercenter/sellercenter/web/koogallery"
)

// Policy is how one activity is retried: every Interval until Window has
// passed since the first attempt.
type Policy struct {
	Interval time.Duration
	Window   time.Duration
}

// DefaultPolicies are the seeds' schedules: create every 2 minutes for 2
// hours; order notification for 3 hours; the others for 1 hour.
var DefaultPolicies = map[string]Policy{
	models.ActNewInstance:     {2 * time.Minute, 2 * time.Hour},
	models.ActOrderNotify:     {2 * time.Minute, 3 * time.Hour},
	models.ActRefreshInstance: {2 * time.Minute, time.Hour},
	models.ActExpireInstance:  {2 * time.Minute, time.Hour},
	models.ActUpdateStatus:    {2 * time.Minute, time.Hour},
	models.ActReleaseInstance: {2 * time.Minute, time.Hour},
	models.ActUpgrade:         {2 * time.Minute, time.Hour},
}

// Config tunes the core.
type Config struct {
	Policies map[string]Policy // by logical activity; missing ones use DefaultPolicies
	// PollInterval spaces queryInstance polls after a V2 000004 answer.
	PollInterval time.Duration
	// AllowPrivate lets calls reach loopback and private addresses (demo, tests).
	AllowPrivate bool
}

func (c Config) policy(activity string) Policy {
	if p, ok := c.Policies[activity]; ok {
		return p
	}
	if p, ok := DefaultPolicies[activity]; ok {
		return p
	}
	return Policy{2 * time.Minute, time.Hour}
}

// Scheduler makes a call run at a time, inside the transaction that decided
// it, so a decision and its follow-up are committed together or not at all.
type Scheduler interface {
	Schedule(ctx context.Context, tx *sql.Tx, callID int64, at time.Time) error
}

// Service is the provisioning core.
type Service struct {
	db      *gorm.DB
	writes  *db.Group // the dispatch path's transactions, committed in groups
	pg      bool      // PostgreSQL: sqlRun reads inserted ids with RETURNING
	clock   bizclock.Clock
	vault   *vault.Vault
	catalog *catalog.Service
	cfg     Config
	client  *koogallery.Client
	sched   Scheduler
	refunds RefundHook
	limits  limiter
	// onSupervising starts a line's supervision flow (OnSupervising).
	onSupervising SupervisionStart

	// crashAfterSend, when set (tests), ends RunCall between sending a call
	// and recording its answer, as a killed process would.
	crashAfterSend func() bool
	// afterRead, when set (tests), runs between the attempt's read and its
	// transaction, where another writer may move the call.
	afterRead func()
	// sqlHook, when set (benchmarks), times each statement of the dispatch
	// path that bypasses GORM.
	sqlHook func(query string, d time.Duration)
	// slotHook, when set (benchmarks), gets how long each send held its
	// endpoint's concurrency slot.
	slotHook func(held time.Duration)
}

// New builds the core. sched may be set later with SetScheduler (River
// needs the service to build its workers first).
func New(gdb *gorm.DB, clock bizclock.Clock, v *vault.Vault, cat *catalog.Service, cfg Config) *Service {
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 30 * time.Second
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = catalog.GuardedDialer(cfg.AllowPrivate).DialContext
	tr.MaxIdleConnsPerHost = 16
	// The protocol is HTTP/1.1; a merchant server negotiating h2 must not
	// change how calls are made or logged.
	tr.ForceAttemptHTTP2 = false
	return &Service{
		db: gdb, writes: db.NewGroup(gdb), pg: db.DialectOf(gdb).PostgreSQL(), clock: clock, vault: v, catalog: cat, cfg: cfg,
		client: &koogallery.Client{
			HTTP: &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			}},
			Now: func() time.Time { return clock.Now() },
		},
		limits: newLimiter(gdb, clock),
	}
}

// RefundHook hears of every line the core applies successfully, inside the
// transaction that applies it, so what depends on a refund (an UNSUBSCRIBE,
// a renewal cancellation) commits with it or not at all. Invoices install it
// to flag issued invoices 需退票; it ignores lines that refund nothing.
type RefundHook interface {
	LineRefunded(tx *gorm.DB, line *models.OrderLine, at time.Time) error
}

// SetRefundHook installs the refund hook (models/invoices in production).
func (s *Service) SetRefundHook(h RefundHook) { s.refunds = h }

// SetScheduler installs the scheduler (River in production).
func (s *Service) SetScheduler(sc Scheduler) { s.sched = sc }

func (s *Service) now() time.Time { return s.clock.Now().UTC() }

// newLimiter caps concurrent calls per merchant endpoint: in memory where one
// process owns the database (SQLite), through leases in the database where
// several instances share it (PostgreSQL).
func newLimiter(g *gorm.DB, clock bizclock.Clock) limiter {
	if db.DialectOf(g).PostgreSQL() {
		return newSharedSlots(g, clock.Now)
	}
	return &endpointLimits{sems: map[int64]chan struct{}{}}
}

// endpointLimits caps concurrent calls per merchant endpoint, so one slow
// merchant occupies at most its own slots.
type endpointLimits struct {
	mu   sync.Mutex
	sems map[int64]chan struct{}
}

func (l *endpointLimits) acquire(ctx context.Context, merchantID int64, n int) (func(), error) {
	if n <= 0 {
		n = 4
	}
	l.mu.Lock()
	sem, ok := l.sems[merchantID]
	if !ok || cap(sem) != n {
		sem = make(chan struct{}, n)
		l.sems[merchantID] = sem
	}
	l.mu.Unlock()
	select {
	case sem <- struct{}{}:
		return func() { <-sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// sqlTx returns the database/sql transaction behind a GORM transaction.
func sqlTx(tx *gorm.DB) *sql.Tx { return db.SQLTx(tx) }
