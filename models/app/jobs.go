package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/sellercenter/sellercenter/models/provisioning"
)

// Jobs is the running job runner (River) of every area.
type Jobs struct {
	stop func(context.Context) error
}

// StartJobs starts River on its own small pool of the same database, with
// every area's workers, queues and periodic jobs; it installs River as each
// area's scheduler. Tests that move a fake clock do not call it: they
// install fake queues and run the due work themselves.
func (a *App) StartJobs(ctx context.Context, logger *slog.Logger) (*Jobs, error) {
	driver, release, err := a.DB.JobDriver(ctx)
	if err != nil {
		return nil, err
	}
	client, err := a.Core.StartRiver(ctx, driver, provisioning.RiverOptions{Logger: logger,
		Areas: []provisioning.RiverArea{a.Exports, a.Demands, a.Tickets, a.Supervision}})
	if err != nil {
		release()
		return nil, err
	}
	return &Jobs{stop: func(ctx context.Context) error {
		err := client.Stop(ctx)
		release()
		return err
	}}, nil
}

// Stop lets running jobs finish (within 15 s) and closes the pool.
func (j *Jobs) Stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return j.stop(ctx)
}
