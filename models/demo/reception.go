package demo

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/calendars"
)

// SeedReception sets the demo merchants' reception hours (DESIGN.md §4):
// Acme Monday–Friday 09:00–12:00 and 13:30–18:30 on the mainland holiday
// calendar, Globex every day 08:00–20:00; both Asia/Shanghai.
func SeedReception(ctx context.Context, db *gorm.DB, cal *calendars.Service) error {
	sys := models.SystemActor("demo")
	acme := calendars.ReceptionInput{Receiving: true, TimeZone: "Asia/Shanghai", FollowsHolidays: true}
	for wd := time.Monday; wd <= time.Friday; wd++ {
		acme.Days[wd] = []calendars.RangeText{{From: "09:00", To: "12:00"}, {From: "13:30", To: "18:30"}}
	}
	// Globex answers every day of the year: the holiday calendar does not close it.
	globex := calendars.ReceptionInput{Receiving: true, TimeZone: "Asia/Shanghai", FollowsHolidays: false}
	for wd := range globex.Days {
		globex.Days[wd] = []calendars.RangeText{{From: "08:00", To: "20:00"}}
	}
	for slug, in := range map[string]calendars.ReceptionInput{"acme": acme, "globex": globex} {
		var m models.Merchant
		if err := db.WithContext(ctx).Where("slug = ?", slug).Take(&m).Error; err != nil {
			return fmt.Errorf("demo merchant %s: %w", slug, err)
		}
		if _, err := cal.SaveReception(ctx, sys, m.ID, in); err != nil {
			return fmt.Errorf("demo reception %s: %w", slug, err)
		}
	}
	return nil
}
