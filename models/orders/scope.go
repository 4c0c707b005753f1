package orders

import (
	"context"
	"errors"
	"slices"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
)

// target is what a filter selects once the actor's tenancy is applied and
// the product and customer it names are resolved to row ids, so that every
// query compares the integers the indexes hold.
type target struct {
	merchants []int64 // the merchants in scope; nil = all of them (operations)
	product   int64   // products.id, 0 = any
	buyer     int64   // buyers.id, 0 = any
	none      bool    // the filter names something with no lines in scope
}

func (s Service) target(ctx context.Context, actor models.Actor, f Filter) (target, error) {
	var t target
	if !actor.Can(models.PermOrdersView) {
		return t, models.ErrForbidden
	}
	switch {
	case actor.IsPlatform():
		if f.MerchantID != 0 {
			t.merchants = []int64{f.MerchantID}
		}
	case actor.MerchantID != 0:
		t.merchants = []int64{actor.MerchantID}
	default:
		return t, models.ErrForbidden
	}
	db := s.db.WithContext(ctx)
	if f.ProductID != "" {
		var p struct{ ID, MerchantID int64 }
		err := db.Table("products").Select("id, merchant_id").Where("product_id = ?", f.ProductID).Take(&p).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			t.none = true
		case err != nil:
			return t, err
		case t.merchants == nil:
			// A line belongs to its product's merchant (intake takes the
			// merchant from the product), so the merchant's indexes serve
			// an operations manager's product filter too.
			t.merchants = []int64{p.MerchantID}
		case !slices.Contains(t.merchants, p.MerchantID):
			t.none = true
		}
		t.product = p.ID
	}
	if f.CustomerID != "" {
		var b struct{ ID int64 }
		err := db.Table("buyers").Select("id").Where("customer_id = ?", f.CustomerID).Take(&b).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			t.none = true
		case err != nil:
			return t, err
		}
		t.buyer = b.ID
	}
	return t, nil
}

// rows applies the target and the filter (not the cursor) to a query over
// order_lines aliased l.
func (s Service) rows(ctx context.Context, t target, f Filter) *gorm.DB {
	return s.rowsIn(ctx, "order_lines AS l", t, f)
}

// rowsIn is rows over a given FROM (an index hint).
func (s Service) rowsIn(ctx context.Context, from string, t target, f Filter) *gorm.DB {
	q := s.db.WithContext(ctx).Table(from)
	if t.none {
		return q.Where("0 = 1")
	}
	switch len(t.merchants) {
	case 0:
	case 1:
		q = q.Where("l.merchant_id = ?", t.merchants[0])
	default:
		q = q.Where("l.merchant_id IN ?", t.merchants)
	}
	if !f.From.IsZero() {
		q = q.Where("l.ordered_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("l.ordered_at < ?", f.To.UTC())
	}
	if f.OrderPrefix != "" {
		// A range instead of LIKE, so the index on order_code serves it.
		q = q.Where("l.order_code >= ? AND l.order_code < ?", f.OrderPrefix, f.OrderPrefix+"\U0010FFFF")
	}
	q = whereDims(q, "l", f, t.product)
	if t.buyer != 0 {
		q = q.Where("l.buyer_ref = ?", t.buyer)
	}
	return q
}

// scope applies the actor's tenancy and the filter (not the cursor) to a
// query over order_lines aliased l.
func (s Service) scope(ctx context.Context, actor models.Actor, f Filter) (*gorm.DB, error) {
	t, err := s.target(ctx, actor, f)
	if err != nil {
		return nil, err
	}
	return s.rows(ctx, t, f), nil
}

// whereDims adds the filters that the lines and the totals aggregates share
// (type, status, charging mode, supervision, product) on the table aliased
// as alias.
func whereDims(q *gorm.DB, alias string, f Filter, product int64) *gorm.DB {
	for _, d := range []struct {
		col string
		val any
		set bool
	}{
		{"order_type", f.Type, f.Type != ""},
		{"status", f.Status, f.Status != ""},
		{"charging_mode", f.ChargingMode, f.ChargingMode != ""},
		{"supervision", f.Supervision, f.Supervision != ""},
		{"product_ref", product, product != 0},
	} {
		if d.set {
			q = q.Where(alias+"."+d.col+" = ?", d.val)
		}
	}
	return q
}
