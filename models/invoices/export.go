package invoices

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
)

// ParseFilter reads the list filter from the page's query (the export
// engine stores that query): status, needs_return, overdue, customer and
// the from/to dates in the viewer's zone, and the merchant's slug (whether
// it applies is the service's rule, tenancy.Filter).
func ParseFilter(q url.Values, loc *time.Location) (Filter, *models.ValidationError) {
	v := &models.ValidationError{}
	f := Filter{Status: models.InvoiceStatus(q.Get("status")), CustomerID: strings.TrimSpace(q.Get("customer")),
		NeedsReturn: flag(q.Get("needs_return")), Overdue: flag(q.Get("overdue")),
		Merchant: strings.TrimSpace(q.Get("merchant"))}
	if f.Status != "" && !slices.Contains(models.InvoiceStatuses, f.Status) {
		v.Add("status", models.M("err.filter_value"))
	}
	f.From, f.To = models.DateRange(q, loc, v)
	return f, v
}

func flag(s string) bool { return s == "1" || s == "true" }

// Reader walks the invoice list without the service's file store: what the
// export engine needs.
type Reader struct {
	db    *gorm.DB
	clock bizclock.Clock
}

// NewReader builds the export engine's reader of invoices.
func NewReader(db *gorm.DB, clock bizclock.Clock) Reader { return Reader{db: db, clock: clock} }

// EachPage is how many invoices one keyset step of Each reads.
const EachPage = 1000

// Count is how many invoices the actor's filtered list holds.
func (r Reader) Count(ctx context.Context, actor models.Actor, f Filter) (int64, error) {
	q, err := filtered(r.db.WithContext(ctx), actor, f, r.now())
	if err != nil {
		return 0, err
	}
	var n int64
	err = q.Count(&n).Error
	return n, err
}

// Each calls fn with every invoice of the actor's filtered list, newest
// request first, in keyset steps so memory stays flat; it returns how many
// it passed.
func (r Reader) Each(ctx context.Context, actor models.Actor, f Filter, fn func(Row) error) (int64, error) {
	now := r.now()
	base, err := filtered(r.db.WithContext(ctx), actor, f, now)
	if err != nil {
		return 0, err
	}
	var n int64
	invs := make([]models.Invoice, 0, EachPage)
	for {
		q := base.Session(&gorm.Session{})
		if len(invs) > 0 {
			last := invs[len(invs)-1]
			q = q.Where("(i.requested_at < ? OR (i.requested_at = ? AND i.id < ?))", last.RequestedAt, last.RequestedAt, last.ID)
		}
		invs = invs[:0]
		if err := q.Order("i.requested_at DESC, i.id DESC").Limit(EachPage).Find(&invs).Error; err != nil {
			return n, err
		}
		for i := range invs {
			if err := fn(Row{Invoice: invs[i], Overdue: invs[i].Overdue(now)}); err != nil {
				return n, err
			}
			n++
		}
		if len(invs) < EachPage {
			return n, nil
		}
	}
}

func (r Reader) now() time.Time { return r.clock.Now().UTC().Truncate(time.Second) }
