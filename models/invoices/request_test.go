package invoices

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/dbtest"
)

func TestRequestIsIdempotentAndSumsNetOfRefunds(t *testing.T) {
	e := newTEnv(t)
	a := e.seedLine(line{id: "L1", amount: 19999})
	e.seedLine(line{id: "L2", amount: 1})
	// A renewal cancellation took 0.99 off L1 before the request.
	r := e.seedLine(line{id: "R1", orderType: models.OrderRenew, amount: -99})
	e.exec(`INSERT INTO line_refunds (merchant_id, line_ref, refund_line_ref, kind, amount, at) VALUES (?, ?, ?, 'renewal_cancel', 99, ?)`,
		e.ids["acme"], a, r, t0)
	v, created, err := e.request("REQ-1", "L1", "L2")
	if err != nil || !created {
		t.Fatalf("first: %v created=%v", err, created)
	}
	if v.Amount != 19999-99+1 || v.Currency != "CNY" || v.Status != "pending" {
		t.Fatalf("view %+v", v)
	}
	again, created, err := e.request("REQ-1", "L1", "L2")
	if err != nil || created || again.ID != v.ID {
		t.Fatalf("repeat: %+v created=%v err=%v", again, created, err)
	}
	if _, _, err := e.request("REQ-1", "L1"); !dbtest.IsConflict(err, "") {
		t.Fatalf("same requestId, other content: %v", err)
	}
	if n := e.count("invoices", ""); n != 1 {
		t.Fatalf("%d invoices", n)
	}
	if n := e.count("invoice_lines", "amount = ?", 19999-99); n != 1 {
		t.Fatal("line amount not net of its refund")
	}
}

func TestRequestNamesEveryLineThatCannotBeInvoiced(t *testing.T) {
	e := newTEnv(t)
	e.seedLine(line{id: "OK", amount: 100})
	e.seedLine(line{id: "I", amount: 100})
	e.mustRequest("REQ-0", "I")
	e.seedLine(line{id: "P", amount: 100, status: models.LineProcessing})
	e.seedLine(line{id: "U", amount: 100, status: models.LineUnsubscribed})
	e.seedLine(line{id: "G", amount: 100, merchant: "globex"})
	e.seedLine(line{id: "X", amount: 100, customer: "c-2"})
	e.seedLine(line{id: "Z", amount: 0, orderType: models.OrderTrial})
	f := e.seedLine(line{id: "F", amount: 100})
	r := e.seedLine(line{id: "RF", orderType: models.OrderUnsubscribe, amount: 100})
	e.exec(`INSERT INTO line_refunds (merchant_id, line_ref, refund_line_ref, kind, amount, at) VALUES (?, ?, ?, 'unsubscribe', 100, ?)`,
		e.ids["acme"], f, r, t0)
	_, _, err := e.request("REQ-1", "OK", "I", "P", "U", "G", "X", "Z", "F", "N", "RF")
	want := map[string]string{"I": "invoices.line.on_invoice", "P": "invoices.line.not_paid", "U": "invoices.line.unsubscribed",
		"G": "invoices.line.other_merchant", "X": "invoices.line.unknown", "Z": "invoices.line.not_paid",
		"F": "invoices.line.refunded", "N": "invoices.line.unknown", "RF": "invoices.line.not_paid"}
	var v *models.ValidationError
	if !errors.As(err, &v) {
		t.Fatalf("want a validation error, got %v", err)
	}
	for id, msg := range want {
		got := v.Fields[lineField(id)]
		if got.ID != msg || got.Args["Line"] != id {
			t.Errorf("%s: %+v, want %s naming it", id, got, msg)
		}
	}
	if _, bad := v.Fields[lineField("OK")]; bad || len(v.Fields) != len(want) {
		t.Errorf("fields %v", v.FieldNames())
	}
	if n := e.count("invoices", ""); n != 1 {
		t.Fatalf("a refused request stored something: %d invoices", n)
	}
}

func TestMixedCurrenciesAreRefused(t *testing.T) {
	e := newTEnv(t)
	e.seedLine(line{id: "C", amount: 100})
	e.seedLine(line{id: "D", amount: 100, currency: "USD"})
	if _, _, err := e.request("REQ-1", "C", "D"); dbtest.FieldErr(err, "") != "invoices.err.mixed_currency" {
		t.Fatalf("mixed currencies: %v", err)
	}
	if v := e.mustRequest("REQ-2", "D"); v.Currency != "USD" || v.Amount != 100 {
		t.Fatalf("%+v", v)
	}
}

func TestALineIsOnOneLiveInvoiceAtATime(t *testing.T) {
	e := newTEnv(t)
	e.seedLine(line{id: "L", amount: 500})
	first := e.mustRequest("REQ-1", "L")
	if _, _, err := e.request("REQ-2", "L"); dbtest.FieldErr(err, lineField("L")) != "invoices.line.on_invoice" {
		t.Fatalf("second live invoice: %v", err)
	}
	// Even past the service, the database refuses a second live row.
	var lineRef int64
	e.db.SQL.QueryRow(`SELECT order_line_ref FROM invoice_lines`).Scan(&lineRef)
	if _, err := e.db.SQL.Exec(`INSERT INTO invoice_lines (invoice_ref, merchant_id, order_line_ref, amount) VALUES (?, ?, ?, 1)`,
		first.ID, e.ids["acme"], lineRef); err == nil {
		t.Fatal("the unique live index let a second live row in")
	}
	if _, err := e.svc.RevokeRequest(context.Background(), market, "REQ-1"); err != nil {
		t.Fatal(err)
	}
	if v := e.mustRequest("REQ-3", "L"); v.Amount != 500 {
		t.Fatalf("after revoke: %+v", v)
	}
}

func TestRevokeOnlyWhilePending(t *testing.T) {
	e := newTEnv(t)
	e.seedLine(line{id: "L", amount: 500})
	e.seedLine(line{id: "M", amount: 700})
	v := e.mustRequest("REQ-1", "L")
	e.issue(v.ID, 500)
	if _, err := e.svc.RevokeRequest(context.Background(), market, "REQ-1"); !dbtest.IsConflict(err, "") {
		t.Fatalf("revoke after issue: %v", err)
	}
	// A buyer revokes its own request, not another's.
	w := e.mustRequest("REQ-2", "M")
	if _, err := e.svc.Revoke(context.Background(), e.actor("c-2@buyer.test"), w.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("another buyer revoked: %v", err)
	}
	inv, err := e.svc.Revoke(context.Background(), e.actor("c-1@buyer.test"), w.ID)
	if err != nil || inv.Status != models.InvoiceRevoked {
		t.Fatalf("own revoke: %v %+v", err, inv)
	}
	got, _ := e.svc.ByRequestID(context.Background(), market, "REQ-1")
	if got.Status != "issued" || got.InvoiceNumber == "" {
		t.Fatalf("%+v", got)
	}
}

func TestBuyerRequestsForItselfOnly(t *testing.T) {
	e := newTEnv(t)
	e.seedLine(line{id: "L", amount: 500})
	buyer := e.actor("c-2@buyer.test")
	_, _, err := e.svc.Request(context.Background(), buyer, RequestInput{CustomerID: "c-1", OrderLineIDs: []string{"L"},
		InvoiceParty: party()})
	if dbtest.FieldErr(err, lineField("L")) != "invoices.line.unknown" {
		t.Fatalf("buyer c-2 invoicing c-1's line: %v", err)
	}
	v, created, err := e.svc.Request(context.Background(), e.actor("c-1@buyer.test"), RequestInput{OrderLineIDs: []string{"L"},
		InvoiceParty: party()})
	if err != nil || !created || v.RequestID == "" {
		t.Fatalf("own request: %v %+v", err, v)
	}
	if _, _, err := e.svc.Request(context.Background(), e.finance(), RequestInput{}); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("finance requesting: %v", err)
	}
}

// A request made on Wednesday 30 September 2026 falls due three working
// days later on the shipped calendar: 1–7 October are off, so Thursday the
// 8th and Friday the 9th count, and Saturday the 10th is a make-up workday.
func TestOverdueCountsWorkingDaysAcrossAHoliday(t *testing.T) {
	e := newTEnv(t)
	e.clock.Set(time.Date(2026, 9, 30, 2, 0, 0, 0, time.UTC)) // Wednesday 10:00 Beijing
	e.seedLine(line{id: "L", amount: 500, at: time.Date(2026, 9, 29, 0, 0, 0, 0, time.UTC)})
	v := e.mustRequest("REQ-1", "L")
	inv := e.invoice(v.ID)
	want := time.Date(2026, 10, 10, 2, 0, 0, 0, time.UTC) // Saturday 10:00 Beijing
	if !inv.OverdueAt.Equal(want) {
		t.Fatalf("overdue at %s, want %s", inv.OverdueAt, want)
	}
	if inv.Overdue(inv.OverdueAt.Add(-time.Second)) || !inv.Overdue(inv.OverdueAt) {
		t.Fatal("Overdue does not switch at the due instant")
	}
}
