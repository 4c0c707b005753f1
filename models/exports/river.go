package exports

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/riverqueue/river"

	"github.com/sellercenter/sellercenter/models/jobs"
)

// QueueName is the River queue of export jobs: exports never wait behind
// interface calls, and calls never behind a big export.
const QueueName = "exports"

// queueWorkers is how many export jobs one process runs at once (each
// merchant at most MaxRunning of them).
const queueWorkers = 4

// RunArgs is the River job of one export run.
type RunArgs struct {
	ExportID int64 `json:"export_id"`
}

// Kind implements river.JobArgs.
func (RunArgs) Kind() string { return "export_run" }

// PurgeArgs is the hourly job deleting expired files.
type PurgeArgs struct{}

// Kind implements river.JobArgs.
func (PurgeArgs) Kind() string { return "export_purge" }

type runWorker struct {
	river.WorkerDefaults[RunArgs]
	s *Service
}

func (w *runWorker) Work(ctx context.Context, job *river.Job[RunArgs]) error {
	err := w.s.Run(ctx, job.Args.ExportID)
	switch {
	case errors.Is(err, ErrBusy):
		// The merchant runs its limit: wait without using up attempts.
		return river.JobSnooze(w.s.cfg.Snooze)
	case errors.Is(err, errInterrupted):
		// Shutdown: available again as soon as a runner starts.
		return river.JobSnooze(0)
	}
	return err
}

func (w *runWorker) Timeout(*river.Job[RunArgs]) time.Duration { return w.s.cfg.JobTimeout }

type purgeWorker struct {
	river.WorkerDefaults[PurgeArgs]
	s *Service
}

func (w *purgeWorker) Work(ctx context.Context, _ *river.Job[PurgeArgs]) error {
	_, _, err := w.s.Purge(ctx)
	return err
}

// RiverWorkers registers the export workers (provisioning.RiverArea).
func (s *Service) RiverWorkers(ws *river.Workers) error {
	if err := river.AddWorkerSafely(ws, &runWorker{s: s}); err != nil {
		return err
	}
	return river.AddWorkerSafely(ws, &purgeWorker{s: s})
}

// RiverQueues is the exports queue.
func (s *Service) RiverQueues() map[string]river.QueueConfig {
	return map[string]river.QueueConfig{QueueName: {MaxWorkers: queueWorkers}}
}

// RiverPeriodicJobs is the hourly purge, also run at start.
func (s *Service) RiverPeriodicJobs() []*river.PeriodicJob {
	return []*river.PeriodicJob{jobs.Periodic("export_purge", time.Hour, PurgeArgs{}, river.InsertOpts{Queue: QueueName, MaxAttempts: 3})}
}

// RiverClient installs the client as the queue of new exports.
func (s *Service) RiverClient(c *river.Client[*sql.Tx]) { s.SetQueue(riverQueue{c}) }

type riverQueue struct{ c *river.Client[*sql.Tx] }

func (q riverQueue) Enqueue(ctx context.Context, tx *sql.Tx, id int64) error {
	_, err := q.c.InsertTx(ctx, tx, RunArgs{ExportID: id}, &river.InsertOpts{Queue: QueueName, MaxAttempts: 5})
	return err
}
