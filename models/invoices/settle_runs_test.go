package invoices

import (
	"context"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/dbtest"
)

// lineIDs are the order line ids of rows, in order.
func lineIDs(rows []StatementLineRow) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.OrderLineID
	}
	return out
}

// plainGate is supervision's gate without UnsettleableSQL: statements
// then find held lines by NOT (SettleableSQL), with the same result.
type plainGate struct{ g supervisedGate }

func (p plainGate) SettleableSQL() (string, []any) { return p.g.SettleableSQL() }

func TestStatementsHoldLinesUntilTheyPassAndSettleLateOnes(t *testing.T) {
	for name, gate := range map[string]Gate{"held gate": supervisedGate{}, "plain gate": plainGate{}} {
		t.Run(name, func(t *testing.T) { testHoldAndLate(t, gate) })
	}
}

func testHoldAndLate(t *testing.T, gate Gate) {
	e := newTEnv(t)
	ctx, ops, fin := context.Background(), e.actor("ops@demo.test"), e.finance()
	svc, err := New(e.db.Gorm, e.clock, nil, Config{Dir: t.TempDir(), Gate: gate})
	if err != nil {
		t.Fatal(err)
	}
	e.svc = svc
	oct := time.Date(2026, 10, 15, 0, 0, 0, 0, time.UTC)
	e.seedLine(line{id: "A", amount: 10000, at: oct})
	h := e.seedLine(line{id: "H", amount: 2000, at: oct})
	e.exec(`UPDATE order_lines SET supervision = 'in_progress' WHERE id = ?`, h)
	p := e.seedLine(line{id: "P", amount: 900, status: models.LineProcessing, at: oct})
	e.seedLine(line{id: "F", amount: 600, status: models.LineProvisioningFailed, at: oct})
	e.seedLine(line{id: "T", amount: 0, at: oct}) // a free trial is no sale
	e.seedLine(line{id: "G", merchant: "globex", amount: 800, at: oct})
	if err := e.svc.SetCommission(ctx, ops, e.ids["acme"], nil, 500); err != nil {
		t.Fatal(err)
	}
	octSts, err := e.svc.GenerateStatements(ctx, ops, e.ids["acme"], "2026-10")
	if err != nil || len(octSts) != 1 || octSts[0].Gross != 10000 || octSts[0].Fee != 500 || octSts[0].LineCount != 1 {
		t.Fatalf("October %+v %v", octSts, err)
	}
	// A settled line that supervision takes up later does not block
	// settlement; H, held back, does.
	e.exec(`UPDATE order_lines SET supervision = 'in_progress' WHERE order_line_id = 'A'`)
	rec, err := e.svc.Reconcile(ctx, fin, ReconFilter{})
	if err != nil || len(rec.Rows[models.ReconBlocked]) != 1 || rec.Rows[models.ReconBlocked][0].OrderLineRef != h {
		t.Fatalf("blocked %+v %v", rec.Rows[models.ReconBlocked], err)
	}
	e.exec(`UPDATE order_lines SET supervision = 'none' WHERE order_line_id = 'A'`)

	// In November H's supervision completes, P completes, a line ordered in
	// October arrives late, N is ordered; the rate goes up to 10%.
	e.exec(`UPDATE order_lines SET supervision = 'done' WHERE id = ?`, h)
	e.exec(`UPDATE order_lines SET status = 'completed' WHERE id = ?`, p)
	e.seedLine(line{id: "L", amount: 3000, at: time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC)})
	e.seedLine(line{id: "N", amount: 4000, at: time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC)})
	e.seedLine(line{id: "D", amount: 5000, at: time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)}) // December's
	if err := e.svc.SetCommission(ctx, ops, e.ids["acme"], nil, 1000); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC))
	nov, err := e.svc.GenerateStatements(ctx, ops, e.ids["acme"], "2026-11")
	want := models.SettlementStatement{Gross: 2000 + 900 + 3000 + 4000, Fee: 200 + 90 + 300 + 400, LineCount: 4}
	if err != nil || len(nov) != 1 || nov[0].Gross != want.Gross || nov[0].Fee != want.Fee || nov[0].LineCount != want.LineCount ||
		nov[0].Net != want.Gross-want.Fee {
		t.Fatalf("November %+v %v", nov, err)
	}
	lines, err := e.svc.StatementLines(ctx, fin, nov[0].ID, "", 0)
	if err != nil || len(lines.Rows) != 4 {
		t.Fatalf("November lines %+v %v", lines, err)
	}
	if got := lineIDs(lines.Rows); got[0] != "H" || got[1] != "P" || got[2] != "L" || got[3] != "N" {
		t.Fatalf("November lines in order %v", got)
	}
	// October's statement is frozen: its one line at October's 5%.
	lines, err = e.svc.StatementLines(ctx, fin, octSts[0].ID, "", 0)
	if err != nil || len(lines.Rows) != 1 || lines.Rows[0].OrderLineID != "A" || lines.Rows[0].Fee != 500 ||
		lines.Rows[0].RateBP != 500 {
		t.Fatalf("October lines now %+v %v", lines, err)
	}
	if again := dbtest.Row[models.SettlementStatement](t, e.db, octSts[0].ID); again.Gross != 10000 || again.Fee != 500 {
		t.Fatalf("October statement now %+v", again)
	}

	// Months go in order: October cannot be rebuilt once November exists;
	// November (the latest) rebuilds to the same figures.
	if _, err := e.svc.GenerateStatements(ctx, ops, e.ids["acme"], "2026-10"); !dbtest.IsConflict(err, "invoices.err.statement_later") {
		t.Fatalf("October rebuilt after November: %v", err)
	}
	again, err := e.svc.GenerateStatements(ctx, ops, e.ids["acme"], "2026-11")
	if err != nil || len(again) != 1 || again[0].Gross != want.Gross || again[0].Fee != want.Fee || again[0].LineCount != 4 {
		t.Fatalf("November rebuilt %+v %v", again, err)
	}
	if e.count("settlement_statements", "merchant_id = ? AND month = '2026-11'", e.ids["acme"]) != 1 {
		t.Fatal("the old draft stayed")
	}
	// December's run takes D, never F (still failed), nothing twice.
	e.clock.Set(time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC))
	dec, err := e.svc.GenerateStatements(ctx, ops, e.ids["acme"], "2026-12")
	if err != nil || len(dec) != 1 || dec[0].Gross != 5000 || dec[0].LineCount != 1 {
		t.Fatalf("December %+v %v", dec, err)
	}
	// Globex's first run settles its line; it never sees Acme's statements.
	g, err := e.svc.GenerateStatements(ctx, ops, e.ids["globex"], "2026-11")
	if err != nil || len(g) != 1 || g[0].Gross != 800 {
		t.Fatalf("Globex %+v %v", g, err)
	}
	globex := e.actor("owner@globex.test")
	if _, err := e.svc.StatementLines(ctx, globex, nov[0].ID, "", 0); err != models.ErrNotFound {
		t.Fatalf("Globex read Acme's lines: %v", err)
	}
	if p, err := e.svc.Statements(ctx, globex, StatementFilter{}, ""); err != nil || len(p.Rows) != 1 || p.Rows[0].ID != g[0].ID {
		t.Fatalf("Globex's statements %+v %v", p, err)
	}
}

func TestStatementLinesPageThroughSalesAndRefunds(t *testing.T) {
	e := newTEnv(t)
	ctx, ops, fin := context.Background(), e.actor("ops@demo.test"), e.finance()
	oct := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	a := e.seedLine(line{id: "A", amount: 10000, at: oct})
	inst := e.instanceFor(a, "acme")
	e.seedLine(line{id: "B", amount: 2000, at: oct.Add(time.Hour)})
	e.seedLine(line{id: "C", amount: 3000, at: oct.Add(2 * time.Hour)})
	u := e.seedLine(line{id: "U", orderType: models.OrderUnsubscribe, amount: 4000, instance: inst, at: oct.Add(3 * time.Hour)})
	e.clock.Set(oct.Add(3 * time.Hour))
	e.refund(u)
	e.clock.Set(t0)
	if err := e.svc.SetCommission(ctx, ops, e.ids["acme"], nil, 500); err != nil {
		t.Fatal(err)
	}
	sts, err := e.svc.GenerateStatements(ctx, ops, e.ids["acme"], "2026-10")
	if err != nil || len(sts) != 1 || sts[0].Gross != 15000 || sts[0].Refunds != -4000 || sts[0].Fee != 750-200 ||
		sts[0].LineCount != 4 {
		t.Fatalf("%+v %v", sts, err)
	}
	var all []StatementLineRow
	cursor := ""
	for range 3 {
		p, err := e.svc.StatementLines(ctx, fin, sts[0].ID, cursor, 2)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, p.Rows...)
		if cursor = p.Next; cursor == "" {
			break
		}
	}
	if got := lineIDs(all); len(got) != 4 || got[0] != "A" || got[1] != "B" || got[2] != "C" || got[3] != "A" {
		t.Fatalf("pages %v", got)
	}
	if r := all[3]; r.Kind != models.StatementRefund || r.Gross != -4000 || r.Fee != -200 || r.RefundRef == nil {
		t.Fatalf("refund line %+v", r)
	}
	var sum int64
	n, err := e.svc.EachStatementLine(ctx, fin, sts[0].ID, func(r StatementLineRow) error { sum += r.Fee; return nil })
	if err != nil || n != 4 || sum != sts[0].Fee {
		t.Fatalf("each: %d lines, fees %d, %v", n, sum, err)
	}
	if _, err := e.svc.StatementLines(ctx, fin, sts[0].ID, "forged", 2); dbtest.FieldErr(err, "") != "invoices.err.cursor" {
		t.Fatalf("forged cursor: %v", err)
	}
	if _, err := e.svc.StatementLines(ctx, e.actor("c-1@buyer.test"), sts[0].ID, "", 0); err != models.ErrForbidden {
		t.Fatalf("buyer: %v", err)
	}
	// A paid statement is final.
	if _, err := e.svc.MarkStatementPaid(ctx, ops, sts[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.GenerateStatements(ctx, ops, e.ids["acme"], "2026-10"); !dbtest.IsConflict(err, "invoices.err.statement_paid") {
		t.Fatalf("paid month rebuilt: %v", err)
	}
}

func TestStatementFeesKeepTheRatesOfTheirRun(t *testing.T) {
	e := newTEnv(t)
	ctx, ops, fin := context.Background(), e.actor("ops@demo.test"), e.finance()
	other := e.exec(`INSERT INTO products (merchant_id, product_id, name, kind, charging_mode, created_at, updated_at)
		VALUES (?, 'p-acme-2', 'acme 2', 'saas', 'PERIOD', '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00')`, e.ids["acme"])
	oct := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	e.seedLine(line{id: "A", amount: 10000, at: oct})
	b := e.seedLine(line{id: "B", amount: 10000, at: oct.Add(time.Hour)})
	e.exec(`UPDATE order_lines SET product_ref = ? WHERE id = ?`, other, b)
	if err := e.svc.SetCommission(ctx, ops, e.ids["acme"], nil, 500); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetCommission(ctx, ops, e.ids["acme"], &other, 1200); err != nil {
		t.Fatal(err)
	}
	sts, err := e.svc.GenerateStatements(ctx, ops, e.ids["acme"], "2026-10")
	if err != nil || len(sts) != 1 || sts[0].Fee != 500+1200 {
		t.Fatalf("%+v %v", sts, err)
	}
	// Rates change afterwards; the statement's lines keep the run's.
	if err := e.svc.SetCommission(ctx, ops, e.ids["acme"], &other, 100); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetCommission(ctx, ops, e.ids["acme"], nil, 100); err != nil {
		t.Fatal(err)
	}
	p, err := e.svc.StatementLines(ctx, fin, sts[0].ID, "", 0)
	if err != nil || len(p.Rows) != 2 || p.Rows[0].RateBP != 500 || p.Rows[1].RateBP != 1200 ||
		p.Rows[0].Fee+p.Rows[1].Fee != sts[0].Fee {
		t.Fatalf("lines %+v %v", p, err)
	}
}
