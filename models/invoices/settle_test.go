package invoices

import (
	"context"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/dbtest"
)

func TestStatementsSettleSalesAndRefundsOnce(t *testing.T) {
	e := newTEnv(t)
	ctx := context.Background()
	ops := e.actor("ops@demo.test")
	oct := time.Date(2026, 10, 15, 0, 0, 0, 0, time.UTC)
	a := e.seedLine(line{id: "A", amount: 10001, at: oct})
	inst := e.instanceFor(a, "acme")
	e.seedLine(line{id: "B", amount: 5000, at: oct})
	e.seedLine(line{id: "D", amount: 700, currency: "USD", at: oct})
	e.seedLine(line{id: "P", amount: 900, status: models.LineProcessing, at: oct})
	if err := e.svc.SetCommission(ctx, ops, e.ids["acme"], nil, 500); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetCommission(ctx, e.finance(), e.ids["acme"], nil, 1); err != models.ErrForbidden {
		t.Fatalf("finance set a rate: %v", err)
	}
	if _, err := e.svc.GenerateStatements(ctx, ops, e.ids["acme"], "2026-11"); dbtest.FieldErr(err, "") != "invoices.err.month_open" {
		t.Fatalf("open month: %v", err)
	}
	sts, err := e.svc.GenerateStatements(ctx, ops, e.ids["acme"], "2026-10")
	if err != nil || len(sts) != 2 {
		t.Fatalf("%v %+v", err, sts)
	}
	cny := sts[0]
	// 5% of 100.01 is 5.0005 → 5.00; of 50.00 → 2.50.
	if cny.Currency != "CNY" || cny.Gross != 15001 || cny.Fee != 500+250 || cny.Net != 15001-750 || cny.LineCount != 2 {
		t.Fatalf("CNY statement %+v", cny)
	}
	// Regenerating an unpaid month gives the same figures, not twice the lines.
	again, _ := e.svc.GenerateStatements(ctx, ops, e.ids["acme"], "2026-10")
	if again[0].Gross != cny.Gross || again[0].LineCount != 2 || again[1].LineCount != 1 {
		t.Fatal("regeneration double-counted")
	}
	lines, err := e.svc.StatementLines(ctx, e.finance(), again[0].ID, "", 0)
	if err != nil || len(lines.Rows) != 2 || lines.Rows[0].OrderLineRef != a || lines.Rows[0].Fee != 500 ||
		lines.Rows[1].Fee != 250 || lines.Rows[1].Kind != models.StatementSale {
		t.Fatalf("CNY lines %+v %v", lines, err)
	}
	if _, err := e.svc.StatementLines(ctx, e.actor("owner@globex.test"), again[0].ID, "", 0); err != models.ErrNotFound {
		t.Fatalf("globex read acme's statement: %v", err)
	}
	// A refund in November of A, settled in October, is a negative line of November.
	u := e.seedLine(line{id: "U", orderType: models.OrderUnsubscribe, amount: 4000, instance: inst,
		at: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)})
	e.clock.Set(time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC))
	e.db.Gorm.Transaction(func(tx *gorm.DB) error {
		var l models.OrderLine
		tx.First(&l, u)
		return e.svc.LineRefunded(tx, &l, e.clock.Now())
	})
	e.clock.Set(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	nov, err := e.svc.GenerateStatements(ctx, ops, e.ids["acme"], "2026-11")
	if err != nil || len(nov) != 1 || nov[0].Refunds != -4000 || nov[0].Fee != -200 || nov[0].Net != -3800 || !nov[0].Negative() {
		t.Fatalf("November %+v %v", nov, err)
	}
	if _, err := e.svc.GenerateStatements(ctx, e.finance(), e.ids["acme"], "2026-10"); err != models.ErrForbidden {
		t.Fatalf("finance generated: %v", err)
	}
}
