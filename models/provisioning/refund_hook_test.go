package provisioning

import (
	"bytes"
	"context"
	"testing"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/invoices"
)

// An UNSUBSCRIBE applied by the core flags the issued invoice of the
// instance's line 需退票, in the same transaction as the release.
func TestUnsubscribeFlagsTheIssuedInvoiceThroughTheCore(t *testing.T) {
	e := newEnv(t, "v1")
	inv, err := invoices.New(e.db.Gorm, e.clock, nil, invoices.Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	e.svc.SetRefundHook(inv)
	ctx := context.Background()
	e.accept(e.order("ORD-N", models.OrderNew, LineInput{OrderLineID: "ORD-N-1", Amount: "120.50"}))
	e.runUntilIdle(10)
	created, _ := e.svc.Order(ctx, "ORD-N")
	v, _, err := inv.Request(ctx, models.SystemActor("marketplace"), invoices.RequestInput{RequestID: "REQ-1",
		CustomerID: "cust-1", OrderLineIDs: []string{"ORD-N-1"}, InvoiceParty: models.InvoiceParty{
			Kind: models.InvoiceNormal, Title: "张三", Email: "zhang@example.com"}})
	if err != nil || v.Amount != 12050 {
		t.Fatalf("request: %v %+v", err, v)
	}
	var u models.User
	if err := e.db.Gorm.Where("merchant_id = ? AND role = ?", e.product.MerchantID, models.RoleOwner).Take(&u).Error; err != nil {
		t.Fatal(err)
	}
	owner := models.ActorOf(&u, "")
	if _, err := inv.Issue(ctx, owner, v.ID, invoices.IssueInput{Number: "26330001", Date: e.clock.Now().Format("2006-01-02"),
		Amount: 12050, File: invoices.Upload{Name: "a.pdf", R: bytes.NewReader([]byte("%PDF-1.7\n%%EOF\n"))}}); err != nil {
		t.Fatal(err)
	}
	e.accept(e.order("ORD-U", models.OrderUnsubscribe, LineInput{OrderLineID: "ORD-U-1", Amount: "120.50",
		InstanceID: created.Lines[0].InstanceID}))
	if got, _ := inv.ByRequestID(ctx, models.SystemActor("marketplace"), "REQ-1"); got.NeedsReturn {
		t.Fatal("flagged before the core applied the unsubscribe")
	}
	e.runUntilIdle(10)
	got, _ := inv.ByRequestID(ctx, models.SystemActor("marketplace"), "REQ-1")
	if !got.NeedsReturn || got.Status != "issued" {
		t.Fatalf("after the unsubscribe: %+v", got)
	}
	if n := e.count("line_refunds", "amount = 12050"); n != 1 {
		t.Fatalf("%d refunds recorded", n)
	}
}
