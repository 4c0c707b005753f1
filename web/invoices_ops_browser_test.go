package web_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Operations set Acme's commission and generate its November statements
// from /admin/statements, and see them on the page.
func TestBrowserOpsGeneratesStatementsAndSetsCommission(t *testing.T) {
	b := newBrowser(t)
	a, _ := newInvoicePagesEnv(t)
	a.clock.Set(time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC))
	b.login(t, a.srv.URL, "ops@demo.test")
	acme := `[data-testid="commission-row"][data-merchant="acme"] `
	b.do(t,
		chromedp.Click(tid("nav-admin-statements")),
		chromedp.WaitVisible(tid("statement-generate-form")),
		chromedp.SendKeys(chromedp.CSS(acme+`[data-testid="commission-rate"]`), "5"),
		chromedp.Click(chromedp.CSS(acme+`[data-testid="commission-submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="commission-row"][data-merchant="acme"][data-rate-bp="500"]`)),
		chromedp.SetValue(tid("statement-generate-merchant"), "acme"),
		chromedp.SetValue(tid("statement-generate-month"), "2026-11"),
		chromedp.Click(tid("statement-generate-submit")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="statement-result"][data-fee="14.85"]`)),
	)
	b.shot(t, "generated")
	if n := a.count("settlement_statements", "month = '2026-11'"); n != 1 {
		t.Fatalf("%d statements", n)
	}
}

// Ticks survive paging without script: the buyer ticks a line on page 1,
// pages on, ticks one there and submits one request over both; finance
// does the same over statements and the quote counts both pages.
func TestBrowserSelectionSurvivesPaging(t *testing.T) {
	b := newBrowser(t)
	a, _ := newInvoicePagesEnv(t)
	a.paidLines("hw-cust-1001", 23, 1000)
	seedPaidStatements(a, 53)

	b.login(t, a.srv.URL, "buyer@demo.test")
	b.do(t,
		chromedp.Navigate(a.srv.URL+"/buyer/invoices"),
		chromedp.WaitVisible(tid("invoice-request-form")),
		chromedp.SendKeys(tid("invoice-field-title"), "杭州云帆科技有限公司"),
		chromedp.Click(chromedp.CSS(`[data-line="PL-hw-cust-1001-23-1"] input`)),
		chromedp.Click(tid("buyer-lines-next")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="invoice-line-carried"][data-line="PL-hw-cust-1001-23-1"] input:checked`)),
		chromedp.Click(chromedp.CSS(`[data-testid="invoice-line-option"][data-line="PL-hw-cust-1001-01-1"] input`)),
		chromedp.SendKeys(tid("invoice-field-taxId"), "91350100M000100Y43"),
		chromedp.SendKeys(tid("invoice-field-email"), "it@yunfan.example"),
		chromedp.Click(tid("invoice-request-submit")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="invoice-row"][data-status="pending"]`)),
	)
	b.shot(t, "buyer-requested")
	if n := a.count("invoice_lines", "live = 1 AND invoice_ref IN (SELECT id FROM invoices WHERE customer_id = ?)", "hw-cust-1001"); n != 2 {
		t.Fatalf("%d lines on the request, want the two ticked on two pages", n)
	}
	var amount int64
	_ = a.db.SQL.QueryRow(`SELECT amount FROM invoices WHERE customer_id = 'hw-cust-1001'`).Scan(&amount)
	if amount != 2000 {
		t.Fatalf("request amount %d, want 20.00", amount)
	}
	b.do(t, chromedp.Click(tid("logout")), chromedp.WaitVisible(tid("login-form")))

	b.login(t, a.srv.URL, "finance@acme.test")
	b.do(t,
		chromedp.Navigate(a.srv.URL+"/invoices?tab=platform"),
		chromedp.WaitVisible(tid("statements-next")),
		chromedp.Click(chromedp.CSS(`[data-testid="statement-row"]:first-child [data-testid="statement-pick"]`)),
		chromedp.Click(tid("statements-next")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="statement-picked-count"][data-count="1"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="statement-row"]:last-child [data-testid="statement-pick"]`)),
		chromedp.Click(tid("statement-quote")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="platform-fee-quote"][data-amount="2.00"]`)),
	)
	b.shot(t, "quote")
}
