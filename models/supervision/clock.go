package supervision

import (
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
)

// timer is one of a flow's timers: its due instant, or while stopped its
// remaining seconds.
type timer struct {
	kind string
	due  **time.Time
	left **int64
}

func timersOfFlow(f *models.SupFlow) []timer {
	return []timer{
		{TimerSLA, &f.SLADueAt, &f.SLALeftS},
		{TimerAccept, &f.AcceptDueAt, &f.AcceptLeftS},
		{TimerWarn, &f.WarnDueAt, &f.WarnLeftS},
		{TimerOldRule, &f.OldRuleDueAt, &f.OldRuleLeftS},
	}
}

// settle makes the flow's timer columns agree with its node and appeal at
// now, and returns the timers that got a new instant. A timer runs while
// its rule applies and no appeal is open; stopping keeps its remaining
// seconds when it may run again later, so an appeal pauses every timer and
// the ruling resumes each with exactly what was left:
//   - the delivery SLA runs in delivery only, until flagged overdue; the
//     time spent elsewhere (with the buyer, frozen) is not the merchant's;
//   - automatic acceptance runs in acceptance once armed (parcel signed,
//     license proof), and is dropped when the flow leaves acceptance;
//   - the long-running warning and the old rule run at every open node.
func settle(f *models.SupFlow, now time.Time) []Timer {
	frozen := f.Appeal == models.SupAppealOpen
	open := f.Node.Open()
	var out []Timer
	for _, t := range timersOfFlow(f) {
		var runs, keep bool
		var fresh time.Duration
		switch t.kind {
		case TimerSLA:
			runs = open && f.Node == models.SupDelivery && f.SLAOverdueAt == nil
			keep = open && f.SLAOverdueAt == nil
			fresh = time.Duration(f.SLADays) * 24 * time.Hour
		case TimerAccept:
			runs = open && f.Node == models.SupAcceptance
			keep = runs
		default:
			runs, keep = open, open
		}
		before := *t.due
		switch {
		case runs && !frozen:
			if *t.due == nil && *t.left != nil {
				d := now.Add(time.Duration(**t.left) * time.Second)
				*t.due, *t.left = &d, nil
			} else if *t.due == nil && fresh > 0 && !(t.kind == TimerSLA && f.SLAOverdueAt != nil) {
				d := now.Add(fresh)
				*t.due = &d
			}
		case keep:
			if *t.due != nil {
				left := int64(max((*t.due).Sub(now), 0) / time.Second)
				*t.due, *t.left = nil, &left
			}
		default:
			*t.due, *t.left = nil, nil
		}
		if d := *t.due; d != nil && (before == nil || !before.Equal(*d)) {
			out = append(out, Timer{ID: f.ID, Kind: t.kind, At: *d})
		}
	}
	return out
}

// flowTimers are the running timers of a flow (for rescheduling).
func flowTimers(f *models.SupFlow) []Timer {
	var out []Timer
	for _, t := range timersOfFlow(f) {
		if *t.due != nil {
			out = append(out, Timer{ID: f.ID, Kind: t.kind, At: **t.due})
		}
	}
	return out
}

// rulingWindow is an appeal's deadline, 3 working days on the mainland
// calendar (调休 included), and its 80 % warning: 80 % of the working time
// between filing and deadline, counted on a calendar whose every working day
// is open all day.
func rulingWindow(filed time.Time, hs *bizclock.HolidaySet) (warn, due time.Time) {
	due = hs.AddWorkingDays(filed, models.SupRulingDays, bizclock.Shanghai).UTC()
	cal := workingDays(hs)
	total := cal.Elapsed(filed, due)
	w, ok := cal.AddBusiness(filed, total*8/10)
	if !ok {
		w = due
	}
	return w.UTC().Truncate(time.Second), due
}

// workingDays is the calendar of whole working days (Monday to Friday plus
// make-up days, minus holidays) in Beijing time.
func workingDays(hs *bizclock.HolidaySet) *bizclock.Calendar {
	var w bizclock.Week
	for d := time.Monday; d <= time.Friday; d++ {
		w[d] = []bizclock.Range{{From: 0, To: 1440}}
	}
	c, err := bizclock.NewCalendar(bizclock.Shanghai, w, hs)
	if err != nil {
		panic(err) // the week above always opens
	}
	return c
}

// BusinessLeft is the working time left until an appeal's deadline (the
// queue's sort key and its 剩余时间), negative once overdue.
func BusinessLeft(now, due time.Time, hs *bizclock.HolidaySet) time.Duration {
	cal := workingDays(hs)
	if now.After(due) {
		return -cal.Elapsed(due, now)
	}
	return cal.Elapsed(now, due)
}
