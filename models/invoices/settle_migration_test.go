package invoices

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/sellercenter/sellercenter/migrations"
	"github.com/sellercenter/sellercenter/models"
)

// Migration 00016 goes down to a row per settled sale and up again to runs
// whose explicit lines are those rows: the statements' lines read the same
// throughout, and a line held before still settles later.
func TestSettlementRunsMigrateDownAndUp(t *testing.T) {
	e := newTEnv(t)
	ctx, ops, fin := context.Background(), e.actor("ops@demo.test"), e.finance()
	oct := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	a := e.seedLine(line{id: "A", amount: 10000, at: oct})
	inst := e.instanceFor(a, "acme")
	e.seedLine(line{id: "B", amount: 2000, at: oct.Add(time.Hour)})
	p := e.seedLine(line{id: "P", amount: 900, status: models.LineProcessing, at: oct.Add(time.Hour)})
	u := e.seedLine(line{id: "U", orderType: models.OrderUnsubscribe, amount: 4000, instance: inst, at: oct.Add(2 * time.Hour)})
	e.clock.Set(oct.Add(2 * time.Hour))
	e.refund(u)
	e.clock.Set(t0)
	if err := e.svc.SetCommission(ctx, ops, e.ids["acme"], nil, 500); err != nil {
		t.Fatal(err)
	}
	sts, err := e.svc.GenerateStatements(ctx, ops, e.ids["acme"], "2026-10")
	if err != nil || len(sts) != 1 {
		t.Fatalf("%+v %v", sts, err)
	}
	read := func() []StatementLineRow {
		t.Helper()
		p, err := e.svc.StatementLines(ctx, fin, sts[0].ID, "", 0)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range p.Rows { // comparable: the refund's id by value
			p.Rows[i].Key, p.Rows[i].RefundRef = 0, nil
			if r.RefundRef != nil {
				p.Rows[i].Key = *r.RefundRef
			}
		}
		return p.Rows
	}
	before := read()
	if len(before) != 3 {
		t.Fatalf("lines before %+v", before)
	}

	prov, err := goose.NewProvider(goose.DialectSQLite3, e.db.SQL, migrations.SQLite, goose.WithAllowOutofOrder(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := prov.DownTo(ctx, 15); err != nil {
		t.Fatalf("down: %v", err)
	}
	if n := e.count("statement_lines", "statement_ref = ? AND kind = 'sale'", sts[0].ID); n != 2 {
		t.Fatalf("%d sale rows after going down, want 2", n)
	}
	if _, err := prov.Up(ctx); err != nil {
		t.Fatalf("up: %v", err)
	}
	if after := read(); !slices.Equal(after, before) {
		t.Fatalf("lines after the round trip\n%+v\nwant\n%+v", after, before)
	}
	// P, never settled, completes: November's run settles it.
	e.exec(`UPDATE order_lines SET status = 'completed' WHERE id = ?`, p)
	e.clock.Set(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	nov, err := e.svc.GenerateStatements(ctx, ops, e.ids["acme"], "2026-11")
	if err != nil || len(nov) != 1 || nov[0].Gross != 900 || nov[0].LineCount != 1 {
		t.Fatalf("November after the round trip %+v %v", nov, err)
	}
}
