package debugger

import (
	"sort"
	"time"

	"github.com/sellercenter/sellercenter/models/bizclock"
)

// The marketplace's penalties (spec §6, workflows §A7): dial tests run twice
// a day; 5 consecutive failing days freeze the product and hide it; more
// than 5 orders failing in a month because of the interface delist it.
const (
	FreezeAfterDays   = 5
	DelistAfterOrders = 5
)

// DialSlots are the local hours (Asia/Shanghai) of the two daily dial runs.
var DialSlots = []int{10, 16}

// StreakLookback bounds how far back failing days are looked for: a streak
// is about the recent state of the interface, and days without runs do not
// break it, so without a bound a failure from last season could count.
const StreakLookback = 31 * 24 * time.Hour

// DialPoint is one dial run as the freeze rule sees it.
type DialPoint struct {
	At time.Time
	OK bool
}

// dayOver reports whether now is past the last dial slot of its day, so the
// day's verdict can no longer change.
func dayOver(now time.Time) bool {
	return now.In(bizclock.Shanghai).Hour() >= DialSlots[len(DialSlots)-1]
}

// dayKey is t's calendar day in Beijing time: the marketplace's days, the
// same the holiday calendar counts.
func dayKey(t time.Time) string { return t.In(bizclock.Shanghai).Format("2006-01-02") }

// FailingDays counts the consecutive failing calendar days (Asia/Shanghai)
// ending with the most recent day that had runs. A day fails when every run
// that day failed; one passing run makes it pass and ends the streak; a day
// without runs neither counts nor breaks it. Today counts as failing only
// once its last slot has run (a passing run decides it at once). Runs before
// from (a reversal by operations) or older than StreakLookback are ignored,
// as are runs after now.
func FailingDays(runs []DialPoint, now time.Time, from *time.Time) int {
	start := now.Add(-StreakLookback)
	if from != nil && from.After(start) {
		start = *from
	}
	passed := map[string]bool{}
	for _, r := range runs {
		if r.At.Before(start) || r.At.After(now) {
			continue
		}
		k := dayKey(r.At)
		passed[k] = passed[k] || r.OK
	}
	days := make([]string, 0, len(passed))
	for d := range passed {
		days = append(days, d)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(days)))
	today := dayKey(now)
	streak := 0
	for _, d := range days {
		if passed[d] {
			break
		}
		if d == today && !dayOver(now) {
			continue // undecided yet: the afternoon run may still pass
		}
		streak++
	}
	return streak
}

// FreezeDue reports whether the dial runs call for freezing the product.
func FreezeDue(runs []DialPoint, now time.Time, from *time.Time) bool {
	return FailingDays(runs, now, from) >= FreezeAfterDays
}

// FailedCreate is an order whose create (newInstance) call ended failed; At
// is when the call began.
type FailedCreate struct {
	OrderRef int64
	At       time.Time
}

// MonthStart returns the start of now's calendar month in Asia/Shanghai.
func MonthStart(now time.Time) time.Time {
	l := now.In(bizclock.Shanghai)
	return time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, bizclock.Shanghai)
}

// FailedOrdersThisMonth counts the distinct orders whose create failed
// within now's calendar month (Asia/Shanghai), from `from` on when set.
func FailedOrdersThisMonth(fs []FailedCreate, now time.Time, from *time.Time) int {
	start := MonthStart(now)
	end := start.AddDate(0, 1, 0)
	if from != nil && from.After(start) {
		start = *from
	}
	seen := map[int64]bool{}
	for _, f := range fs {
		if !f.At.Before(start) && f.At.Before(end) {
			seen[f.OrderRef] = true
		}
	}
	return len(seen)
}

// DelistDue reports whether more than DelistAfterOrders orders failed this month.
func DelistDue(fs []FailedCreate, now time.Time, from *time.Time) bool {
	return FailedOrdersThisMonth(fs, now, from) > DelistAfterOrders
}

// NextSlot returns the first dial slot strictly after now.
func NextSlot(now time.Time) time.Time {
	l := now.In(bizclock.Shanghai)
	for day := 0; day < 2; day++ {
		d := l.AddDate(0, 0, day)
		for _, h := range DialSlots {
			t := time.Date(d.Year(), d.Month(), d.Day(), h, 0, 0, 0, bizclock.Shanghai)
			if t.After(now) {
				return t
			}
		}
	}
	return now.Add(24 * time.Hour) // unreachable with at least one slot
}

// SlotKey names the slot at t (its local date and hour), for claiming it once.
func SlotKey(t time.Time) string { return t.In(bizclock.Shanghai).Format("2006-01-02T15") }
