package supervision

import (
	"context"
	"database/sql"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/sellercenter/sellercenter/models/jobs"
)

// QueueName is the River queue of supervision timers: an automatic
// acceptance never waits behind interface calls or exports.
const QueueName = "supervision"

// TimerArgs is the River job of one timer.
type TimerArgs struct {
	ID    int64     `json:"id"` // the flow's, or the appeal's for appeal timers
	Timer string    `json:"timer"`
	At    time.Time `json:"at"`
}

// Kind implements river.JobArgs.
func (TimerArgs) Kind() string { return "supervision_timer" }

// SweepArgs is the periodic safety-net sweep (and the weekly summary).
type SweepArgs struct{}

// Kind implements river.JobArgs.
func (SweepArgs) Kind() string { return "supervision_sweep" }

type timerWorker struct {
	river.WorkerDefaults[TimerArgs]
	s *Service
}

// Work fires the timer. River runs a job at its time by the machine's clock;
// the service reads the application's clock, and a job that comes early by
// it waits (snoozes) until its instant rather than act or be lost.
func (w *timerWorker) Work(ctx context.Context, job *river.Job[TimerArgs]) error {
	wait, err := w.s.Fire(ctx, job.Args.ID, job.Args.Timer)
	if err != nil {
		return err
	}
	if wait > 0 {
		return river.JobSnooze(wait)
	}
	return nil
}

type sweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	s *Service
}

func (w *sweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	_, err := w.s.Sweep(ctx)
	return err
}

// RiverWorkers registers the supervision workers (provisioning.RiverArea).
func (s *Service) RiverWorkers(ws *river.Workers) error {
	if err := river.AddWorkerSafely(ws, &timerWorker{s: s}); err != nil {
		return err
	}
	return river.AddWorkerSafely(ws, &sweepWorker{s: s})
}

// RiverQueues is the supervision queue.
func (s *Service) RiverQueues() map[string]river.QueueConfig {
	return map[string]river.QueueConfig{QueueName: {MaxWorkers: 4}}
}

// SweepEvery is how often the safety-net sweep runs.
const SweepEvery = 5 * time.Minute

// RiverPeriodicJobs is the sweep, also run at start (catching up on whatever
// came due while no process ran).
func (s *Service) RiverPeriodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{jobs.Periodic("supervision_sweep", SweepEvery, SweepArgs{},
		river.InsertOpts{Queue: QueueName, MaxAttempts: 3})}
}

// RiverClient installs the client as the timer queue.
func (s *Service) RiverClient(c *river.Client[*sql.Tx]) { s.SetQueue(riverQueue{c}) }

type riverQueue struct{ c *river.Client[*sql.Tx] }

// Schedule inserts one job per timer at its instant (jobs.At).
func (q riverQueue) Schedule(ctx context.Context, tx *sql.Tx, timers []Timer) error {
	ps := make([]river.InsertManyParams, 0, len(timers))
	for _, t := range timers {
		ps = append(ps, river.InsertManyParams{Args: TimerArgs{ID: t.ID, Timer: t.Kind, At: t.At.UTC()},
			InsertOpts: jobs.At(river.InsertOpts{Queue: QueueName, MaxAttempts: 10}, t.At)})
	}
	_, err := q.c.InsertManyTx(ctx, tx, ps)
	return err
}

// TimerLog keeps timers in memory instead of a job runner: the demo replay
// schedules into it (River takes over with RescheduleOpen), tests read it.
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

// Timers returns what was scheduled, in order.
func (l *TimerLog) Timers() []Timer {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Timer(nil), l.timers...)
}
