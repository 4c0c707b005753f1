package jobs

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// SweepBatch bounds one query of a sweep.
const SweepBatch = 500

// DueQuery finds the rows whose timer of one kind has come: one range scan
// of a partial index, whose literal predicates must be repeated in Where for
// SQLite to use it.
type DueQuery struct {
	Kind, Table, Where, Order string
	Index                     string // the partial index it reads (benchmarks check the plan)
	// Once reads a single batch per sweep: rows it leaves due (a rule
	// switched off, a frozen flow) are not read again and again.
	Once bool
}

// DueQueries are an area's due scans, in the order a sweep fires them.
type DueQueries []DueQuery

// IDs returns up to limit ids whose timer of kind is due at now.
func (qs DueQueries) IDs(tx *gorm.DB, kind string, now time.Time, limit int) ([]int64, error) {
	for _, q := range qs {
		if q.Kind == kind {
			var ids []int64
			err := tx.Table(q.Table).Where(q.Where, now.UTC()).Order(q.Order).Limit(limit).Pluck("id", &ids).Error
			return ids, err
		}
	}
	return nil, fmt.Errorf("unknown timer %q", kind)
}

// Sweep fires every due timer of the queries that run (nil: all), kind by
// kind in order, batch by batch: the safety net behind the exact jobs, for
// a job lost with a process or a database restored from a backup. A batch
// whose rows stay due is read at most 100 times, so a sweep always ends. It
// returns how many timers fired (fire's wait was 0).
func (qs DueQueries) Sweep(ctx context.Context, db *gorm.DB, now func() time.Time, runs func(kind string) bool,
	fire func(ctx context.Context, id int64, kind string) (time.Duration, error)) (int, error) {
	n := 0
	for _, q := range qs {
		if runs != nil && !runs(q.Kind) {
			continue
		}
		for round := 0; round < 100; round++ {
			ids, err := qs.IDs(db.WithContext(ctx), q.Kind, now(), SweepBatch)
			if err != nil {
				return n, err
			}
			for _, id := range ids {
				wait, err := fire(ctx, id, q.Kind)
				if err != nil {
					return n, err
				}
				if wait == 0 {
					n++
				}
			}
			if len(ids) < SweepBatch || q.Once {
				break
			}
		}
	}
	return n, nil
}
