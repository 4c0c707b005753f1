package orderseed

import (
	"context"
	"fmt"
	"time"

	"github.com/sellercenter/sellercenter/models/db"
)

// Describe reads back what Seed wrote into d (seeded earlier with the same
// cfg.Now and cfg.Span), so a kept database can be benchmarked again or
// served without seeding anew.
func Describe(ctx context.Context, d *db.DB, cfg Config) (*Result, error) {
	if cfg.Now.IsZero() {
		return nil, fmt.Errorf("orderseed: Describe needs the seed's Now")
	}
	if cfg.Span <= 0 {
		cfg.Span = defaultSpan
	}
	res := &Result{Now: cfg.Now.UTC(), Span: cfg.Span, OpsEmail: "ops@bench.test", Password: cfg.Password}
	if res.Password == "" {
		res.Password = DefaultPassword
	}
	for _, p := range plans {
		m := Merchant{Slug: p.slug, OwnerEmail: ownerEmail(p.slug)}
		if err := d.SQL.QueryRowContext(ctx, `SELECT id FROM merchants WHERE slug = ?`, p.slug).Scan(&m.ID); err != nil {
			return nil, fmt.Errorf("orderseed: merchant %s: %w", p.slug, err)
		}
		if err := d.SQL.QueryRowContext(ctx, `SELECT count(*) FROM order_lines WHERE merchant_id = ?`, m.ID).Scan(&m.Lines); err != nil {
			return nil, err
		}
		res.Merchants = append(res.Merchants, m)
		res.Lines += m.Lines
		res.Products += p.products
	}
	big := res.Merchants[0].ID
	q := d.SQL.QueryRowContext
	if err := q(ctx, `SELECT count(*) FROM orders`).Scan(&res.Orders); err != nil {
		return nil, err
	}
	if err := q(ctx, `SELECT count(*) FROM buyers`).Scan(&res.Buyers); err != nil {
		return nil, err
	}
	if err := q(ctx, `SELECT order_id FROM orders WHERE merchant_id = ? AND created_at > ? ORDER BY id LIMIT 1`,
		big, res.Now.Add(-30*24*time.Hour)).Scan(&res.RecentOrder); err != nil {
		return nil, err
	}
	if err := q(ctx, `SELECT min(product_id), max(product_id) FROM products WHERE merchant_id = ?`, big).
		Scan(&res.TopProduct, &res.RareProduct); err != nil {
		return nil, err
	}
	var base int64
	if err := q(ctx, `SELECT min(id) FROM buyers`).Scan(&base); err != nil {
		return nil, err
	}
	rows, err := d.SQL.QueryContext(ctx, `SELECT buyer_id, count(*) FROM orders WHERE merchant_id = ? GROUP BY buyer_id`, big)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	perBuyer := make([]int32, res.Buyers)
	for rows.Next() {
		var id int64
		var n int32
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		if i := id - base; i >= 0 && i < int64(len(perBuyer)) {
			perBuyer[i] = n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	res.HeavyCustomer, res.LightCustomer = customerSamples(perBuyer)
	return res, nil
}
