// Package supervision is 服务监管 and 服务监管申诉: one flow per supervised
// order line through the nodes of models.SupNode, the buyer's actions (from
// the marketplace's intake or the buyer pages), the merchant's, appeals that
// freeze a flow and pause its timers, and the operations managers' rulings.
// Every timer is an instant stored in an indexed column, fired by a River
// job at that instant and by a periodic sweep as a safety net, like demands.
package supervision

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/jobs"
)

// Holidays is the installation's holiday calendar (models/calendars).
type Holidays = bizclock.Holidays

// Core is what the provisioning core does for a flow, inside the flow's
// transaction: a line's status moves through the core's own rule (which
// keeps the order's summary in step), and calls to the merchant endpoint
// are queued there, never sent inside the transaction.
// provisioning.Service implements it.
type Core interface {
	// MoveLineTx moves the order line to a status through the line table.
	MoveLineTx(tx *gorm.DB, lineID int64, to models.LineStatus, reason string) error
	// RefreshExpiryTx queues refreshInstance with the line's (new) expiry
	// for the instance the line created, if any.
	RefreshExpiryTx(tx *gorm.DB, lineID int64) error
	// ReleaseLineTx queues releaseInstance for the instance the line
	// created, if any.
	ReleaseLineTx(tx *gorm.DB, lineID int64) error
}

// Invoiced tells which lines have an invoice (the old 365-day rule accepts
// those and unsubscribes the others); models/invoices in production, and
// without it no line is invoiced.
type Invoiced interface {
	Invoiced(ctx context.Context, lineIDs []int64) (map[int64]bool, error)
}

type noInvoices struct{}

func (noInvoices) Invoiced(context.Context, []int64) (map[int64]bool, error) {
	return map[int64]bool{}, nil
}

// Config tunes the service; zero values take the defaults.
type Config struct {
	// Dir holds the documents (created if missing), outside the web root.
	Dir string
	// MaxFile is the largest document accepted (default 10 MiB).
	MaxFile int64
	// MaxFiles is how many documents one action may carry (default 10).
	MaxFiles int
	// LicenseAcceptAfter is how long after the license proof the flow is
	// accepted automatically (default: at once, by the next timer run).
	LicenseAcceptAfter time.Duration
}

// DefaultMaxFile is the document size limit.
const DefaultMaxFile = 10 << 20

func (c Config) withDefaults() Config {
	if c.MaxFile <= 0 {
		c.MaxFile = DefaultMaxFile
	}
	if c.MaxFiles <= 0 {
		c.MaxFiles = 10
	}
	return c
}

// Timer kinds: what a timer does when its instant comes.
const (
	TimerSLA          = "sla"           // delivery SLA overdue → flag and notify
	TimerAccept       = "auto_accept"   // hardware 10 days after signing, license after proof
	TimerWarn         = "long_running"  // 180 days unaccepted, then weekly
	TimerOldRule      = "old_rule"      // the old 365-day rule, when switched on
	TimerAppealWarn   = "appeal_warn"   // 80 % of the ruling window
	TimerAppealDue    = "appeal_due"    // the ruling window ended: escalate
	TimerSummaryFlow0 = "summary"       // the weekly merchant summary (flow id 0)
	timerAppealPrefix = "appeal_"       // appeal timers carry the appeal id
	sysName           = "supervision"   // the system actor's name
	marketplace       = "marketplace"   // the buyer events' actor
	linkPrefix        = "/supervision/" // merchant detail pages
)

// Timer is one instant a flow (its ID), or for appeal timers an appeal,
// must be looked at again.
type Timer = jobs.Timer

// Service is the supervision area.
type Service struct {
	// The timers on River (RiverWorkers, RiverClient, SetQueue, ScheduleTx).
	jobs.TimerArea[timerNames]
	db       *gorm.DB
	clock    bizclock.Clock
	holidays Holidays
	cfg      Config
	core     Core
	invoiced Invoiced
}

// New builds the service; holidays may be nil (the shipped mainland-China
// calendar). Install the timer queue (SetQueue or RiverClient) and the core
// (SetCore) before use.
func New(db *gorm.DB, clock bizclock.Clock, holidays Holidays, cfg Config) (*Service, error) {
	cfg = cfg.withDefaults()
	if cfg.Dir == "" {
		return nil, errors.New("supervision: no document directory")
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("supervision document directory: %w", err)
	}
	if clock == nil {
		return nil, errors.New("supervision: clock is required")
	}
	s := &Service{db: db, clock: clock, holidays: holidays, cfg: cfg, invoiced: noInvoices{}}
	s.TimerArea = jobs.NewTimerArea[timerNames](s.Fire, s.Sweep)
	return s, nil
}

// SetCore installs the provisioning core.
func (s *Service) SetCore(c Core) { s.core = c }

// SetInvoiced installs the invoice lookup of the old 365-day rule.
func (s *Service) SetInvoiced(i Invoiced) { s.invoiced = i }

// Dir is where documents are stored.
func (s *Service) Dir() string { return s.cfg.Dir }

// MaxFile is the document size limit in bytes.
func (s *Service) MaxFile() int64 { return s.cfg.MaxFile }

// now is the current instant to the second: the stored instants are whole
// seconds, so "at the deadline" means the same thing everywhere.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Second) }

func (s *Service) holidaySet(ctx context.Context) (*bizclock.HolidaySet, error) {
	return bizclock.HolidaysOf(ctx, s.holidays)
}

func (s *Service) coreOrErr() (Core, error) {
	if s.core == nil {
		return nil, errors.New("supervision: no provisioning core installed")
	}
	return s.core, nil
}

func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return models.ErrNotFound
	}
	return err
}

// conflict is a refused action: the flow is not in a state that allows it.
func conflict(m models.Msg) error { return &models.ConflictError{Msg: m} }

// ErrAppealOpen is the refusal of any node action while an appeal is open;
// it is a *models.ConflictError with its own message.
func appealOpen() error { return conflict(models.M("supervision.err.appeal_open")) }

// IsAppealOpen reports whether err is the refusal of an action because an
// appeal is open.
func IsAppealOpen(err error) bool {
	var ce *models.ConflictError
	return errors.As(err, &ce) && ce.Msg.ID == "supervision.err.appeal_open"
}

func link(id int64) string { return fmt.Sprintf("%s%d", linkPrefix, id) }
