package demands

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/db"
)

// Holidays is the installation's holiday calendar (models/calendars).
type Holidays interface {
	Holidays(ctx context.Context) (*bizclock.HolidaySet, error)
}

// Timer kinds: what a timer does when its instant comes.
const (
	TimerClose   = "close"   // the deadline: 超时未接收
	TimerRemind3 = "remind3" // 3 days left
	TimerRemind1 = "remind1" // 1 day left
)

// Timer is one instant a demand must be looked at again.
type Timer struct {
	DemandID int64
	Kind     string
	At       time.Time
}

// Queue schedules timers inside the caller's transaction, so a demand and
// its timers exist together or not at all (River in production).
type Queue interface {
	Schedule(ctx context.Context, tx *sql.Tx, timers []Timer) error
}

// Service is the demands service.
type Service struct {
	db       *gorm.DB
	clock    bizclock.Clock
	holidays Holidays
	queue    Queue
}

// New builds the service; holidays may be nil (the shipped mainland-China
// calendar). Install the queue with SetQueue before assigning.
func New(db *gorm.DB, clock bizclock.Clock, holidays Holidays) *Service {
	return &Service{db: db, clock: clock, holidays: holidays}
}

// SetQueue installs the timer queue.
func (s *Service) SetQueue(q Queue) { s.queue = q }

// now is the current instant to the second: the stored instants are whole
// seconds, so "at the deadline" means the same thing everywhere.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Second) }

func (s *Service) holidaySet(ctx context.Context) (*bizclock.HolidaySet, error) {
	if s.holidays == nil {
		return bizclock.MainlandChina(), nil
	}
	return s.holidays.Holidays(ctx)
}

func (s *Service) schedule(tx *gorm.DB, timers []Timer) error {
	if len(timers) == 0 {
		return nil
	}
	if s.queue == nil {
		return errors.New("demands: no timer queue installed")
	}
	t := db.SQLTx(tx)
	if t == nil {
		return errors.New("demands: timers scheduled outside a transaction")
	}
	return s.queue.Schedule(tx.Statement.Context, t, timers)
}

// timersOf are the timers of an open demand still to fire.
func timersOf(d *models.Demand) []Timer {
	ts := []Timer{{d.ID, TimerClose, d.DueAt}}
	if d.Reminded3At == nil {
		ts = append(ts, Timer{d.ID, TimerRemind3, d.Remind3At})
	}
	if d.Reminded1At == nil {
		ts = append(ts, Timer{d.ID, TimerRemind1, d.Remind1At})
	}
	return ts
}

func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return models.ErrNotFound
	}
	return err
}

// merchantOnly is the merchant a merchant user acts for.
func merchantOnly(actor models.Actor) (int64, error) {
	if !actor.Can(models.PermDemands) || actor.MerchantID == 0 {
		return 0, models.ErrForbidden
	}
	return actor.MerchantID, nil
}

// conflict is a refused action: the demand is not in a state that allows it.
func conflict(m models.Msg) error { return &models.ConflictError{Msg: m} }
