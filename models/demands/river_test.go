package demands

import (
	"context"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/catalog"
	"github.com/sellercenter/sellercenter/models/provisioning"
	"github.com/sellercenter/sellercenter/models/provisioning/rivertest"
	"github.com/sellercenter/sellercenter/models/vault"
)

// The real job runner: the timers are inserted with the demand, River runs
// them on the demands queue and the due one closes it; the sweep is
// registered and runs at start.
func TestRiverRunsTheTimersAndTheSweep(t *testing.T) {
	e := newTEnv(t)
	v, err := vault.New(make([]byte, vault.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	cat := catalog.New(e.db.Gorm, bizclock.System, v, catalog.URLPolicy{AllowPrivate: true})
	core := provisioning.New(e.db.Gorm, bizclock.System, v, cat, provisioning.Config{AllowPrivate: true})
	rivertest.Start(t, core, e.db, e.svc)
	// Assigned 5 days and 1 second ago by the application clock: its
	// deadline has just passed, so River runs its jobs at once.
	real := time.Now().UTC().Truncate(time.Second)
	e.clock.Set(real.Add(-5*24*time.Hour - time.Second))
	d := e.assign("acme", "River")
	later := e.assign("globex", "later")
	e.clock.Set(real)
	if n := e.count("river_job", "kind = ? AND queue = ?", TimerArgs{}.Kind(), QueueName); n != 6 {
		t.Fatalf("%d timer jobs on the demands queue", n)
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) && e.demand(d.ID).State != models.DemandClosed {
		time.Sleep(50 * time.Millisecond)
	}
	if got := e.demand(d.ID); got.State != models.DemandClosed || got.CloseReason != models.DemandClosedTimeout {
		t.Fatalf("still %s after 20 s", got.State)
	}
	for time.Now().Before(deadline) && e.count("river_job", "kind = ? AND state = 'completed'", SweepArgs{}.Kind()) == 0 {
		time.Sleep(50 * time.Millisecond)
	}
	if e.count("river_job", "kind = ? AND state = 'completed'", SweepArgs{}.Kind()) == 0 {
		t.Fatal("the periodic sweep did not run at start")
	}
	if e.demand(later.ID).State != models.DemandClosed {
		t.Fatal("the second overdue demand is still open")
	}
	if n := e.count("notifications", "msg_id = 'demands.notify.timed_out'"); n != 2 {
		t.Fatalf("%d timeout notifications", n)
	}
}

// Take hands out what is due by an instant, earliest first and the first
// scheduled among equals, and keeps the rest.
func TestTimerLogTake(t *testing.T) {
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	var l TimerLog
	_ = l.Schedule(context.Background(), nil, []Timer{{ID: 1, Kind: TimerClose, At: at(3)}, {ID: 2, Kind: TimerRemind1, At: at(1)}, {ID: 3, Kind: TimerRemind3, At: at(1)}})
	_ = l.Schedule(context.Background(), nil, []Timer{{ID: 4, Kind: TimerClose, At: at(0)}})
	var got []int64
	for {
		tm, ok := l.Take(at(2))
		if !ok {
			break
		}
		got = append(got, tm.ID)
	}
	if len(got) != 3 || got[0] != 4 || got[1] != 2 || got[2] != 3 {
		t.Fatalf("taken %v", got)
	}
	if rest := l.Timers(); len(rest) != 1 || rest[0].ID != 1 {
		t.Fatalf("left %v", rest)
	}
}
