package settings

import (
	"context"
	"strconv"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/calendars"
	"github.com/sellercenter/sellercenter/views"
)

// ReceptionData is the 接待时间 page: the form as stored or as typed, with
// its totals (calendars.Totals of Form).
type ReceptionData struct {
	Form        calendars.ReceptionInput
	DayMinutes  [7]int
	WeekMinutes int
	FullDays    int
	Set         bool
	Stored      calendars.Reception
	Err         *models.ValidationError
}

// receptionDays is the weekday order of the form: Monday first.
var receptionDays = []int{1, 2, 3, 4, 5, 6, 0}

// CommonZones are suggested in the zone field; any IANA name is accepted.
var CommonZones = []string{"Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Singapore", "Asia/Tokyo",
	"Asia/Seoul", "Asia/Kolkata", "Asia/Dubai", "Europe/London", "Europe/Berlin", "Europe/Moscow",
	"America/New_York", "America/Chicago", "America/Los_Angeles", "America/Sao_Paulo", "Australia/Sydney", "UTC"}

// rowsFor is the day's ranges plus blank rows to type new ones into.
func rowsFor(d ReceptionData, wd int) []calendars.RangeText {
	rs := append([]calendars.RangeText(nil), d.Form.Days[wd]...)
	for len(rs) < calendars.MaxRanges && (len(rs) < 2 || len(rs) == len(d.Form.Days[wd])) {
		rs = append(rs, calendars.RangeText{})
	}
	return rs
}

func duration(ctx context.Context, minutes int) string {
	return views.T(ctx, "calendars.duration", "H", minutes/60, "M", minutes%60)
}

func dayField(wd int) string { return "day_" + strconv.Itoa(wd) }

func fieldName(prefix string, wd int) string { return prefix + "_" + strconv.Itoa(wd) }

func weekTotal(ctx context.Context, d ReceptionData) string {
	return views.T(ctx, "calendars.reception.weekly_total", "Total", duration(ctx, d.WeekMinutes), "Days", d.FullDays)
}
