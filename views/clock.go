package views

import (
	"context"
	"strconv"
	"strings"
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

// clockTime renders the time part of a counting clock from its catalog
// pattern ("剩余 {m} 分 {s} 秒"); static/js/app.js fills the same pattern
// while it counts.
func clockTime(ctx context.Context, c ClockView) string {
	d, id := c.Left, "clock.left"
	if d <= 0 {
		d, id = -d, "clock.over"
	}
	return fillMinSec(T(ctx, id), d)
}

func fillMinSec(pattern string, d time.Duration) string {
	s := int64(d / time.Second)
	return strings.NewReplacer("{m}", strconv.FormatInt(s/60, 10), "{s}", twoDigits(s%60)).Replace(pattern)
}

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
