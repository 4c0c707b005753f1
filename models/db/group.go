package db

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
)

// Group runs concurrent write transactions together: what callers submit
// while a commit is under way waits, and then all of it is run in one
// transaction, each caller's part inside its own savepoint. SQLite has one
// writer and a commit costs more than most transactions' statements (the
// WAL frames are written page by page): pages many callers touch (the last
// leaf of an index in time order, a shared totals row) are then written
// once per group instead of once per caller.
//
// Each caller gets its own part's error: a part that fails is rolled back
// to its savepoint and the others still commit. A failed commit fails every
// part of the group. A lone caller runs a plain transaction.
type Group struct {
	db *gorm.DB

	mu    sync.Mutex
	queue []*groupPart
	busy  bool // a leader is running a group

	groups, parts, busyNS atomic.Int64

	// plain: PostgreSQL runs concurrent writers side by side, so each caller
	// gets its own transaction; grouping would only serialise them.
	plain bool
}

type groupPart struct {
	fn   func(tx *gorm.DB) error
	err  error
	done chan bool // true: lead the next group; false: err is set
}

// NewGroup returns a Group writing to db.
func NewGroup(db *gorm.DB) *Group {
	return &Group{db: db, plain: DialectOf(db).PostgreSQL()}
}

// Transaction runs fn in a transaction shared with whichever callers submit
// at about the same time, and returns once that transaction has committed
// (nil) or fn's part has failed (its error).
//
// No goroutine of its own: the first caller to find no group running leads,
// running the queue; afterwards it hands the lead to the first caller still
// waiting, so no caller leads for longer than one group.
func (g *Group) Transaction(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if g.plain {
		g.groups.Add(1)
		g.parts.Add(1)
		return g.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return part(fn, tx) })
	}
	p := &groupPart{fn: fn, done: make(chan bool, 1)}
	g.mu.Lock()
	g.queue = append(g.queue, p)
	lead := !g.busy
	g.busy = true
	g.mu.Unlock()
	if !lead && !<-p.done {
		return p.err
	}
	// A group's commit must not fail because the leader's own request went
	// away: the others' parts ride on it.
	ctx = context.WithoutCancel(ctx)
	g.mu.Lock()
	n := min(len(g.queue), groupMax)
	batch := g.queue[:n:n]
	g.queue = g.queue[n:]
	g.mu.Unlock()

	t0 := time.Now()
	g.run(ctx, batch)
	g.groups.Add(1)
	g.parts.Add(int64(len(batch)))
	g.busyNS.Add(int64(time.Since(t0)))

	g.mu.Lock()
	if len(g.queue) > 0 {
		g.queue[0].done <- true
	} else {
		g.busy = false
	}
	g.mu.Unlock()
	for _, q := range batch {
		if q != p {
			q.done <- false
		}
	}
	return p.err
}

// groupMax bounds a group, so one commit never holds the writer for long
// (measured: no gain above ~15 parts).
const groupMax = 64

// part runs one part's fn. A panic becomes that part's error: it must not
// leave the others of its group waiting on a leader that never hands on.
func part(fn func(tx *gorm.DB) error, tx *gorm.DB) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic in a grouped transaction: %v", r)
		}
	}()
	return fn(tx)
}

// run runs the parts of one group and sets each part's err.
func (g *Group) run(ctx context.Context, batch []*groupPart) {
	if len(batch) == 1 {
		batch[0].err = g.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return part(batch[0].fn, tx) })
		return
	}
	err := g.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Savepoints straight on the connection: GORM's per-statement
		// callbacks would run on the writer's path for every part.
		conn := SQLTx(tx)
		for _, p := range batch {
			if _, err := conn.ExecContext(ctx, "SAVEPOINT part"); err != nil {
				return err
			}
			if p.err = part(p.fn, tx); p.err != nil {
				if _, err := conn.ExecContext(ctx, "ROLLBACK TO part"); err != nil {
					return err
				}
			}
			if _, err := conn.ExecContext(ctx, "RELEASE part"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		for _, p := range batch {
			if p.err == nil {
				p.err = err
			}
		}
	}
}

// GroupStats is what a Group has done: how many groups it committed, how
// many parts they held, and how long its transactions held the writer.
type GroupStats struct {
	Groups, Parts int64
	Busy          time.Duration
}

// Stats returns the Group's counts so far.
func (g *Group) Stats() GroupStats {
	return GroupStats{Groups: g.groups.Load(), Parts: g.parts.Load(), Busy: time.Duration(g.busyNS.Load())}
}
