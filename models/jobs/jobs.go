// Package jobs holds the rules every area's River jobs share, so that the
// provisioning core, exports, tickets and demands schedule alike.
package jobs

import (
	"time"

	"github.com/riverqueue/river"
)

// At returns opts set to run at `at`. River holds a job with a future
// ScheduledAt until its scheduler pass (every few seconds), so a job due now
// gets none and runs at once; later ones start within seconds of their
// time. River compares with the machine's clock, hence time.Now.
func At(opts river.InsertOpts, at time.Time) *river.InsertOpts {
	if at.After(time.Now()) {
		opts.ScheduledAt = at
	}
	return &opts
}

// Periodic is a job inserted every `every` and once at start, so whatever
// came due while no process ran is caught up at once. id keeps one such job
// per kind however many processes run.
func Periodic(id string, every time.Duration, args river.JobArgs, opts river.InsertOpts) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(every),
		func() (river.JobArgs, *river.InsertOpts) { return args, &opts },
		&river.PeriodicJobOpts{ID: id, RunOnStart: true})
}
