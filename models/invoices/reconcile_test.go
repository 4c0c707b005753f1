package invoices

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
)

// supervisedGate holds back lines whose supervision is still in progress,
// as the supervision work's gate will.
type supervisedGate struct{}

func (supervisedGate) SettleableSQL() (string, []any) {
	return "ol.supervision <> ?", []any{"in_progress"}
}

func (supervisedGate) UnsettleableSQL() (string, []any) {
	return "ol.supervision = ?", []any{"in_progress"}
}

func TestReconcileFindsWhatNeedsAction(t *testing.T) {
	e := newTEnv(t)
	ctx := context.Background()
	svc, err := New(e.db.Gorm, e.clock, nil, Config{Dir: t.TempDir(), Gate: supervisedGate{}})
	if err != nil {
		t.Fatal(err)
	}
	e.svc = svc
	nov := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	a := e.seedLine(line{id: "A", amount: 10000, at: nov})
	instA := e.instanceFor(a, "acme")
	b := e.seedLine(line{id: "B", amount: 3000, at: nov})
	instB := e.instanceFor(b, "acme")
	c := e.seedLine(line{id: "C", amount: 500, at: nov})
	e.exec(`UPDATE order_lines SET supervision = 'in_progress' WHERE id = ?`, c)
	e.seedLine(line{id: "G", merchant: "globex", amount: 700, at: nov})

	va := e.mustRequest("REQ-A", "A")
	issued := e.issue(va.ID, 10000)
	vb := e.mustRequest("REQ-B", "B")
	// A is refunded through the hook (需退票 raised, not acted on); B's
	// unsubscribe arrived with no refund recorded.
	u := e.seedLine(line{id: "U", orderType: models.OrderUnsubscribe, amount: 4000, instance: instA, at: nov.Add(time.Hour)})
	e.refund(u)
	e.seedLine(line{id: "V", orderType: models.OrderUnsubscribe, amount: 3000, instance: instB, at: nov.Add(2 * time.Hour)})

	r, err := e.svc.Reconcile(ctx, e.finance(), ReconFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Rows[models.ReconRefundedIssued]; len(got) != 1 || got[0].OrderLineRef != a || got[0].InvoiceRef == nil ||
		*got[0].InvoiceRef != va.ID || got[0].InvoiceNumber != issued.InvoiceNumber || got[0].Amount != 4000 ||
		got[0].OrderCode != "O-A" || !got[0].At.Equal(t0) {
		t.Errorf("refunded issued %+v", got)
	}
	if got := r.Rows[models.ReconUnsubscribeUnrecorded]; len(got) != 1 || got[0].OrderLineID != "V" || got[0].InvoiceRef == nil ||
		*got[0].InvoiceRef != vb.ID {
		t.Errorf("unrecorded unsubscribe %+v", got)
	}
	if got := r.Rows[models.ReconBlocked]; len(got) != 1 || got[0].OrderLineRef != c || got[0].InvoiceRef != nil {
		t.Errorf("blocked %+v", got)
	}
	if r.Counts[models.ReconBlocked] != 1 || r.Counts[models.ReconRefundedIssued] != 1 {
		t.Errorf("counts %v", r.Counts)
	}
	want := ReconMonth{Month: "2026-11", Currency: "CNY", Ordered: 13500, Refunded: 4000, Invoiced: 10000, Open: -500}
	if len(r.Months) != 1 || r.Months[0] != want {
		t.Errorf("months %+v, want %+v", r.Months, want)
	}
	e.invoiceTotalsAgree()
	// Returning the invoice clears the finding.
	if _, err := e.svc.Return(ctx, e.finance(), va.ID, "客户退订"); err != nil {
		t.Fatal(err)
	}
	e.invoiceTotalsAgree()
	e.exec(`UPDATE invoices SET status = 'returned', red_letter_no = 'R1' WHERE id = ?`, va.ID)
	e.invoiceTotalsAgree()
	if n := e.count("invoice_totals_month", ""); n != 0 {
		t.Fatalf("%d invoiced months left after the return", n)
	}
	e.exec(`UPDATE invoices SET status = 'returning', red_letter_no = '' WHERE id = ?`, va.ID)
	e.invoiceTotalsAgree()
	if r, _ := e.svc.Reconcile(ctx, e.finance(), ReconFilter{}); len(r.Rows[models.ReconRefundedIssued]) != 0 {
		t.Errorf("still listed after return: %+v", r.Rows[models.ReconRefundedIssued])
	}

	if r, err := e.svc.Reconcile(ctx, e.actor("owner@globex.test"), ReconFilter{MerchantID: e.ids["acme"]}); err != nil ||
		len(r.Rows[models.ReconBlocked]) != 0 || len(r.Months) != 1 || r.Months[0].Ordered != 700 {
		t.Errorf("globex sees %+v %v", r, err)
	}
	if r, err := e.svc.Reconcile(ctx, e.actor("ops@demo.test"), ReconFilter{}); err != nil || r.Months[0].Ordered != 14200 {
		t.Errorf("ops sees %+v %v", r, err)
	}
	if _, err := e.svc.Reconcile(ctx, e.actor("c-1@buyer.test"), ReconFilter{}); err != models.ErrForbidden {
		t.Errorf("buyer: %v", err)
	}
}

// invoiceTotalsAgree checks invoice_totals_month against the invoices it
// sums, as the triggers keep it.
func (e *tenv) invoiceTotalsAgree() {
	e.t.Helper()
	read := func(q string) string {
		rows, err := e.db.SQL.Query(q)
		if err != nil {
			e.t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var m, c string
			var mid, n, amount int64
			if err := rows.Scan(&mid, &m, &c, &n, &amount); err != nil {
				e.t.Fatal(err)
			}
			out = append(out, fmt.Sprint(mid, m, c, n, amount))
		}
		return strings.Join(out, "; ")
	}
	got := read(`SELECT merchant_id, month, currency, n, amount FROM invoice_totals_month ORDER BY 1, 2, 3`)
	want := read(`SELECT merchant_id, substr(issued_at, 1, 7), currency, count(*), sum(amount) FROM invoices
		WHERE status IN ('issued', 'returning') AND issued_at IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`)
	if got != want {
		e.t.Fatalf("invoice_totals_month %q, the invoices say %q", got, want)
	}
}
