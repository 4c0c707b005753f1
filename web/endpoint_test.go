package web_test

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sellercenter/sellercenter/models"
)

// closedURL is a local address nothing listens on.
func closedURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := "http://" + l.Addr().String() + "/produce"
	l.Close()
	return u
}

func (w *world) endpointURL(slug string) string {
	w.t.Helper()
	m, err := w.cat.MerchantBySlug(context.Background(), slug)
	if err != nil {
		w.t.Fatal(err)
	}
	ep, err := w.cat.Endpoint(context.Background(), models.SystemActor("test"), m.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	return ep.URL
}

func endpointForm(u string) url.Values {
	return url.Values{"url": {u}, "protocol": {"v2"}, "encrypt_type": {"1"}, "timeout_ms": {"2000"}, "max_concurrency": {"4"}}
}

func TestEndpointSaveShowsTheTestCallAndWaitsForConfirmation(t *testing.T) {
	w := newWorld(t)
	good, bad := w.endpointURL("acme"), closedURL(t)
	owner := w.loggedIn("owner@acme.test")
	audited := w.count("audit_log", "action = ?", models.AuditEndpointChanged) // the demo's own setup
	p := owner.post("/settings/endpoint", endpointForm(bad))
	if p.status != http.StatusOK || testid(p, "endpoint-check").Length() != 1 {
		t.Fatalf("failing endpoint: %d", p.status)
	}
	if got := testid(p, "endpoint-check-result").Text(); !strings.Contains(got, "连接失败") && !strings.Contains(got, "无响应") {
		t.Fatalf("answer %q", got)
	}
	if errText := testid(p, "endpoint-check-error").Text(); strings.Contains(errText, "signature=") && !strings.Contains(errText, "signature=***") {
		t.Fatalf("unmasked error %q", errText)
	}
	if w.endpointURL("acme") != good || w.count("audit_log", "action = ?", models.AuditEndpointChanged) != audited {
		t.Fatal("saved without confirmation")
	}
	if v, _ := p.doc.Find(`[data-testid="endpoint-confirm-form"] input[name="confirm"]`).Attr("value"); v != "1" {
		t.Fatal("no confirmation form")
	}
	// A stale or forged confirm without the field saves nothing either.
	form := endpointForm(bad)
	form.Set("confirm", "yes")
	if p := owner.post("/settings/endpoint", form); p.status != http.StatusOK || w.endpointURL("acme") != good {
		t.Fatalf("confirm=yes saved: %d", p.status)
	}
	form.Set("confirm", "1")
	if p := owner.post("/settings/endpoint", form); p.status != http.StatusSeeOther || w.endpointURL("acme") != bad {
		t.Fatalf("confirmed: %d", p.status)
	}
	if got := testid(owner.get("/settings/endpoint"), "flash").Text(); !strings.Contains(got, "测试调用未通过") {
		t.Fatalf("flash %q", got)
	}
	p = owner.post("/settings/endpoint", endpointForm(good))
	if p.status != http.StatusSeeOther || w.endpointURL("acme") != good {
		t.Fatalf("working endpoint: %d", p.status)
	}
	if got := testid(owner.get("/settings/endpoint"), "flash").Text(); !strings.Contains(got, "000000") {
		t.Fatalf("flash after a passing call %q", got)
	}
	if n := w.count("audit_log", "action = ? AND detail LIKE '%\"old\"%' AND detail LIKE '%\"test_call\"%'", models.AuditEndpointChanged); n != 2 {
		t.Fatalf("%d audited changes with old, new and the test call", n)
	}
}

func TestBrowserEndpointTestCallBeforeSaving(t *testing.T) {
	b := newBrowser(t)
	w := newWorld(t)
	good, bad := w.endpointURL("acme"), closedURL(t)
	b.login(t, w.srv.URL, "owner@acme.test")
	b.do(t,
		chromedp.Navigate(w.srv.URL+"/settings/endpoint"),
		chromedp.WaitVisible(tid("endpoint-form")),
		chromedp.SetValue(tid("endpoint-url"), bad),
		chromedp.Click(tid("endpoint-save")),
		chromedp.WaitVisible(tid("endpoint-check")),
	)
	b.shot(t, "check-failed")
	if got := b.text(t, `[data-testid="endpoint-check-result"]`); got == "" {
		t.Fatal("no answer shown")
	}
	if w.endpointURL("acme") != good {
		t.Fatal("saved before confirmation")
	}
	b.do(t, chromedp.Click(tid("endpoint-confirm")), chromedp.WaitVisible(tid("flash")))
	b.shot(t, "saved-anyway")
	if w.endpointURL("acme") != bad {
		t.Fatal("not saved after confirmation")
	}
	if n := w.count("audit_log", "action = ? AND detail LIKE ?", models.AuditEndpointChanged, "%"+good+"%"); n != 1 {
		t.Fatalf("audit with the old value: %d", n)
	}
}

func TestKeyImportShowsTheTestCallAndWaitsForConfirmation(t *testing.T) {
	w := newWorld(t)
	owner := w.loggedIn("owner@acme.test")
	if testid(owner.get("/settings/endpoint"), "key-import-form").Length() != 1 {
		t.Fatal("no import form")
	}
	keys := func() int64 { return w.count("merchant_keys", "") }
	n := keys()
	wrong := "Wrong-Key-0123456789abcdef"
	p := owner.post("/settings/keys/import", url.Values{"key": {wrong}, "overlap_hours": {"24"}})
	if p.status != http.StatusOK || testid(p, "key-check").Length() != 1 || keys() != n {
		t.Fatalf("wrong key: %d, keys %d→%d", p.status, n, keys())
	}
	if p := owner.post("/settings/keys/import", url.Values{"key": {"short"}, "overlap_hours": {"24"}}); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("short key: %d", p.status)
	}
	if p := owner.post("/settings/keys/import", url.Values{"key": {wrong}, "overlap_hours": {"24"}, "confirm": {"1"}}); p.status != http.StatusSeeOther || keys() != n+1 {
		t.Fatalf("confirmed: %d", p.status)
	}
	if strings.Contains(owner.get("/settings/endpoint").body, wrong) {
		t.Fatal("the imported key shows on the page afterwards")
	}
}
