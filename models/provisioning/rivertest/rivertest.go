// Package rivertest runs the core's River job runner in tests of the areas
// whose jobs share it (exports, demands), and stops it when the test ends.
package rivertest

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/sellercenter/sellercenter/models/db"
	"github.com/sellercenter/sellercenter/models/provisioning"
)

// Start runs core's River client on the database's job driver, as
// production does, polling every 50 ms, with the areas' jobs.
func Start(tb testing.TB, core *provisioning.Service, d *db.DB, areas ...provisioning.RiverArea) *river.Client[*sql.Tx] {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	driver, release, err := d.JobDriver(ctx)
	if err != nil {
		cancel()
		tb.Fatal(err)
	}
	client, err := core.StartRiver(ctx, driver, provisioning.RiverOptions{PollInterval: 50 * time.Millisecond, Areas: areas})
	if err != nil {
		cancel()
		release()
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		sctx, stop := context.WithTimeout(context.Background(), 10*time.Second)
		defer stop()
		_ = client.Stop(sctx)
		cancel()
		release()
	})
	return client
}
