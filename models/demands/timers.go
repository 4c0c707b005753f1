package demands

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/jobs"
	"github.com/sellercenter/sellercenter/models/notify"
)

// system is who the timers act as.
var system = models.SystemActor("demands")

// Fire does what a timer of a demand asks, once: at the deadline the
// pending demand closes (超时未接收); at 3 days and 1 day left the merchant
// is reminded. Each is marked in the same transaction, so a repeated or late
// job, or the sweep after it, does nothing. Before its instant by the clock
// it does nothing and returns how long to wait.
//
// The window is recomputed from the assignment with the current holiday
// calendar: when operations has since added days off inside it, the window
// grows (stored instants move later, new timers are scheduled); it never
// shrinks below what the merchant was shown.
func (s *Service) Fire(ctx context.Context, demandID int64, kind string) (wait time.Duration, err error) {
	if kind != TimerClose && kind != TimerRemind3 && kind != TimerRemind1 {
		return 0, fmt.Errorf("demands: unknown timer %q", kind)
	}
	hs, err := s.holidaySet(ctx)
	if err != nil {
		return 0, err
	}
	now := s.now()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var d models.Demand
		if err := tx.Where("id = ?", demandID).Take(&d).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return nil // nothing to do for a demand that is gone
			}
			return err
		}
		if !d.Open() {
			return nil
		}
		if err := s.extend(tx, &d, hs); err != nil {
			return err
		}
		switch kind {
		case TimerClose:
			if now.Before(d.DueAt) {
				wait = d.DueAt.Sub(now)
				return nil
			}
			return s.timeOut(tx, &d, now)
		case TimerRemind3:
			if d.Reminded3At != nil || !now.Before(d.DueAt) {
				return nil
			}
			if now.Before(d.Remind3At) {
				wait = d.Remind3At.Sub(now)
				return nil
			}
			// Past the 1-day reminder too (the service was down): only
			// the later reminder is worth sending.
			notifyToo := d.Reminded1At == nil && now.Before(d.Remind1At)
			return s.remind(tx, &d, now, 3, notifyToo)
		default:
			if d.Reminded1At != nil || !now.Before(d.DueAt) {
				return nil
			}
			if now.Before(d.Remind1At) {
				wait = d.Remind1At.Sub(now)
				return nil
			}
			return s.remind(tx, &d, now, 1, true)
		}
	})
	return wait, err
}

// extend moves the stored window later when the recomputed one ends later.
func (s *Service) extend(tx *gorm.DB, d *models.Demand, hs *bizclock.HolidaySet) error {
	w := windowOf(d, hs)
	if !w.Due.After(d.DueAt) {
		return nil
	}
	if err := tx.Model(&models.Demand{}).Where("id = ? AND state = ?", d.ID, models.DemandPending).
		Updates(map[string]any{"due_at": w.Due, "remind3_at": w.Remind3, "remind1_at": w.Remind1}).Error; err != nil {
		return err
	}
	d.DueAt, d.Remind3At, d.Remind1At = w.Due, w.Remind3, w.Remind1
	if err := event(tx, d.ID, s.now(), system, models.DemandEvAssigned, map[string]any{"recomputed": true,
		"due_at": w.Due}); err != nil {
		return err
	}
	return s.ScheduleTx(tx, timersOf(d))
}

func (s *Service) timeOut(tx *gorm.DB, d *models.Demand, now time.Time) error {
	to, err := models.DemandTransition(d.State, models.DemandTimeout)
	if err != nil {
		return err
	}
	res := tx.Model(&models.Demand{}).Where("id = ? AND state = ?", d.ID, d.State).Updates(map[string]any{
		"state": to, "close_reason": models.DemandClosedTimeout, "closed_at": now, "updated_at": now})
	if res.Error != nil || res.RowsAffected == 0 {
		return res.Error
	}
	if err := event(tx, d.ID, now, system, models.DemandEvTimedOut, map[string]any{"due_at": d.DueAt}); err != nil {
		return err
	}
	if err := notify.Write(tx, now, d.MerchantID, notifyInfo, models.M("demands.notify.timed_out", "Title", d.Title),
		link(d.ID)); err != nil {
		return err
	}
	return s.auditDemand(tx, now, system, models.AuditDemandClosed, d, map[string]any{"title": d.Title,
		"reason": models.DemandClosedTimeout})
}

// remind marks the reminder of daysLeft (and, for the last one, the earlier
// one if it never went out) and notifies the merchant unless told not to.
func (s *Service) remind(tx *gorm.DB, d *models.Demand, now time.Time, daysLeft int, send bool) error {
	col := "reminded3_at"
	set := map[string]any{col: now}
	if daysLeft == 1 {
		col = "reminded1_at"
		set = map[string]any{col: now}
		if d.Reminded3At == nil {
			set["reminded3_at"] = now
		}
	}
	res := tx.Model(&models.Demand{}).Where("id = ? AND state = ? AND "+col+" IS NULL", d.ID, models.DemandPending).Updates(set)
	if res.Error != nil || res.RowsAffected == 0 {
		return res.Error
	}
	if !send {
		return nil
	}
	if err := event(tx, d.ID, now, system, models.DemandEvReminded, map[string]any{"days_left": daysLeft}); err != nil {
		return err
	}
	return notify.Write(tx, now, d.MerchantID, notifyAct, models.M("demands.notify.reminder", "Title", d.Title,
		"Days", daysLeft), link(d.ID))
}

// dueQueries find the open demands whose instant of each kind has come,
// closing first (a demand past its deadline gets no reminder).
var dueQueries = jobs.DueQueries{
	{Kind: TimerClose, Table: "demands", Where: "state = 'pending' AND due_at <= ?", Order: "due_at", Index: "demands_due"},
	{Kind: TimerRemind1, Table: "demands", Where: "state = 'pending' AND reminded1_at IS NULL AND remind1_at <= ?",
		Order: "remind1_at", Index: "demands_remind1"},
	{Kind: TimerRemind3, Table: "demands", Where: "state = 'pending' AND reminded3_at IS NULL AND remind3_at <= ?",
		Order: "remind3_at", Index: "demands_remind3"},
}

// DueIDs returns up to limit open demands whose timer of kind is due at now.
func (s *Service) DueIDs(ctx context.Context, kind string, now time.Time, limit int) ([]int64, error) {
	return dueQueries.IDs(s.db.WithContext(ctx), kind, now, limit)
}

// Sweep fires every timer that is due (windows extended since a batch was
// read leave rows due: the rounds are bounded). It returns how many fired.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	return dueQueries.Sweep(ctx, s.db, s.now, nil, s.Fire)
}

// RescheduleOpen schedules the timers of every open demand (after the demo
// history was seeded without a job runner). Timers are idempotent, so a
// timer scheduled twice still fires once.
func (s *Service) RescheduleOpen(ctx context.Context) (int, error) {
	var open []models.Demand
	if err := s.db.WithContext(ctx).Where("state = ?", models.DemandPending).Find(&open).Error; err != nil {
		return 0, err
	}
	if len(open) == 0 {
		return 0, nil
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var ts []Timer
		for i := range open {
			ts = append(ts, timersOf(&open[i])...)
		}
		return s.ScheduleTx(tx, ts)
	})
	return len(open), err
}

// ExtendOpen recomputes every open working-day window with the holiday set
// an edit is about to commit, inside that edit's transaction (the calendar's
// change hook): windows that grew move their stored instants and get new
// timers; none shrinks below what its merchant was shown.
func (s *Service) ExtendOpen(ctx context.Context, tx *gorm.DB, hs *bizclock.HolidaySet) error {
	var open []models.Demand
	if err := tx.WithContext(ctx).Where("state = ? AND window_mode = ?", models.DemandPending, models.WindowWorking).
		Find(&open).Error; err != nil {
		return err
	}
	for i := range open {
		if err := s.extend(tx, &open[i], hs); err != nil {
			return err
		}
	}
	return nil
}

// HolidaysHook is registered with calendars' OnHolidaysChange, read being
// calendars.HolidaysTx: the set is read through the edit's transaction, so
// open windows grow with the edit or not at all. It takes the reader rather
// than importing calendars, as New takes Holidays: tests hand in their own.
func (s *Service) HolidaysHook(read func(*gorm.DB) (*bizclock.HolidaySet, error)) func(context.Context, *gorm.DB) error {
	return func(ctx context.Context, tx *gorm.DB) error {
		hs, err := read(tx)
		if err != nil {
			return err
		}
		return s.ExtendOpen(ctx, tx, hs)
	}
}
