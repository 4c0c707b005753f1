package exports

import (
	"context"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/provisioning"
	"github.com/sellercenter/sellercenter/models/provisioning/rivertest"
)

// The real job runner: the export's job is inserted with its row, River runs
// it on the exports queue, and the hourly purge is registered (and runs at
// start).
func TestRiverRunsExportsAndThePurge(t *testing.T) {
	e := newTEnv(t, Config{})
	seedLines(t, e.db, "acme", "A", 300, time.Now().Add(-time.Hour))
	svc, err := New(e.db.Gorm, bizclock.System, Config{Dir: e.dir})
	if err != nil {
		t.Fatal(err)
	}
	core := provisioning.New(e.db.Gorm, bizclock.System, e.vault, e.cat, provisioning.Config{AllowPrivate: true})
	rivertest.Start(t, core, e.db, svc)
	x, err := svc.Create(context.Background(), e.actor("owner@acme.test"), models.ExportOrders, models.ExportXLSX, "")
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if got := e.export(x.ID); got.Status == models.ExportDone {
			if got.RowsWritten != 300 {
				t.Fatalf("%d rows", got.RowsWritten)
			}
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got := e.export(x.ID); got.Status != models.ExportDone {
		t.Fatalf("export still %s after 20 s (%q)", got.Status, got.Error)
	}
	if n := e.count("river_job", "kind = ? AND queue = ?", RunArgs{}.Kind(), QueueName); n != 1 {
		t.Fatalf("%d export jobs on the exports queue", n)
	}
	for time.Now().Before(deadline) && e.count("river_job", "kind = ? AND state = 'completed'", PurgeArgs{}.Kind()) == 0 {
		time.Sleep(50 * time.Millisecond)
	}
	if e.count("river_job", "kind = ? AND state = 'completed'", PurgeArgs{}.Kind()) == 0 {
		t.Fatal("the periodic purge did not run at start")
	}
}
