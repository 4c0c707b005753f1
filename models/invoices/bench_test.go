package invoices

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
)

// benchN is the volume of a benchmark: small by default, INVOICES_BENCH_N
// (e.g. 1000000) for the README's figures.
func benchN(def int) int {
	if n, err := strconv.Atoi(os.Getenv("INVOICES_BENCH_N")); err == nil && n > 0 {
		return n
	}
	return def
}

// seedBulk inserts n paid order lines of Acme's buyer c-1, one order for all,
// and, when invoices is set, one issued or pending invoice per line, with
// set-based SQL.
func seedBulk(b *testing.B, e *tenv, n int, invoices bool) {
	b.Helper()
	mid := e.ids["acme"]
	o := e.exec(`INSERT INTO orders (merchant_id, order_id, order_type, buyer_id, status, amount, currency, created_at, received_at,
		updated_at, request_hash) VALUES (?, 'BULK', 'NEW', (SELECT id FROM buyers WHERE customer_id = 'c-1'), 'completed', 0, 'CNY', ?, ?, ?, '')`,
		mid, t0, t0, t0)
	e.exec(`WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?)
		INSERT INTO order_lines (order_ref, merchant_id, order_line_id, product_ref, charging_mode, amount, currency, status,
			updated_at, order_code, order_type, ordered_at, buyer_ref)
		SELECT ?, ?, 'BL-' || i, ?, 'PERIOD', 1000 + i % 997, 'CNY', 'completed', ?, 'BULK', 'NEW',
			strftime('%Y-%m-%d %H:%M:%S+00:00', '2026-10-01', '+' || (i % 2592000) || ' seconds'),
			(SELECT id FROM buyers WHERE customer_id = 'c-1')
		FROM k`, n, o, mid, e.prod["acme"], t0)
	if !invoices {
		return
	}
	e.exec(`INSERT INTO invoices (merchant_id, buyer_ref, customer_id, request_id, request_hash, source, title, kind, email, currency,
			amount, status, needs_return, requested_at, overdue_at, invoice_number, file_storage, created_at, updated_at)
		SELECT merchant_id, buyer_ref, 'c-1', 'R-' || id, '', 'api', 't', 'normal', 'a@b.cn', 'CNY', amount,
			CASE WHEN id % 3 = 0 THEN 'pending' ELSE 'issued' END, id % 50 = 0, ordered_at, ordered_at,
			CASE WHEN id % 3 = 0 THEN '' ELSE 'N' || id END, CASE WHEN id % 3 = 0 THEN '' ELSE 'f' END, ordered_at, ordered_at
		FROM order_lines WHERE order_ref = ?`, o)
	e.exec(`INSERT INTO invoice_lines (invoice_ref, merchant_id, order_line_ref, amount)
		SELECT i.id, i.merchant_id, ol.id, ol.amount FROM invoices i JOIN order_lines ol ON ol.order_line_id = 'BL-' || substr(i.request_id, 3)`)
	e.exec(`ANALYZE`)
}

func BenchmarkListFirstPage(b *testing.B) {
	e := newTEnv(b)
	seedBulk(b, e, benchN(20000), true)
	ctx, fin := context.Background(), e.finance()
	e.clock.Set(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	for name, f := range map[string]Filter{
		"all": {}, "status": {Status: models.InvoicePending}, "needs_return": {NeedsReturn: true}, "overdue": {Overdue: true},
		"customer": {CustomerID: "c-1"},
		"range":    {From: time.Date(2026, 10, 1, 1, 0, 0, 0, time.UTC), To: time.Date(2026, 10, 1, 2, 0, 0, 0, time.UTC)},
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if p, err := e.svc.List(ctx, fin, f, ""); err != nil || len(p.Rows) == 0 {
					b.Fatalf("%v, %d rows", err, len(p.Rows))
				}
			}
		})
	}
}

func BenchmarkGenerateStatements(b *testing.B) {
	e := newTEnv(b)
	seedBulk(b, e, benchN(20000), false)
	ctx, ops := context.Background(), e.actor("ops@demo.test")
	if err := e.svc.SetCommission(ctx, ops, e.ids["acme"], nil, 500); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		sts, err := e.svc.GenerateStatements(ctx, ops, e.ids["acme"], "2026-10")
		if err != nil || len(sts) != 1 {
			b.Fatalf("%v %+v", err, sts)
		}
	}
}
