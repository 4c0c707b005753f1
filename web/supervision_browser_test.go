package web_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The supervision story in a browser: the buyer submits its requirements,
// the merchant confirms and delivers with a document, the buyer refuses,
// the merchant appeals, neither may act while it is open, operations force
// the acceptance and the order shows 已完成.
func TestBrowserSupervisionStoryEndsInAForcedAcceptance(t *testing.T) {
	b := newBrowser(t)
	a := newAPIEnv(t)
	id := a.buyerSupOrder("CS-BROWSER")
	sid := strconv.FormatInt(id, 10)
	report := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(report, []byte("%PDF-1.4 delivery report"), 0o600); err != nil {
		t.Fatal(err)
	}
	login := func(email string) {
		b.do(t,
			chromedp.Navigate(a.srv.URL+"/login"),
			chromedp.WaitVisible(tid("login-form")),
			chromedp.SendKeys(tid("login-email"), email),
			chromedp.SendKeys(tid("login-password"), "demo-pass-123"),
			chromedp.Click(tid("login-submit")),
			chromedp.WaitVisible(tid("logout")),
		)
	}
	logout := func() { b.do(t, chromedp.Click(tid("logout")), chromedp.WaitVisible(tid("login-form"))) }
	at := func(node, appeal string) chromedp.CSS {
		return chromedp.CSS(`[data-testid="sup-detail"][data-node="` + node + `"][data-appeal="` + appeal + `"]`)
	}
	form := func(name string) string { return `form[data-testid="sup-action-` + name + `"]` }
	absent := func(names ...string) {
		t.Helper()
		for _, n := range names {
			ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.querySelector('`+form(n)+`') === null`))
			if err != nil || !ok {
				t.Fatalf("form %s offered (%v)", n, err)
			}
		}
	}

	login("buyer@demo.test")
	b.do(t,
		chromedp.Navigate(a.srv.URL+"/buyer/supervision"),
		chromedp.Click(chromedp.CSS(`[data-testid="sup-row"][data-id="`+sid+`"] [data-testid="sup-link"]`)),
		chromedp.WaitVisible(at("requirements", "none")),
		chromedp.SendKeys(chromedp.CSS(form("submit")+` textarea[name="text"]`), "两地机房部署并完成培训"),
		chromedp.Click(chromedp.CSS(form("submit")+` [data-testid="sup-submit"]`)),
		chromedp.WaitVisible(at("confirm", "none")),
	)
	logout()

	login("owner@acme.test")
	b.do(t,
		chromedp.Navigate(a.srv.URL+"/supervision"),
		chromedp.Click(chromedp.CSS(`[data-testid="sup-row"][data-id="`+sid+`"] [data-testid="sup-link"]`)),
		chromedp.WaitVisible(at("confirm", "none")),
		chromedp.Click(chromedp.CSS(form("confirm")+` [data-testid="sup-submit"]`)),
		chromedp.WaitVisible(at("delivery", "none")),
		chromedp.SendKeys(chromedp.CSS(form("deliver")+` textarea[name="text"]`), "部署完成"),
		chromedp.SetUploadFiles(chromedp.CSS(form("deliver")+` input[type="file"]`), []string{report}),
		chromedp.Click(chromedp.CSS(form("deliver")+` [data-testid="sup-submit"]`)),
		chromedp.WaitVisible(at("acceptance", "none")),
	)
	logout()

	login("buyer@demo.test")
	b.do(t,
		chromedp.Navigate(a.srv.URL+"/buyer/supervision/"+sid),
		chromedp.WaitVisible(at("acceptance", "none")),
		chromedp.SendKeys(chromedp.CSS(form("reject")+` textarea[name="text"]`), "培训尚未完成，不同意验收"),
		chromedp.Click(chromedp.CSS(form("reject")+` [data-testid="sup-submit"]`)),
		chromedp.WaitVisible(at("delivery", "none")),
	)
	logout()

	login("owner@acme.test")
	b.do(t,
		chromedp.Navigate(a.srv.URL+"/supervision/"+sid),
		chromedp.WaitVisible(at("delivery", "none")),
		chromedp.SendKeys(chromedp.CSS(form("appeal")+` textarea[name="reason"]`), "培训已完成，签到表见附件"),
		chromedp.Click(chromedp.CSS(form("appeal")+` [data-testid="sup-submit"]`)),
		chromedp.WaitVisible(at("delivery", "open")),
	)
	absent("deliver", "appeal", "confirm", "reject")
	logout()

	login("buyer@demo.test")
	b.do(t, chromedp.Navigate(a.srv.URL+"/buyer/supervision/"+sid), chromedp.WaitVisible(at("delivery", "open")))
	absent("accept", "reject", "submit", "appeal")
	logout()

	login("ops@demo.test")
	b.do(t,
		chromedp.Navigate(a.srv.URL+"/appeals"),
		chromedp.Click(chromedp.CSS(`[data-testid="appeal-row"] [data-testid="appeal-link"]`)),
		chromedp.WaitVisible(tid("appeal-ruling")),
		chromedp.SetValue(tid("appeal-ruling-select"), "accept"),
		chromedp.SendKeys(tid("appeal-ruling-reason"), "签到表齐全，判定验收"),
		chromedp.Click(tid("appeal-ruling-submit")),
		chromedp.WaitVisible(at("done", "ruled")),
	)
	logout()

	login("owner@acme.test")
	b.do(t,
		chromedp.Navigate(a.srv.URL+"/supervision/"+sid),
		chromedp.WaitVisible(at("done", "ruled")),
		chromedp.Click(tid("sup-order")),
		chromedp.WaitVisible(tid("order-kv")),
	)
	b.shot(t, "order-completed")
	if txt := b.text(t, `[data-testid="order-kv"]`); !strings.Contains(txt, "已完成") {
		t.Fatalf("order page: %q", txt)
	}
}
