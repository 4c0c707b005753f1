package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestBrowserOpsSuspendsAMerchantAfterConfirming(t *testing.T) {
	b := newBrowser(t)
	e := newEnv(t)
	b.do(t,
		chromedp.Navigate(e.srv.URL+"/login"),
		chromedp.WaitVisible(tid("login-form")),
		chromedp.SendKeys(tid("login-email"), "ops@demo.test"),
		chromedp.SendKeys(tid("login-password"), "demo-pass-123"),
		chromedp.Click(tid("login-submit")),
		chromedp.WaitVisible(tid("sidenav")),
		chromedp.Navigate(e.srv.URL+"/admin/merchants"),
		chromedp.WaitVisible(tid("merchants-table")),
		chromedp.Click(`[data-testid="merchant-row"][data-slug="acme"] [data-testid="merchant-link"]`),
		chromedp.WaitVisible(tid("merchant-status-form")),
	)
	if got := b.text(t, `[data-testid="page-zone"]`); !strings.Contains(got, "北京时间") {
		t.Errorf("zone note %q", got)
	}
	// Without the tick the browser does not send the form (the server
	// refuses it too: TestOpsSuspendNeedsConfirmation...); nothing changes.
	b.do(t, chromedp.Click(tid("merchant-suspend")))
	missing, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](
		`document.querySelector('[data-testid="merchant-status-confirm"]').validity.valueMissing`))
	if err != nil || !missing {
		t.Fatalf("the confirmation is not required (%v)", err)
	}
	if got := b.text(t, `[data-testid="merchant-facts"] [data-testid="merchant-status"]`); got != "正常" {
		t.Fatalf("status after an unconfirmed click %q", got)
	}
	b.do(t,
		chromedp.SendKeys(`input[name="reason"]`, "资质审核"),
		chromedp.Click(tid("merchant-status-confirm")),
		chromedp.Click(tid("merchant-suspend")),
		chromedp.WaitVisible(tid("merchant-resume")),
	)
	b.shot(t, "suspended")
	if got := b.text(t, `[data-testid="merchant-facts"] [data-testid="merchant-status"]`); got != "已暂停" {
		t.Fatalf("status %q", got)
	}
	if got := b.text(t, `[data-testid="flash"]`); !strings.Contains(got, "已暂停") {
		t.Errorf("flash %q", got)
	}
}
