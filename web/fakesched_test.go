package web_test

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// fakeScheduler records the attempts the core plans instead of running them:
// the API tests check what was accepted and queued, not the merchant calls.
type fakeScheduler struct {
	mu   sync.Mutex
	jobs []scheduledCall
}

type scheduledCall struct {
	CallID int64
	At     time.Time
}

func (f *fakeScheduler) Schedule(_ context.Context, _ *sql.Tx, id int64, at time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.jobs = append(f.jobs, scheduledCall{CallID: id, At: at.UTC()})
	return nil
}

func (f *fakeScheduler) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.jobs)
}

// take removes and returns the jobs due at or before now, oldest first.
func (f *fakeScheduler) take(now time.Time) []scheduledCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var due, keep []scheduledCall
	for _, j := range f.jobs {
		if j.At.After(now) {
			keep = append(keep, j)
		} else {
			due = append(due, j)
		}
	}
	f.jobs = keep
	return due
}
