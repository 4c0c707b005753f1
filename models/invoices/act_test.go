package invoices

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/dbtest"
)

func TestFourEyesReturn(t *testing.T) {
	e := newTEnv(t)
	ctx := context.Background()
	e.seedLine(line{id: "L", amount: 500})
	v := e.mustRequest("REQ-1", "L")
	e.issue(v.ID, 500)
	if err := e.svc.SetFourEyes(ctx, e.finance(), true); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("finance changed the rule: %v", err)
	}
	if err := e.svc.SetFourEyes(ctx, e.owner(), true); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Return(ctx, e.finance(), v.ID, "客户退款"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ApproveReturn(ctx, e.finance(), v.ID); fieldErrOrConflict(err) != "invoices.err.own_approval" {
		t.Fatalf("self-approval: %v", err)
	}
	if _, err := e.svc.ConfirmReturn(ctx, e.finance(), v.ID, "RL-1"); fieldErrOrConflict(err) != "invoices.err.approval_pending" {
		t.Fatalf("confirm before approval: %v", err)
	}
	if _, err := e.svc.ApproveReturn(ctx, e.actor("finance2@acme.test"), v.ID); err != nil {
		t.Fatalf("second person: %v", err)
	}
	inv, err := e.svc.ConfirmReturn(ctx, e.finance(), v.ID, "RL-1")
	if err != nil || inv.Status != models.InvoiceReturned || inv.RedLetterNo != "RL-1" {
		t.Fatalf("confirm: %v %+v", err, inv)
	}
	if e.count("invoice_lines", "live = 1") != 0 {
		t.Fatal("a returned invoice still holds its line")
	}
	if n := e.count("invoice_events", "invoice_ref = ?", v.ID); n != 5 {
		t.Fatalf("%d timeline events, want 5", n)
	}
	if _, err := e.db.SQL.Exec(`UPDATE invoice_events SET kind = 'x'`); err == nil {
		t.Fatal("a timeline event was edited")
	}
	// Without four-eyes the requester confirms alone.
	e.seedLine(line{id: "M", amount: 100})
	w := e.mustRequest("REQ-2", "M")
	e.issue(w.ID, 100)
	if err := e.svc.SetFourEyes(ctx, e.owner(), false); err != nil {
		t.Fatal(err)
	}
	e.svc.Return(ctx, e.finance(), w.ID, "客户退款")
	if _, err := e.svc.ConfirmReturn(ctx, e.finance(), w.ID, "RL-2"); err != nil {
		t.Fatalf("plain return: %v", err)
	}
}

func fieldErrOrConflict(err error) string {
	var c *models.ConflictError
	if errors.As(err, &c) {
		return c.Msg.ID
	}
	return dbtest.FieldErr(err, "")
}

func TestReturnOnlyFromIssuedAndCancelGoesBack(t *testing.T) {
	e := newTEnv(t)
	ctx := context.Background()
	e.seedLine(line{id: "L", amount: 500})
	v := e.mustRequest("REQ-1", "L")
	if _, err := e.svc.Return(ctx, e.finance(), v.ID, "客户退款"); fieldErrOrConflict(err) != "invoices.err.not_allowed" {
		t.Fatalf("return of a pending request: %v", err)
	}
	e.issue(v.ID, 500)
	if _, err := e.svc.Return(ctx, e.finance(), v.ID, "客户退款"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Return(ctx, e.finance(), v.ID, "客户退款"); fieldErrOrConflict(err) != "invoices.err.not_allowed" {
		t.Fatalf("return while returning: %v", err)
	}
	inv, err := e.svc.CancelReturn(ctx, e.finance(), v.ID)
	if err != nil || inv.Status != models.InvoiceIssued || inv.ReturnReason != "" || inv.ReturnRequestedBy != nil {
		t.Fatalf("cancel: %v %+v", err, inv)
	}
	if _, err := e.svc.Reject(ctx, e.finance(), v.ID, "抬头错误"); fieldErrOrConflict(err) != "invoices.err.not_allowed" {
		t.Fatalf("reject after issue: %v", err)
	}
}

func TestIssueChecksAmountAndFile(t *testing.T) {
	e := newTEnv(t)
	ctx := context.Background()
	e.seedLine(line{id: "L", amount: 12345})
	v := e.mustRequest("REQ-1", "L")
	issue := func(amount int64, name string, body []byte) error {
		_, err := e.svc.Issue(ctx, e.finance(), v.ID, IssueInput{Number: "26330001", Date: "2026-11-23", Amount: amount,
			File: Upload{Name: name, R: bytes.NewReader(body)}})
		return err
	}
	if err := issue(12344, "a.pdf", pdf); dbtest.FieldErr(err, "amount") != "invoices.err.amount_mismatch" {
		t.Fatalf("amount off by a cent: %v", err)
	}
	for name, body := range map[string][]byte{
		"a.html":  []byte("<html><script>alert(1)</script></html>"),
		"a.pdf":   {},
		"big.pdf": append(append([]byte{}, pdf...), bytes.Repeat([]byte("x"), 64<<10)...),
		"a.ofd":   zipWith(t, "Doc_0/Content.xml"),
		"a.zip":   zipWith(t, "OFD.xml"),
	} {
		if err := issue(12345, name, body); dbtest.FieldErr(err, "file") == "" {
			t.Errorf("%s (%d bytes) accepted: %v", name, len(body), err)
		}
	}
	if _, err := e.svc.Issue(ctx, e.finance(), v.ID, IssueInput{Number: "26330001", Date: "2026-11-24", Amount: 12345,
		File: Upload{Name: "a.pdf", R: bytes.NewReader(pdf)}}); dbtest.FieldErr(err, "date") == "" {
		t.Fatalf("a date after today (Beijing) accepted: %v", err)
	}
	if left, _ := os.ReadDir(e.svc.cfg.Dir); len(left) != 0 {
		t.Fatalf("refused files left on disk: %d", len(left))
	}
	if err := issue(12345, "发票.ofd", zipWith(t, "OFD.xml")); err != nil {
		t.Fatalf("a valid OFD: %v", err)
	}
	inv := e.invoice(v.ID)
	if inv.Status != models.InvoiceIssued || inv.FileName != "发票.ofd" || len(inv.FileSHA256) != 64 ||
		!strings.HasPrefix(inv.FileStorage, "inv-") {
		t.Fatalf("%+v", inv)
	}
	if err := issue(12345, "a.pdf", pdf); fieldErrOrConflict(err) != "invoices.err.not_allowed" {
		t.Fatalf("issued twice: %v", err)
	}
}

func zipWith(t *testing.T, name string) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	w, _ := z.Create(name)
	w.Write([]byte("<ofd:OFD/>"))
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestTenancyAndRoles(t *testing.T) {
	e := newTEnv(t)
	ctx := context.Background()
	e.seedLine(line{id: "L", amount: 500})
	v := e.mustRequest("REQ-1", "L")
	globex := e.actor("owner@globex.test")
	if _, err := e.svc.Reject(ctx, globex, v.ID, "不是我的"); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("another merchant acted: %v", err)
	}
	if _, err := e.svc.Detail(ctx, globex, v.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("another merchant read: %v", err)
	}
	if _, err := e.svc.ByRequestID(ctx, e.actor("c-2@buyer.test"), "REQ-1"); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("another buyer read: %v", err)
	}
	for _, who := range []string{"ro@acme.test", "staff@acme.test"} {
		if _, err := e.svc.Reject(ctx, e.actor(who), v.ID, "只读用户"); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("%s acted: %v", who, err)
		}
		d, err := e.svc.Detail(ctx, e.actor(who), v.ID)
		if err != nil || len(d.Actions) != 0 {
			t.Errorf("%s: %v, actions %v", who, err, d)
		}
	}
	if _, err := e.svc.Detail(ctx, e.actor("ops@demo.test"), v.ID); err != nil {
		t.Fatalf("operations read: %v", err)
	}
	d, err := e.svc.Detail(ctx, e.finance(), v.ID)
	if err != nil || len(d.Actions) != 2 || d.Actions[0] != models.InvoiceIssue || len(d.Lines) != 1 || len(d.Events) != 1 {
		t.Fatalf("finance detail: %v %+v", err, d)
	}
	e.issue(v.ID, 500)
	if _, _, err := e.svc.OpenFile(ctx, globex, v.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("another merchant's file: %v", err)
	}
	_, f, err := e.svc.OpenFile(ctx, e.actor("c-1@buyer.test"), v.ID)
	if err != nil {
		t.Fatalf("the buyer's own file: %v", err)
	}
	f.Close()
}

func TestRefundFlagsIssuedInvoiceAndReissueCoversTheRest(t *testing.T) {
	e := newTEnv(t)
	ctx := context.Background()
	a := e.seedLine(line{id: "A", amount: 10000})
	inst := e.instanceFor(a, "acme")
	b := e.seedLine(line{id: "B", amount: 2550})
	e.instanceFor(b, "acme")
	v := e.mustRequest("REQ-1", "A", "B")
	e.issue(v.ID, 12550)
	// The marketplace unsubscribes A's instance, refunding 80.00.
	u := e.seedLine(line{id: "U", orderType: models.OrderUnsubscribe, amount: 8000, instance: inst})
	apply := func() {
		t.Helper()
		err := e.db.Gorm.Transaction(func(tx *gorm.DB) error {
			var l models.OrderLine
			tx.First(&l, u)
			return e.svc.LineRefunded(tx, &l, e.clock.Now())
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	apply()
	apply() // a repeated delivery changes nothing
	inv := e.invoice(v.ID)
	if !inv.NeedsReturn || inv.Status != models.InvoiceIssued {
		t.Fatalf("not flagged: %+v", inv)
	}
	if n := e.count("notifications", "msg_id = 'invoices.notify.needs_return' AND merchant_id = ?", e.ids["acme"]); n != 1 {
		t.Fatalf("%d notifications", n)
	}
	if n := e.count("line_refunds", "line_ref = ? AND amount = 8000", a); n != 1 {
		t.Fatalf("refund not recorded once on A: %d", n)
	}
	c, err := e.svc.Counts(ctx, e.finance())
	if err != nil || c.NeedsReturn != 1 || c.Pending != 0 {
		t.Fatalf("to-do counts %+v %v", c, err)
	}
	if _, err := e.svc.Return(ctx, e.finance(), v.ID, "客户退订"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ConfirmReturn(ctx, e.finance(), v.ID, "RL-9"); err != nil {
		t.Fatal(err)
	}
	if e.invoice(v.ID).NeedsReturn {
		t.Fatal("the flag outlived the return")
	}
	// A was unsubscribed by the release; only B is left.
	e.exec(`UPDATE order_lines SET status = 'unsubscribed' WHERE id = ?`, a)
	p, err := e.svc.ReissuePrefill(ctx, e.finance(), v.ID)
	if err != nil || len(p.Lines) != 1 || p.Lines[0].OrderLineID != "B" || p.Amount != 2550 || p.Party.Title != "杭州云帆科技有限公司" {
		t.Fatalf("prefill %+v %v", p, err)
	}
	r, created, err := e.svc.Reissue(ctx, e.finance(), v.ID, "RE-1")
	if err != nil || !created || r.Amount != 2550 {
		t.Fatalf("reissue %+v %v", r, err)
	}
	if again, created, err := e.svc.Reissue(ctx, e.finance(), v.ID, "RE-1"); err != nil || created || again.ID != r.ID {
		t.Fatalf("reissue repeated: %+v %v %v", again, created, err)
	}
}

func TestRenewalCancellationTakesTheLastPeriodOnly(t *testing.T) {
	e := newTEnv(t)
	n := e.seedLine(line{id: "N", amount: 10000, at: t0.AddDate(0, -2, 0)})
	inst := e.instanceFor(n, "acme")
	e.seedLine(line{id: "R", orderType: models.OrderRenew, amount: 3000, instance: inst, at: t0.AddDate(0, -1, 0)})
	v := e.mustRequest("REQ-1", "R")
	e.issue(v.ID, 3000)
	w := e.mustRequest("REQ-2", "N")
	e.issue(w.ID, 10000)
	c := e.seedLine(line{id: "C", orderType: models.OrderRenew, amount: -1200, instance: inst})
	err := e.db.Gorm.Transaction(func(tx *gorm.DB) error {
		var l models.OrderLine
		tx.First(&l, c)
		return e.svc.LineRefunded(tx, &l, e.clock.Now())
	})
	if err != nil {
		t.Fatal(err)
	}
	if !e.invoice(v.ID).NeedsReturn || e.invoice(w.ID).NeedsReturn {
		t.Fatal("the renewal's invoice must be flagged, the first period's not")
	}
	ctx := context.Background()
	e.svc.Return(ctx, e.finance(), v.ID, "退续费")
	e.svc.ConfirmReturn(ctx, e.finance(), v.ID, "RL-1")
	if x := e.mustRequest("REQ-3", "R"); x.Amount != 1800 {
		t.Fatalf("what is left of the renewal: %d, want 1800", x.Amount)
	}
}
