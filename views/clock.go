package views

import (
	"context"
	"strconv"
	"time"

	"github.com/sellercenter/sellercenter/models"
)

// ClockView is a live deadline as a page shows it: a status, the business
// time left (negative: overdue) and whether it is ticking now.
type ClockView struct {
	Status   models.ClockStatus
	Left     time.Duration
	Ticking  bool
	WarnLeft time.Duration // how much is left when the warning starts
	Response time.Duration // met, late: how long the answer took
}

func clockClass(status models.ClockStatus) string {
	switch status {
	case models.ClockWarning, models.ClockLate:
		return "warn"
	case models.ClockBreached:
		return "bad"
	case models.ClockMet:
		return "ok"
	case models.ClockRunning:
		return "info"
	}
	return ""
}

// clockTime renders the time part of a counting clock (Remaining).
func clockTime(ctx context.Context, c ClockView) string { return Remaining(ctx, c.Left) }

func twoDigits(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

func secs(d time.Duration) string { return strconv.FormatInt(int64(d/time.Second), 10) }

func boolAttr(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
