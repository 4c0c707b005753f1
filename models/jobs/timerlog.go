package jobs

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// TimerLog keeps timers in memory instead of a job runner: a demo replay
// schedules into it (River takes over when the area reschedules what is
// open), tests read it.
type TimerLog struct {
	mu     sync.Mutex
	timers []Timer
}

// Schedule records the timers.
func (l *TimerLog) Schedule(_ context.Context, _ *sql.Tx, timers []Timer) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.timers = append(l.timers, timers...)
	return nil
}

// Timers returns what was scheduled and not taken, in order.
func (l *TimerLog) Timers() []Timer {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Timer(nil), l.timers...)
}

// Take removes and returns the earliest timer due by until, the first
// scheduled among equals: a replay fires each at its instant, in the order a
// job runner would.
func (l *TimerLog) Take(until time.Time) (Timer, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	first := -1
	for i, t := range l.timers {
		if !t.At.After(until) && (first < 0 || t.At.Before(l.timers[first].At)) {
			first = i
		}
	}
	if first < 0 {
		return Timer{}, false
	}
	t := l.timers[first]
	l.timers = append(l.timers[:first], l.timers[first+1:]...)
	return t, true
}
