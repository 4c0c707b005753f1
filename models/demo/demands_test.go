package demo

import (
	"context"
	"testing"

	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/catalog"
	"github.com/sellercenter/sellercenter/models/dbtest"
	"github.com/sellercenter/sellercenter/models/vault"
)

// The demo demands show every state at both merchants, one pending demand
// has less than a day left, and the timers that came due fired once each.
func TestSeedDemandsShowsEveryState(t *testing.T) {
	d := dbtest.Open(t)
	ctx := context.Background()
	acc := accounts.New(d.Gorm, bizclock.System, accounts.TestHashParams, accounts.DefaultLimits)
	if err := Seed(ctx, acc); err != nil {
		t.Fatal(err)
	}
	v, _ := vault.New(make([]byte, vault.KeySize))
	if err := SeedCatalog(ctx, d.Gorm, catalog.New(d.Gorm, bizclock.System, v, catalog.URLPolicy{AllowPrivate: true})); err != nil {
		t.Fatal(err)
	}
	// SeedHistory's order that a demo demand links (the replay itself needs
	// the sandboxes and is not what this test is about).
	if _, err := d.SQL.Exec(`INSERT INTO buyers (customer_id, created_at, updated_at) VALUES ('c', datetime(), datetime());
		INSERT INTO orders (merchant_id, order_id, order_type, buyer_id, status, amount, currency, created_at, received_at, updated_at, request_hash)
		SELECT id, 'ORD-ACME-0002', 'NEW', 1, 'completed', 99900, 'CNY', datetime(), datetime(), datetime(), 'h' FROM merchants WHERE slug = 'acme'`); err != nil {
		t.Fatal(err)
	}
	if err := SeedDemands(ctx, d.Gorm); err != nil {
		t.Fatal(err)
	}
	rows, err := d.SQL.Query(`SELECT m.slug, d.state || d.close_reason, count(*) FROM demands d JOIN merchants m ON m.id = d.merchant_id GROUP BY 1, 2`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]int{}
	for rows.Next() {
		var slug, st string
		var n int
		if err := rows.Scan(&slug, &st, &n); err != nil {
			t.Fatal(err)
		}
		got[slug+":"+st] = n
	}
	for _, want := range []string{"acme:pending", "acme:accepted", "acme:rejected", "acme:closedtimeout", "acme:closedmerchant",
		"globex:pending", "globex:accepted", "globex:rejected", "globex:closedtimeout"} {
		if got[want] == 0 {
			t.Errorf("no %s demand (have %v)", want, got)
		}
	}
	var urgent, linked, reminders, dupes int
	_ = d.SQL.QueryRow(`SELECT count(*) FROM demands WHERE state = 'pending' AND julianday(due_at) - julianday('now') < 1`).Scan(&urgent)
	_ = d.SQL.QueryRow(`SELECT count(*) FROM demands WHERE order_ref IS NOT NULL`).Scan(&linked)
	_ = d.SQL.QueryRow(`SELECT count(*) FROM notifications WHERE msg_id = 'demands.notify.reminder'`).Scan(&reminders)
	_ = d.SQL.QueryRow(`SELECT count(*) FROM (SELECT demand_id, detail FROM demand_events WHERE kind = 'reminded'
		GROUP BY 1, 2 HAVING count(*) > 1)`).Scan(&dupes)
	if urgent != 1 || linked != 1 || reminders == 0 || dupes != 0 {
		t.Fatalf("urgent %d, linked %d, reminders %d, duplicated reminders %d", urgent, linked, reminders, dupes)
	}
}
