package invoices

import (
	"context"
	"testing"
)

// Only an issued invoice counts for supervision's old rule: a pending request
// does not, a returned invoice no longer does.
func TestInvoicedCountsIssuedInvoicesOnly(t *testing.T) {
	e := newTEnv(t)
	ctx := context.Background()
	issued, pending, none := e.seedLine(line{id: "I", amount: 500}), e.seedLine(line{id: "P", amount: 300}), e.seedLine(line{id: "N", amount: 200})
	e.issue(e.mustRequest("REQ-I", "I").ID, 500)
	e.mustRequest("REQ-P", "P")
	got, err := e.svc.Invoiced(ctx, []int64{issued, pending, none})
	if err != nil {
		t.Fatal(err)
	}
	if !got[issued] || got[pending] || got[none] || len(got) != 1 {
		t.Fatalf("invoiced = %v (issued %d, pending %d, none %d)", got, issued, pending, none)
	}
	inv := e.mustRequest("REQ-I", "I") // the same request again: the issued invoice
	if _, err := e.svc.Return(ctx, e.finance(), inv.ID, "客户退款"); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.svc.Invoiced(ctx, []int64{issued}); !got[issued] {
		t.Fatal("an invoice being returned stopped counting before the return was confirmed")
	}
	if _, err := e.svc.ConfirmReturn(ctx, e.finance(), inv.ID, "RL-9"); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.svc.Invoiced(ctx, []int64{issued}); got[issued] {
		t.Fatal("a returned invoice still counts")
	}
}
