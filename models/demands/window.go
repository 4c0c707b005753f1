package demands

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
	"github.com/sellercenter/sellercenter/models/bizclock"
)

// Window is a demand's timeline: when 3 days and 1 day are left, and the
// deadline.
type Window struct {
	Remind3, Remind1, Due time.Time
}

// WindowOf computes the timeline from the assignment (its instant, the window
// mode and length then in force) through the engine. In working-day mode
// "days left" are working days: 3 days left is 2 working days after the
// assignment.
func WindowOf(assignedAt time.Time, mode string, days int, hs *bizclock.HolidaySet) Window {
	add := func(n int) time.Time {
		if n < 0 {
			n = 0
		}
		if mode == models.WindowWorking {
			// The holiday calendar is the mainland one, whose days are
			// Beijing days.
			return hs.AddWorkingDays(assignedAt, n, bizclock.Shanghai).UTC()
		}
		return bizclock.AddNaturalDays(assignedAt, n).UTC()
	}
	return Window{Remind3: add(days - 3), Remind1: add(days - 1), Due: add(days)}
}

// windowOf recomputes a stored demand's timeline from its history.
func windowOf(d *models.Demand, hs *bizclock.HolidaySet) Window {
	return WindowOf(d.AssignedAt, d.WindowMode, d.WindowDays, hs)
}

// settingKey is the app_settings key of the window mode for new demands.
const settingKey = "demands.window_mode"

// WindowMode is the mode new demands get (natural days unless operations
// chose working days).
func (s *Service) WindowMode(ctx context.Context) (string, error) {
	return windowMode(s.db.WithContext(ctx))
}

func windowMode(tx *gorm.DB) (string, error) {
	var v string
	err := tx.Table("app_settings").Select("value").Where("key = ?", settingKey).Take(&v).Error
	if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && v != models.WindowWorking) {
		return models.WindowNatural, nil
	}
	return v, err
}

// SetWindowMode changes the mode for demands assigned from now on; demands
// already assigned keep the window they were given. Audited.
func (s *Service) SetWindowMode(ctx context.Context, actor models.Actor, mode string) error {
	if !actor.Can(models.PermAdminDemands) {
		return models.ErrForbidden
	}
	if mode != models.WindowNatural && mode != models.WindowWorking {
		v := &models.ValidationError{}
		v.Add("window_mode", models.M("err.enum", "Values", models.WindowNatural+", "+models.WindowWorking))
		return v
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		old, err := windowMode(tx)
		if err != nil {
			return err
		}
		if old == mode {
			return nil
		}
		if err := tx.Exec(`INSERT INTO app_settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, settingKey, mode).Error; err != nil {
			return err
		}
		return audit.Write(tx, s.now(), actor, audit.Event{Action: models.AuditDemandWindowChanged,
			TargetType: "setting", Target: settingKey, Detail: map[string]any{"from": old, "to": mode}})
	})
}
