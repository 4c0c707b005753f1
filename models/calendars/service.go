package calendars

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
	_ "time/tzdata" // zones are validated against the same database everywhere, whatever the host has

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
)

// Service is the calendars area. The zero value with DB and Clock set is
// ready; use it by pointer.
type Service struct {
	db    *gorm.DB
	clock bizclock.Clock

	mu       sync.Mutex
	seeded   bool
	holidays *bizclock.HolidaySet
	stamp    [2]int64 // (years, sum of revisions) the cached set was built at

	hookMu         sync.RWMutex
	receptionHooks []func(ctx context.Context, tx *gorm.DB, merchantID int64) error
	holidayHooks   []func(ctx context.Context, tx *gorm.DB) error
}

// New builds the service.
func New(db *gorm.DB, clock bizclock.Clock) *Service {
	return &Service{db: db, clock: clock}
}

func (s *Service) now() time.Time {
	if s.clock == nil {
		return bizclock.System.Now()
	}
	return s.clock.Now().UTC()
}

// OnReceptionChange registers fn to run inside the transaction that saves a
// merchant's reception hours, so deadlines that depend on them are
// recomputed atomically with the change (an error rolls the save back). The
// new calendar is ForMerchantTx(ctx, tx, merchantID): ForMerchant reads
// committed data and would still see the old hours.
func (s *Service) OnReceptionChange(fn func(ctx context.Context, tx *gorm.DB, merchantID int64) error) {
	s.hookMu.Lock()
	s.receptionHooks = append(s.receptionHooks, fn)
	s.hookMu.Unlock()
}

// OnHolidaysChange registers fn to run inside every transaction that edits
// the holiday calendar (an error rolls the edit back). Holidays(ctx) still
// returns the old set until the commit; hooks read the new days through
// HolidaysTx or ForMerchantTx.
func (s *Service) OnHolidaysChange(fn func(ctx context.Context, tx *gorm.DB) error) {
	s.hookMu.Lock()
	s.holidayHooks = append(s.holidayHooks, fn)
	s.hookMu.Unlock()
}

func (s *Service) runReceptionHooks(ctx context.Context, tx *gorm.DB, merchantID int64) error {
	s.hookMu.RLock()
	hooks := s.receptionHooks
	s.hookMu.RUnlock()
	for _, fn := range hooks {
		if err := fn(ctx, tx, merchantID); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) runHolidayHooks(ctx context.Context, tx *gorm.DB) error {
	s.hookMu.RLock()
	hooks := s.holidayHooks
	s.hookMu.RUnlock()
	for _, fn := range hooks {
		if err := fn(ctx, tx); err != nil {
			return err
		}
	}
	return nil
}

// Holidays is the installation's holiday set (shipped data + operations'
// edits). It is cached; one small query per call checks the cache is
// current, so an edit made through any instance is seen by all.
func (s *Service) Holidays(ctx context.Context) (*bizclock.HolidaySet, error) {
	if err := s.ensureShipped(ctx); err != nil {
		return nil, err
	}
	stamp, err := holidayStamp(s.db.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.holidays != nil && s.stamp == stamp {
		h := s.holidays
		s.mu.Unlock()
		return h, nil
	}
	s.mu.Unlock()
	h, err := HolidaysTx(s.db.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.holidays, s.stamp = h, stamp
	s.mu.Unlock()
	return h, nil
}

func holidayStamp(db *gorm.DB) ([2]int64, error) {
	var row struct{ N, Rev int64 }
	err := db.Raw(`SELECT COUNT(*) AS n, COALESCE(SUM(revision), 0) AS rev FROM holiday_years`).Scan(&row).Error
	return [2]int64{row.N, row.Rev}, err
}

// HolidaysTx reads the holiday set as tx sees it (uncached), for hooks that
// run inside an edit's transaction.
func HolidaysTx(tx *gorm.DB) (*bizclock.HolidaySet, error) {
	var rows []models.Holiday
	if err := tx.Order("day").Find(&rows).Error; err != nil {
		return nil, err
	}
	off, work := map[bizclock.Date]string{}, map[bizclock.Date]string{}
	for _, r := range rows {
		d, err := bizclock.ParseDate(r.Day)
		if err != nil {
			return nil, fmt.Errorf("calendars: stored holiday %q: %w", r.Day, err)
		}
		if r.Kind == bizclock.KindOff {
			off[d] = r.Name
		} else {
			work[d] = r.Name
		}
	}
	return bizclock.NewHolidaySet(off, work), nil
}

// ForMerchant is the merchant's reception calendar (its hours and zone, on
// the holiday set when the merchant follows it). ok=false when the merchant
// does not receive tickets (是否接待 = 否) or never set reception hours.
func (s *Service) ForMerchant(ctx context.Context, merchantID int64) (*bizclock.Calendar, bool, error) {
	return s.forMerchant(s.db.WithContext(ctx), merchantID, func() (*bizclock.HolidaySet, error) { return s.Holidays(ctx) })
}

// ForMerchantTx is ForMerchant as tx sees it, uncached: for the
// OnReceptionChange and OnHolidaysChange hooks, which must compute with the
// hours or holidays their transaction is saving, not the committed ones.
func (s *Service) ForMerchantTx(ctx context.Context, tx *gorm.DB, merchantID int64) (*bizclock.Calendar, bool, error) {
	tx = tx.WithContext(ctx)
	return s.forMerchant(tx, merchantID, func() (*bizclock.HolidaySet, error) { return HolidaysTx(tx) })
}

func (s *Service) forMerchant(db *gorm.DB, merchantID int64, holidays func() (*bizclock.HolidaySet, error)) (*bizclock.Calendar, bool, error) {
	var row models.ReceptionSetting
	err := db.Where("merchant_id = ?", merchantID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if !row.Receiving {
		return nil, false, nil
	}
	var hs *bizclock.HolidaySet
	if row.FollowsHolidays {
		if hs, err = holidays(); err != nil {
			return nil, false, err
		}
	}
	cal, err := calendarOf(row, hs)
	if err != nil {
		return nil, false, err
	}
	return cal, true, nil
}

func calendarOf(row models.ReceptionSetting, hs *bizclock.HolidaySet) (*bizclock.Calendar, error) {
	loc, err := loadZone(row.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("calendars: merchant %d: %w", row.MerchantID, err)
	}
	week, err := decodeWeek(row.Week)
	if err != nil {
		return nil, fmt.Errorf("calendars: merchant %d: %w", row.MerchantID, err)
	}
	return bizclock.NewCalendar(loc, week, hs)
}

var zones sync.Map // name → *time.Location

// loadZone resolves an IANA zone name, refusing "Local" (the host's zone is
// not something a merchant can mean) and caching the parsed zone.
func loadZone(name string) (*time.Location, error) {
	if v, ok := zones.Load(name); ok {
		return v.(*time.Location), nil
	}
	if name == "" || name == "Local" || len(name) > 64 {
		return nil, fmt.Errorf("unknown time zone %q", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q", name)
	}
	zones.Store(name, loc)
	return loc, nil
}
