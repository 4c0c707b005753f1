package provisioning

import (
	"context"
	"database/sql"
	"log/slog"
	"maps"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/jobs"
)

// CallArgs is the River job of one planned attempt. At is the plan: a job
// whose plan the call no longer has is stale and does nothing.
type CallArgs struct {
	CallID int64     `json:"call_id"`
	At     time.Time `json:"at"`
}

// Kind implements river.JobArgs.
func (CallArgs) Kind() string { return "koo_call" }

type callWorker struct {
	river.WorkerDefaults[CallArgs]
	s *Service
}

func (w *callWorker) Work(ctx context.Context, job *river.Job[CallArgs]) error {
	return w.s.RunCall(ctx, job.Args.CallID, job.Args.At)
}

// Timeout bounds one attempt: the marketplace's own limit is 20 s per call,
// plus the retries with retiring keys.
func (w *callWorker) Timeout(*river.Job[CallArgs]) time.Duration { return models.AttemptLimit }

// riverScheduler schedules attempts as River jobs in the caller's transaction.
type riverScheduler struct{ client *river.Client[*sql.Tx] }

// Schedule inserts the job at its instant (jobs.At).
func (r riverScheduler) Schedule(ctx context.Context, tx *sql.Tx, callID int64, at time.Time) error {
	_, err := r.client.InsertTx(ctx, tx, CallArgs{CallID: callID, At: at.UTC()}, jobs.At(river.InsertOpts{MaxAttempts: 10}, at))
	return err
}

// RiverOptions tunes the job runner.
type RiverOptions struct {
	Workers      int           // concurrent attempts; slow endpoints hold goroutines, not threads
	PollInterval time.Duration // SQLite has no LISTEN: how often to look for due jobs
	// FetchCooldown is the least time between two fetches while jobs keep
	// coming; 0 is 5 ms. It caps the start rate at one fetch's worth of free
	// workers per cooldown: at 50 ms a busy 8-worker runner started at most
	// 160 calls/s (measured 156), at 5 ms it measured 395.
	FetchCooldown time.Duration
	Logger        *slog.Logger
	// Areas are other areas whose jobs share this runner (e.g. exports).
	Areas []RiverArea
}

// RiverArea is another area's jobs on the same River client: its workers,
// its own queues (so its jobs never wait behind calls), its periodic jobs,
// and a hook that receives the client before it starts, for inserting jobs.
type RiverArea interface {
	RiverWorkers(*river.Workers) error
	RiverQueues() map[string]river.QueueConfig
	RiverPeriodicJobs() []*river.PeriodicJob
	RiverClient(*river.Client[*sql.Tx])
}

// StartRiver builds the River client that runs calls, installs it as the
// scheduler and starts it. driver is the database River uses
// (db.DB.JobDriver); stop it with client.Stop.
func (s *Service) StartRiver(ctx context.Context, driver riverdriver.Driver[*sql.Tx], o RiverOptions) (*river.Client[*sql.Tx], error) {
	if o.Workers == 0 {
		o.Workers = 200
	}
	if o.PollInterval == 0 {
		o.PollInterval = 200 * time.Millisecond
	}
	if o.FetchCooldown == 0 {
		o.FetchCooldown = 5 * time.Millisecond
	}
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &callWorker{s: s}); err != nil {
		return nil, err
	}
	queues := map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: o.Workers}}
	var periodic []*river.PeriodicJob
	for _, a := range o.Areas {
		if err := a.RiverWorkers(workers); err != nil {
			return nil, err
		}
		maps.Copy(queues, a.RiverQueues())
		periodic = append(periodic, a.RiverPeriodicJobs()...)
	}
	client, err := river.NewClient(driver, &river.Config{
		Queues:               queues,
		PeriodicJobs:         periodic,
		Workers:              workers,
		FetchPollInterval:    o.PollInterval,
		FetchCooldown:        o.FetchCooldown,
		JobTimeout:           time.Minute,
		RescueStuckJobsAfter: 2 * time.Minute,
		Logger:               o.Logger,
	})
	if err != nil {
		return nil, err
	}
	s.SetScheduler(riverScheduler{client: client})
	for _, a := range o.Areas {
		a.RiverClient(client)
	}
	if err := client.Start(ctx); err != nil {
		return nil, err
	}
	return client, nil
}
