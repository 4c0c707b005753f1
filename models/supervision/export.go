package supervision

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
)

// Reader walks the flow list without the service's document store: what
// the export engine needs. It reads through the same scope and filter as
// List, so an export holds exactly the rows the list pages show.
type Reader struct{ s *Service }

// NewReader builds the export engine's reader of flows.
func NewReader(db *gorm.DB, clock bizclock.Clock) Reader {
	return Reader{s: &Service{db: db, clock: clock}}
}

// EachPage is how many flows one keyset step of Each reads.
const EachPage = 1000

// Count is how many flows the actor's filtered list holds.
func (r Reader) Count(ctx context.Context, actor models.Actor, f Filter) (int64, error) {
	tx := r.s.db.WithContext(ctx)
	sc, err := r.s.scopeOf(tx, actor)
	if err != nil {
		return 0, err
	}
	var n int64
	err = filtered(tx, sc, f).Count(&n).Error
	return n, err
}

// Each calls fn with every flow of the actor's filtered list in the list's
// order, with the instant "time left" is counted from, in keyset steps so
// memory stays flat; it returns how many it passed.
func (r Reader) Each(ctx context.Context, actor models.Actor, f Filter, fn func(Row, time.Time) error) (int64, error) {
	tx := r.s.db.WithContext(ctx)
	sc, err := r.s.scopeOf(tx, actor)
	if err != nil {
		return 0, err
	}
	f.BeforeID, f.BeforeAt = 0, time.Time{}
	var n int64
	var now time.Time // the first page's: one instant for the whole file
	for {
		p, err := r.s.page(tx, sc, f, EachPage)
		if err != nil {
			return n, err
		}
		if now.IsZero() {
			now = p.Now
		}
		for i := range p.Rows {
			if err := fn(p.Rows[i], now); err != nil {
				return n, err
			}
			n++
		}
		if p.NextID == 0 {
			return n, nil
		}
		f.BeforeID, f.BeforeAt = p.NextID, p.NextAt
	}
}

// LeftParts splits a time left into whole days and hours, and whether it
// is overdue (negative), as the list shows it.
func LeftParts(d time.Duration) (days, hours int64, overdue bool) {
	overdue = d < 0
	if overdue {
		d = -d
	}
	h := int64(d / time.Hour)
	return h / 24, h % 24, overdue
}
