package demo

import (
	"context"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/catalog"
	"github.com/sellercenter/sellercenter/models/dbtest"
	"github.com/sellercenter/sellercenter/models/vault"
)

// The demo's statements are those of the current month on the app clock,
// not the machine's: a clock years away from today still gets its month.
func TestSeedStatementsCoverTheAppClocksMonth(t *testing.T) {
	d := dbtest.Open(t)
	ctx := context.Background()
	now := time.Date(2031, 3, 10, 4, 0, 0, 0, time.UTC)
	clock := bizclock.NewFake(now)
	acc := accounts.New(d.Gorm, clock, accounts.TestHashParams, accounts.DefaultLimits)
	if err := Seed(ctx, acc); err != nil {
		t.Fatal(err)
	}
	v, _ := vault.New(make([]byte, vault.KeySize))
	if err := SeedCatalog(ctx, d.Gorm, catalog.New(d.Gorm, clock, v, catalog.URLPolicy{AllowPrivate: true})); err != nil {
		t.Fatal(err)
	}
	at := now.Add(-24 * time.Hour)
	if _, err := d.SQL.Exec(`INSERT INTO buyers (customer_id, created_at, updated_at) VALUES ('c', ?, ?)`, at, at); err != nil {
		t.Fatal(err)
	}
	for _, slug := range []string{"acme", "globex"} {
		if _, err := d.SQL.Exec(`INSERT INTO orders (merchant_id, order_id, order_type, buyer_id, status, amount, currency, created_at, received_at, updated_at, request_hash)
			SELECT id, 'ORD-'||slug, 'NEW', 1, 'completed', 99900, 'CNY', ?, ?, ?, 'h' FROM merchants WHERE slug = ?`, at, at, at, slug); err != nil {
			t.Fatal(err)
		}
		if _, err := d.SQL.Exec(`INSERT INTO order_lines (order_ref, merchant_id, order_line_id, product_ref, charging_mode, amount, currency,
			status, updated_at, order_code, order_type, ordered_at, buyer_ref)
			SELECT o.id, o.merchant_id, o.order_id||'-1', (SELECT min(id) FROM products p WHERE p.merchant_id = o.merchant_id),
				'PERIOD', 99900, 'CNY', 'completed', ?, o.order_id, 'NEW', ?, 1 FROM orders o WHERE o.order_id = 'ORD-'||?`, at, at, slug); err != nil {
			t.Fatal(err)
		}
	}
	if err := SeedStatements(ctx, d.Gorm, clock, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	rows, err := d.SQL.Query(`SELECT m.slug, s.month, s.fee, s.paid FROM settlement_statements s JOIN merchants m ON m.id = s.merchant_id ORDER BY m.slug`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]string{}
	for rows.Next() {
		var slug, month string
		var fee int64
		var paid bool
		if err := rows.Scan(&slug, &month, &fee, &paid); err != nil {
			t.Fatal(err)
		}
		if fee != 4995 || !paid {
			t.Errorf("%s %s: fee %d paid %v, want 49.95 at 5%%, paid", slug, month, fee, paid)
		}
		got[slug] = month
	}
	if got["acme"] != "2031-03" || got["globex"] != "2031-03" {
		t.Fatalf("statement months %v, want the app clock's 2031-03", got)
	}
	if n := dbtest.Count(t, d, "platform_fee_requests", "1 = 1"); n != 1 {
		t.Fatalf("%d platform-fee requests, want Acme's one", n)
	}
}
