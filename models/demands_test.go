package models

import (
	"testing"
	"time"
)

// Urgency follows the reminder instants the window set, not fixed hours:
// here a working-day window whose 1-day reminder is 3 days before the end.
func TestDemandUrgencyFollowsItsReminders(t *testing.T) {
	due := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC) // a Monday
	d := &Demand{State: DemandPending, DueAt: due,
		Remind3At: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC),
		Remind1At: time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)} // Friday: the last working day
	for _, c := range []struct {
		at   time.Time
		want DemandUrgency
	}{
		{d.Remind3At.Add(-time.Second), DemandUrgencyCalm},
		{d.Remind3At, DemandUrgencySoon},
		{d.Remind1At.Add(-time.Second), DemandUrgencySoon},
		{d.Remind1At, DemandUrgencyLastDay}, // 3 days before the end, yet the last day
		{due.Add(-time.Second), DemandUrgencyLastDay},
		{due, DemandUrgencyOver},
	} {
		if got := d.Urgency(c.at); got != c.want {
			t.Errorf("at %s: %s, want %s", c.at, got, c.want)
		}
	}
}
