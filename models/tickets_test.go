package models

import "testing"

func TestClockStatusCountingAndAnswered(t *testing.T) {
	counting := map[ClockStatus]bool{ClockRunning: true, ClockWarning: true, ClockBreached: true}
	answered := map[ClockStatus]bool{ClockMet: true, ClockLate: true}
	for _, s := range []ClockStatus{ClockRunning, ClockWarning, ClockBreached, ClockPaused, ClockMet, ClockLate,
		ClockStopped, ClockNone} {
		if s.Counting() != counting[s] || s.Answered() != answered[s] {
			t.Errorf("%s: Counting %v, Answered %v", s, s.Counting(), s.Answered())
		}
	}
}
