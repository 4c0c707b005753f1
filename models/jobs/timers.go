package jobs

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models/db"
)

// Timer is one instant a record of an area (a demand, a supervision flow or
// appeal) must be looked at again.
type Timer struct {
	ID   int64
	Kind string
	At   time.Time
}

// TimerQueue schedules timers inside the caller's transaction, so a change
// and its timers exist together or not at all: River in production, a
// TimerLog in tests and the demo replay.
type TimerQueue interface {
	Schedule(ctx context.Context, tx *sql.Tx, timers []Timer) error
}

// TimerNames names one area's timer jobs. It is a type rather than a value
// because River keys its workers by the Kind of the zero args value.
type TimerNames interface {
	Area() string      // for errors
	Queue() string     // the area's queue: its timers never wait behind other work
	TimerKind() string // the exact job at a timer's instant
	SweepKind() string // the periodic safety net
	// IDKey is the JSON key of the id in a timer job, unchanged from what
	// earlier releases queued, so jobs already in the table still decode.
	IDKey() string
}

// TimerArgs is the River job of one timer of area N.
type TimerArgs[N TimerNames] struct {
	ID    int64
	Timer string
	At    time.Time
}

// Kind implements river.JobArgs.
func (TimerArgs[N]) Kind() string { var n N; return n.TimerKind() }

type timerJSON struct {
	Timer string    `json:"timer"`
	At    time.Time `json:"at"`
}

// MarshalJSON writes the id under the area's key.
func (a TimerArgs[N]) MarshalJSON() ([]byte, error) {
	var n N
	return json.Marshal(map[string]any{n.IDKey(): a.ID, "timer": a.Timer, "at": a.At})
}

// UnmarshalJSON reads the id from the area's key.
func (a *TimerArgs[N]) UnmarshalJSON(b []byte) error {
	var n N
	var t timerJSON
	var ids map[string]json.RawMessage
	if err := json.Unmarshal(b, &t); err != nil {
		return err
	}
	if err := json.Unmarshal(b, &ids); err != nil {
		return err
	}
	a.Timer, a.At, a.ID = t.Timer, t.At, 0
	if raw, ok := ids[n.IDKey()]; ok {
		return json.Unmarshal(raw, &a.ID)
	}
	return nil
}

// SweepArgs is area N's periodic sweep.
type SweepArgs[N TimerNames] struct{}

// Kind implements river.JobArgs.
func (SweepArgs[N]) Kind() string { var n N; return n.SweepKind() }

// SweepEvery is how often an area's safety-net sweep runs.
const SweepEvery = 5 * time.Minute

// TimerArea is an area's timers: instants stored by the area, each fired by
// a River job at that instant and by a periodic sweep as a safety net for a
// job lost with a process or a database restored from a backup. An area's
// service embeds it, which gives the service its River registration
// (provisioning.RiverArea) and SetQueue.
type TimerArea[N TimerNames] struct {
	fire  func(ctx context.Context, id int64, kind string) (wait time.Duration, err error)
	sweep func(ctx context.Context) (int, error)
	queue TimerQueue
}

// NewTimerArea builds the area's timers: fire runs one timer and returns a
// positive wait when it came early by the application's clock; sweep fires
// whatever is due.
func NewTimerArea[N TimerNames](fire func(ctx context.Context, id int64, kind string) (time.Duration, error),
	sweep func(ctx context.Context) (int, error)) TimerArea[N] {
	return TimerArea[N]{fire: fire, sweep: sweep}
}

// SetQueue installs the timer queue.
func (a *TimerArea[N]) SetQueue(q TimerQueue) { a.queue = q }

// ScheduleTx schedules timers in the transaction tx: they exist if and only
// if the change that set them commits.
func (a *TimerArea[N]) ScheduleTx(tx *gorm.DB, timers []Timer) error {
	var n N
	if len(timers) == 0 {
		return nil
	}
	if a.queue == nil {
		return errors.New(n.Area() + ": no timer queue installed")
	}
	t := db.SQLTx(tx)
	if t == nil {
		return errors.New(n.Area() + ": timers scheduled outside a transaction")
	}
	return a.queue.Schedule(tx.Statement.Context, t, timers)
}

type timerWorker[N TimerNames] struct {
	river.WorkerDefaults[TimerArgs[N]]
	a *TimerArea[N]
}

// Work fires the timer. River runs a job at its time by the machine's clock;
// the area reads the application's clock, and a job that comes early by it
// waits (snoozes) until its instant rather than act or be lost.
func (w *timerWorker[N]) Work(ctx context.Context, job *river.Job[TimerArgs[N]]) error {
	wait, err := w.a.fire(ctx, job.Args.ID, job.Args.Timer)
	if err != nil {
		return err
	}
	if wait > 0 {
		return river.JobSnooze(wait)
	}
	return nil
}

type sweepWorker[N TimerNames] struct {
	river.WorkerDefaults[SweepArgs[N]]
	a *TimerArea[N]
}

func (w *sweepWorker[N]) Work(ctx context.Context, _ *river.Job[SweepArgs[N]]) error {
	_, err := w.a.sweep(ctx)
	return err
}

// TimerWorker is the worker of the area's timer jobs (tests drive it).
func (a *TimerArea[N]) TimerWorker() river.Worker[TimerArgs[N]] { return &timerWorker[N]{a: a} }

// RiverWorkers registers the area's workers.
func (a *TimerArea[N]) RiverWorkers(ws *river.Workers) error {
	if err := river.AddWorkerSafely(ws, a.TimerWorker()); err != nil {
		return err
	}
	return river.AddWorkerSafely[SweepArgs[N]](ws, &sweepWorker[N]{a: a})
}

// RiverQueues is the area's queue.
func (a *TimerArea[N]) RiverQueues() map[string]river.QueueConfig {
	var n N
	return map[string]river.QueueConfig{n.Queue(): {MaxWorkers: 4}}
}

// RiverPeriodicJobs is the sweep, also run at start (catching up on
// whatever came due while no process ran).
func (a *TimerArea[N]) RiverPeriodicJobs() []*river.PeriodicJob {
	var n N
	return []*river.PeriodicJob{Periodic(n.SweepKind(), SweepEvery, SweepArgs[N]{},
		river.InsertOpts{Queue: n.Queue(), MaxAttempts: 3})}
}

// RiverClient installs the client as the timer queue.
func (a *TimerArea[N]) RiverClient(c *river.Client[*sql.Tx]) { a.SetQueue(riverQueue[N]{c}) }

type riverQueue[N TimerNames] struct{ c *river.Client[*sql.Tx] }

// Schedule inserts one job per timer at its instant (At).
func (q riverQueue[N]) Schedule(ctx context.Context, tx *sql.Tx, timers []Timer) error {
	var n N
	ps := make([]river.InsertManyParams, 0, len(timers))
	for _, t := range timers {
		ps = append(ps, river.InsertManyParams{Args: TimerArgs[N]{ID: t.ID, Timer: t.Kind, At: t.At.UTC()},
			InsertOpts: At(river.InsertOpts{Queue: n.Queue(), MaxAttempts: 10}, t.At)})
	}
	_, err := q.c.InsertManyTx(ctx, tx, ps)
	return err
}
