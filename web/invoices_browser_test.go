package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/demo"
	"github.com/sellercenter/sellercenter/models/provisioning"
)

// buyerOrder has the demo buyer order one line of Acme's monthly CRM and
// provisions it, so the line is paid and has its own instance.
func (w *world) buyerOrder(id, amount string) {
	w.t.Helper()
	in := provisioning.OrderInput{OrderID: id, OrderType: models.OrderNew, CreateTime: w.clock.Now().Add(-time.Minute),
		Buyer: provisioning.BuyerInput{CustomerID: demo.BuyerCustomerID, CustomerName: "杭州云帆科技有限公司"},
		Lines: []provisioning.LineInput{{OrderLineID: id + "-1", ProductID: "00301-100001-0--0", ChargingMode: models.ChargingPeriod,
			PeriodType: "month", PeriodNumber: 1, Amount: amount}}}
	if _, _, err := w.core.AcceptOrder(context.Background(), in); err != nil {
		w.t.Fatal(err)
	}
	w.runDue()
}

// unsubscribe ends the instance of order's line, as the marketplace would.
func (w *world) unsubscribe(order, id string) {
	w.t.Helper()
	v, err := w.core.Order(context.Background(), order)
	if err != nil || len(v.Lines) == 0 || v.Lines[0].InstanceID == "" {
		w.t.Fatalf("order %s: %v %+v", order, err, v)
	}
	in := provisioning.OrderInput{OrderID: id, OrderType: models.OrderUnsubscribe, CreateTime: w.clock.Now().Add(-time.Minute),
		Buyer: provisioning.BuyerInput{CustomerID: demo.BuyerCustomerID, CustomerName: "杭州云帆科技有限公司"},
		Lines: []provisioning.LineInput{{OrderLineID: id + "-1", ProductID: "00301-100001-0--0", ChargingMode: models.ChargingPeriod,
			PeriodType: "month", PeriodNumber: 1, Amount: "0", InstanceID: v.Lines[0].InstanceID}}}
	if _, _, err := w.core.AcceptOrder(context.Background(), in); err != nil {
		w.t.Fatal(err)
	}
	w.runDue()
}

func (b *browser) login(t *testing.T, base, email string) {
	t.Helper()
	b.do(t,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(tid("login-form")),
		chromedp.SendKeys(tid("login-email"), email),
		chromedp.SendKeys(tid("login-password"), "demo-pass-123"),
		chromedp.Click(tid("login-submit")),
		chromedp.WaitVisible(tid("nav-profile")),
	)
}

// The invoice story end to end: the buyer asks for one invoice over two
// lines, finance issues it with the PDF, an unsubscribe of one line flags it
// 需退票, finance returns it (退票, 红字确认单) and re-issues for the line left.
func TestBrowserInvoiceRequestIssueRefundReturnAndReissue(t *testing.T) {
	b := newBrowser(t)
	w := newWorld(t)
	w.buyerOrder("CS-INV-1", "120.00")
	w.buyerOrder("CS-INV-2", "80.50")
	pdf := filepath.Join(t.TempDir(), "fapiao.pdf")
	if err := os.WriteFile(pdf, pdfBytes, 0o600); err != nil {
		t.Fatal(err)
	}

	b.login(t, w.srv.URL, "buyer@demo.test")
	b.do(t,
		chromedp.Navigate(w.srv.URL+"/buyer/invoices"),
		chromedp.WaitVisible(tid("invoice-request-form")),
		chromedp.Click(chromedp.CSS(`[data-line="CS-INV-1-1"] input`)),
		chromedp.Click(chromedp.CSS(`[data-line="CS-INV-2-1"] input`)),
		chromedp.SendKeys(tid("invoice-field-title"), "杭州云帆科技有限公司"),
		chromedp.SendKeys(tid("invoice-field-taxId"), "91350100M000100Y43"),
		chromedp.SendKeys(tid("invoice-field-email"), "it@yunfan.example"),
		chromedp.Click(tid("invoice-request-submit")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="invoice-row"][data-status="pending"]`)),
	)
	b.shot(t, "buyer-requested")
	b.do(t, chromedp.Click(tid("logout")), chromedp.WaitVisible(tid("login-form")))

	b.login(t, w.srv.URL, "finance@acme.test")
	b.do(t,
		chromedp.Navigate(w.srv.URL+"/invoices"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="invoice-row"][data-status="pending"]`)),
		chromedp.Click(tid("invoice-link")),
		chromedp.WaitVisible(tid("invoice-action-issue")),
		chromedp.SendKeys(tid("invoice-issue-number"), "24332000000000000001"),
		chromedp.SetValue(tid("invoice-issue-date"), w.clock.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)),
		chromedp.SendKeys(tid("invoice-issue-amount"), "200.50"),
		chromedp.SetUploadFiles(tid("invoice-issue-file"), []string{pdf}),
		chromedp.Click(tid("invoice-issue-submit")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="invoice-detail"][data-status="issued"]`)),
		chromedp.WaitVisible(tid("invoice-file")),
	)
	b.shot(t, "issued")
	detail := b.location(t)

	// The buyer unsubscribes one line: the issued invoice needs a return.
	w.unsubscribe("CS-INV-2", "CS-INV-2U")
	b.do(t,
		chromedp.Navigate(w.srv.URL+"/invoices?needs_return=1"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="invoice-row"][data-needs-return="true"]`)),
		chromedp.Navigate(detail),
		chromedp.WaitVisible(tid("invoice-action-return")),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="invoice-action-return"] textarea`), "客户退订部分服务，需红冲"),
		chromedp.Click(tid("invoice-return-submit")),
		chromedp.WaitVisible(tid("invoice-action-confirm-return")),
		chromedp.SendKeys(tid("invoice-red-letter-no"), "HZ2026112300001"),
		chromedp.Click(tid("invoice-confirm-return-submit")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="invoice-detail"][data-status="returned"][data-needs-return="false"]`)),
		chromedp.Click(tid("invoice-reissue-submit")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="invoice-detail"][data-status="pending"]`)),
	)
	b.shot(t, "reissued")
	if got := b.text(t, `[data-testid="invoice-amount"]`); !strings.Contains(got, "120.00") {
		t.Fatalf("re-issued amount %q, want the unrefunded line's 120.00", got)
	}
	if n := w.count("invoice_lines", "live = 1"); n != 1 {
		t.Fatalf("%d live invoice lines after the re-issue", n)
	}
}

// location is the page's URL.
func (b *browser) location(t *testing.T) string {
	t.Helper()
	u, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return u
}
