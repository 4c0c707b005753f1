package tickets

import (
	"context"
	"database/sql"
	"time"

	"github.com/riverqueue/river"

	"github.com/sellercenter/sellercenter/models/jobs"
)

// QueueName is the River queue of the ticket sweep: alerts never wait
// behind interface calls or exports.
const QueueName = "tickets"

// SweepEvery is how often the sweep runs: an alert fires at most this long
// after its instant.
const SweepEvery = 15 * time.Second

// SweepArgs is the periodic job that fires due warnings and breaches.
type SweepArgs struct{}

// Kind implements river.JobArgs.
func (SweepArgs) Kind() string { return "ticket_sweep" }

type sweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	s *Service
}

func (w *sweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	_, err := w.s.Sweep(ctx)
	return err
}

func (w *sweepWorker) Timeout(*river.Job[SweepArgs]) time.Duration { return time.Minute }

// RiverWorkers registers the sweep (provisioning.RiverArea).
func (s *Service) RiverWorkers(ws *river.Workers) error {
	return river.AddWorkerSafely(ws, &sweepWorker{s: s})
}

// RiverQueues is the tickets queue: one sweep at a time per process (the
// sweep is idempotent, so two processes sweeping is harmless).
func (s *Service) RiverQueues() map[string]river.QueueConfig {
	return map[string]river.QueueConfig{QueueName: {MaxWorkers: 1}}
}

// RiverPeriodicJobs is the sweep, also run at start.
func (s *Service) RiverPeriodicJobs() []*river.PeriodicJob {
	// A sweep that fails is simply the next one: no retries piling up.
	return []*river.PeriodicJob{jobs.Periodic("ticket_sweep", SweepEvery, SweepArgs{}, river.InsertOpts{Queue: QueueName, MaxAttempts: 1})}
}

// RiverClient needs nothing: the sweep inserts no jobs.
func (s *Service) RiverClient(*river.Client[*sql.Tx]) {}
