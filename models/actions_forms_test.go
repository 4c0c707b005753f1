package models

import "testing"

// A form shows the inputs its action carries: the rule the service checks.
func TestSupActionInputs(t *testing.T) {
	for _, a := range SupActions {
		text := a == SupSubmit || a == SupRejectReq || a == SupDeliver || a == SupRejectDeliv
		files := a == SupSubmit || a == SupDeliver || a == SupActivate || a == SupRejectDeliv
		if a.TakesText() != text || a.TakesFiles() != files {
			t.Errorf("%s: text %v files %v", a, a.TakesText(), a.TakesFiles())
		}
	}
}

// Allows follows the invoice transition table: revoke only while pending,
// 退票 only from issued.
func TestInvoiceAllowsFollowsTheTable(t *testing.T) {
	for _, st := range InvoiceStatuses {
		inv := Invoice{Status: st}
		if got := inv.Allows(InvoiceRevoke); got != (st == InvoicePending) {
			t.Errorf("%s: revoke allowed %v", st, got)
		}
		if got := inv.Allows(InvoiceReturn); got != (st == InvoiceIssued) {
			t.Errorf("%s: return allowed %v", st, got)
		}
	}
}
