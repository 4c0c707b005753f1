package calendars

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
)

// EnsureShipped copies the shipped holiday data into the database once per
// process (and once per year across the installation's life):
//   - a year the database does not know is copied whole;
//   - a year operations only added single days to gets the shipped days that
//     do not collide with theirs;
//   - a year operations imported is left alone;
//   - a shipped prediction nobody edited is replaced when a release ships
//     the confirmed dates.
//
// It writes, through the one write connection: call EnsureShipped at
// startup, before anything can hold a transaction; otherwise the first
// Holidays or ForMerchant call does it, and must not come from inside a
// transaction of the caller's.
func (s *Service) EnsureShipped(ctx context.Context) error { return s.ensureShipped(ctx) }

func (s *Service) ensureShipped(ctx context.Context) error {
	s.mu.Lock()
	done := s.seeded
	s.mu.Unlock()
	if done {
		return nil
	}
	f := bizclock.MainlandChinaFile()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		changed := false
		for _, y := range f.Years {
			c, err := seedYear(tx, y, s.now())
			if err != nil {
				return err
			}
			changed = changed || c
		}
		if changed {
			return s.runHolidayHooks(ctx, tx)
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.seeded = true
	s.mu.Unlock()
	return nil
}

func seedYear(tx *gorm.DB, y bizclock.HolidayYear, now time.Time) (bool, error) {
	var cur models.HolidayYear
	res := tx.Where("year = ?", y.Year).Limit(1).Find(&cur)
	if res.Error != nil {
		return false, res.Error
	}
	switch {
	case res.RowsAffected == 0:
		row := models.HolidayYear{Year: y.Year, Confirmed: y.Confirmed, Source: y.Source, Note: y.Note,
			Origin: models.HolidayOriginShipped, Shipped: true, Revision: 1, UpdatedAt: now}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
			return false, err
		}
		return true, insertDays(tx, y, now)
	case !cur.Shipped && cur.Origin == models.HolidayOriginEdited:
		if err := insertDays(tx, y, now); err != nil {
			return false, err
		}
		return true, tx.Model(&cur).Updates(map[string]any{"shipped": true, "confirmed": y.Confirmed,
			"source": y.Source, "note": y.Note, "revision": gorm.Expr("revision + 1"), "updated_at": now}).Error
	case !cur.Shipped:
		return false, tx.Model(&cur).Update("shipped", true).Error
	case cur.Origin == models.HolidayOriginShipped && !cur.Confirmed && y.Confirmed:
		if err := tx.Where("year = ?", y.Year).Delete(&models.Holiday{}).Error; err != nil {
			return false, err
		}
		if err := insertDays(tx, y, now); err != nil {
			return false, err
		}
		return true, tx.Model(&cur).Updates(map[string]any{"confirmed": true, "source": y.Source,
			"note": y.Note, "revision": gorm.Expr("revision + 1"), "updated_at": now}).Error
	}
	return false, nil
}

// insertDays adds a year's days, keeping any day already listed (operations'
// entry wins over shipped data).
func insertDays(tx *gorm.DB, y bizclock.HolidayYear, now time.Time) error {
	rows := make([]models.Holiday, 0, len(y.Days))
	for _, d := range y.Days {
		rows = append(rows, models.Holiday{Day: d.Date.String(), Year: y.Year, Kind: d.Kind, Name: d.Name, CreatedAt: now})
	}
	if len(rows) == 0 {
		return nil
	}
	return tx.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(rows, 200).Error
}
