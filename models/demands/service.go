package demands

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/jobs"
)

// Holidays is the installation's holiday calendar (models/calendars).
type Holidays = bizclock.Holidays

// Timer kinds: what a timer does when its instant comes.
const (
	TimerClose   = "close"   // the deadline: 超时未接收
	TimerRemind3 = "remind3" // 3 days left
	TimerRemind1 = "remind1" // 1 day left
)

// Timer is one instant a demand (its ID) must be looked at again.
type Timer = jobs.Timer

// Queue schedules timers inside the caller's transaction, so a demand and
// its timers exist together or not at all (River in production).
type Queue = jobs.TimerQueue

// Service is the demands service.
type Service struct {
	// The timers on River (RiverWorkers, RiverClient, SetQueue, ScheduleTx).
	jobs.TimerArea[timerNames]
	db       *gorm.DB
	clock    bizclock.Clock
	holidays Holidays
}

// New builds the service; holidays may be nil (the shipped mainland-China
// calendar). Install the queue with SetQueue before assigning.
func New(db *gorm.DB, clock bizclock.Clock, holidays Holidays) *Service {
	s := &Service{db: db, clock: clock, holidays: holidays}
	s.TimerArea = jobs.NewTimerArea[timerNames](s.Fire, s.Sweep)
	return s
}

// now is the current instant to the second: the stored instants are whole
// seconds, so "at the deadline" means the same thing everywhere.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Second) }

func (s *Service) holidaySet(ctx context.Context) (*bizclock.HolidaySet, error) {
	return bizclock.HolidaysOf(ctx, s.holidays)
}

// timersOf are the timers of an open demand still to fire.
func timersOf(d *models.Demand) []Timer {
	ts := []Timer{{ID: d.ID, Kind: TimerClose, At: d.DueAt}}
	if d.Reminded3At == nil {
		ts = append(ts, Timer{ID: d.ID, Kind: TimerRemind3, At: d.Remind3At})
	}
	if d.Reminded1At == nil {
		ts = append(ts, Timer{ID: d.ID, Kind: TimerRemind1, At: d.Remind1At})
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
