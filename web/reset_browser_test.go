package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// From the login page's 忘记密码 link to a new password through the mailed
// link, in the browser.
func TestBrowserForgotPasswordThroughTheMailedLink(t *testing.T) {
	b := newBrowser(t)
	e := newEnv(t)
	b.do(t,
		chromedp.Navigate(e.srv.URL+"/login"),
		chromedp.WaitVisible(tid("forgot-password-link")),
		chromedp.Click(tid("forgot-password-link")),
		chromedp.WaitVisible(tid("forgot-form")),
		chromedp.SendKeys(tid("forgot-email"), "finance@acme.test"),
		chromedp.Click(tid("forgot-submit")),
		chromedp.WaitVisible(tid("reset-requested")),
	)
	b.shot(t, "requested")
	b.do(t,
		chromedp.Navigate(e.srv.URL+e.mailedLink("finance@acme.test")),
		chromedp.WaitVisible(tid("reset-form")),
		chromedp.SendKeys(tid("reset-password"), "finance-new-pass-1"),
		chromedp.Click(tid("reset-submit")),
		chromedp.WaitVisible(tid("reset-done")),
		chromedp.Click(tid("reset-login")),
		chromedp.WaitVisible(tid("login-form")),
		chromedp.SendKeys(tid("login-email"), "finance@acme.test"),
		chromedp.SendKeys(tid("login-password"), "finance-new-pass-1"),
		chromedp.Click(tid("login-submit")),
		chromedp.WaitVisible(tid("nav-profile")),
	)
	b.shot(t, "signed-in")
}
