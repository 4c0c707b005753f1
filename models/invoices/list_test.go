package invoices

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/dbtest"
)

func TestListPagesFiltersAndScopes(t *testing.T) {
	e := newTEnv(t)
	ctx := context.Background()
	for i := 0; i < PageSize+5; i++ {
		e.seedLine(line{id: fmt.Sprintf("L%d", i), amount: 100})
		e.mustRequest(fmt.Sprintf("REQ-%d", i), fmt.Sprintf("L%d", i))
		e.clock.Advance(time.Hour)
	}
	e.seedLine(line{id: "G", amount: 100, merchant: "globex"})
	e.mustRequest("REQ-G", "G")
	first, err := e.svc.List(ctx, e.finance(), Filter{}, "")
	if err != nil || len(first.Rows) != PageSize || first.Next == "" {
		t.Fatalf("first page: %d rows, next %q, %v", len(first.Rows), first.Next, err)
	}
	second, err := e.svc.List(ctx, e.finance(), Filter{}, first.Next)
	if err != nil || len(second.Rows) != 5 || second.Next != "" {
		t.Fatalf("second page: %d rows, %v", len(second.Rows), err)
	}
	seen := map[int64]bool{}
	for _, r := range append(first.Rows, second.Rows...) {
		if seen[r.ID] || r.MerchantID != e.ids["acme"] {
			t.Fatalf("row %d repeated or another merchant's", r.ID)
		}
		seen[r.ID] = true
	}
	// Issue the newest and flag it; the filters find exactly it.
	newest := first.Rows[0].ID
	e.issue(newest, 100)
	e.exec(`UPDATE invoices SET needs_return = 1 WHERE id = ?`, newest)
	for name, f := range map[string]Filter{"status": {Status: models.InvoiceIssued}, "needs_return": {NeedsReturn: true}} {
		p, err := e.svc.List(ctx, e.finance(), f, "")
		if err != nil || len(p.Rows) != 1 || p.Rows[0].ID != newest {
			t.Errorf("%s: %+v %v", name, len(p.Rows), err)
		}
	}
	// The oldest request is 55 hours old: not yet 3 working days.
	if p, _ := e.svc.List(ctx, e.finance(), Filter{Overdue: true}, ""); len(p.Rows) != 0 {
		t.Fatalf("%d overdue too early", len(p.Rows))
	}
	e.clock.Advance(7 * 24 * time.Hour)
	p, _ := e.svc.List(ctx, e.finance(), Filter{Overdue: true}, "")
	if len(p.Rows) != PageSize || !p.Rows[0].Overdue {
		t.Fatalf("%d overdue after a week", len(p.Rows))
	}
	from := t0.Add(2 * time.Hour)
	p, _ = e.svc.List(ctx, e.finance(), Filter{From: from, To: from.Add(3 * time.Hour)}, "")
	if len(p.Rows) != 3 {
		t.Fatalf("time range: %d rows, want 3", len(p.Rows))
	}
	if p, _ := e.svc.List(ctx, e.actor("owner@globex.test"), Filter{}, ""); len(p.Rows) != 1 {
		t.Fatalf("globex sees %d", len(p.Rows))
	}
	if p, _ := e.svc.List(ctx, e.actor("c-2@buyer.test"), Filter{}, ""); len(p.Rows) != 0 {
		t.Fatalf("another buyer sees %d", len(p.Rows))
	}
	if p, _ := e.svc.List(ctx, e.actor("ops@demo.test"), Filter{MerchantID: e.ids["globex"]}, ""); len(p.Rows) != 1 {
		t.Fatalf("operations, one merchant: %d", len(p.Rows))
	}
	if _, err := e.svc.List(ctx, e.actor("ro@acme.test"), Filter{}, "garbage"); dbtest.FieldErr(err, "") != "invoices.err.cursor" {
		t.Fatalf("bad cursor: %v", err)
	}
	c, _ := e.svc.Counts(ctx, e.finance())
	if c.Pending != PageSize+4 || c.Overdue != PageSize+4 || c.NeedsReturn != 1 {
		t.Fatalf("counts %+v", c)
	}
}
