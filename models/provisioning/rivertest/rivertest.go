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

// Start runs core's River client on its own pool of the database at dbPath,
// as production does, polling every 50 ms, with the areas' jobs.
func Start(tb testing.TB, core *provisioning.Service, dbPath string, areas ...provisioning.RiverArea) *river.Client[*sql.Tx] {
	tb.Helper()
	pool, err := db.OpenPool(dbPath, 2)
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	client, err := core.StartRiver(ctx, pool, provisioning.RiverOptions{PollInterval: 50 * time.Millisecond, Areas: areas})
	if err != nil {
		cancel()
		_ = pool.Close()
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		sctx, stop := context.WithTimeout(context.Background(), 10*time.Second)
		defer stop()
		_ = client.Stop(sctx)
		cancel()
		_ = pool.Close()
	})
	return client
}
