package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/sellercenter/sellercenter/models/demo"
)

func TestLanguageSwitchIsRememberedPerUser(t *testing.T) {
	e := newEnv(t)
	c := e.loggedIn("staff@acme.test")
	if p := c.get("/"); testid(p, "page-title").Text() != "总览" || p.doc.Find("html").AttrOr("lang", "") != "zh-CN" {
		t.Fatalf("default is not Chinese: %q", testid(p, "page-title").Text())
	}
	p := c.post("/lang", url.Values{"lang": {"en"}, "next": {"/settings/profile"}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/settings/profile" {
		t.Fatalf("switch: %d %q", p.status, p.header.Get("Location"))
	}
	if p := c.get("/"); testid(p, "page-title").Text() != "Overview" || p.doc.Find("html").AttrOr("lang", "") != "en" {
		t.Fatalf("not English after switch: %q", testid(p, "page-title").Text())
	}
	if e.user("staff@acme.test").Lang != "en" {
		t.Fatal("choice not saved on the user")
	}
	// A new browser, whose Accept-Language says Chinese, still gets English.
	other := e.client()
	other.lang = "zh-CN"
	if p := other.login("staff@acme.test", demo.Password); p.status != http.StatusSeeOther {
		t.Fatal(p.status)
	}
	if p := other.get("/"); testid(p, "page-title").Text() != "Overview" {
		t.Fatalf("not remembered across sessions: %q", testid(p, "page-title").Text())
	}
	if p := c.post("/lang", url.Values{"lang": {"tlh"}}); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("unknown language: %d", p.status)
	}
}

func TestAnonymousLanguageFollowsCookieThenBrowser(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.lang = "en-US,en;q=0.9"
	if p := c.get("/login"); testid(p, "login-submit").Text() != "Log in" {
		t.Fatalf("Accept-Language ignored: %q", testid(p, "login-submit").Text())
	}
	c.post("/lang", url.Values{"lang": {"zh-CN"}})
	if p := c.get("/login"); testid(p, "login-submit").Text() != "登录" {
		t.Fatalf("cookie ignored: %q", testid(p, "login-submit").Text())
	}
}

func TestHealthMetricsAndSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	p := c.get("/healthz")
	if p.status != 200 || strings.TrimSpace(p.body) != `{"status":"ok"}` {
		t.Fatalf("healthz: %d %s", p.status, p.body)
	}
	c.get("/login")
	c.login("nobody@x.cn", "whatever-pw")
	m := c.get("/metrics")
	for _, want := range []string{
		`sellercenter_http_requests_total{method="GET",route="/login",status="200"}`,
		`sellercenter_http_requests_total{method="POST",route="/login",status="422"}`,
		`sellercenter_http_request_duration_seconds_bucket{method="GET",route="/healthz"`,
		"go_goroutines",
	} {
		if !strings.Contains(m.body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	h := c.get("/login").header
	for k, want := range map[string]string{
		"X-Frame-Options":        "DENY",
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "same-origin",
	} {
		if h.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, h.Get(k), want)
		}
	}
	csp := h.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP: %q", csp)
	}
}

func TestHealthReportsAnUnavailableDatabase(t *testing.T) {
	e := newEnv(t)
	_ = e.db.Close()
	if p := e.client().get("/healthz"); p.status != http.StatusServiceUnavailable {
		t.Fatalf("closed database: %d", p.status)
	}
}

func TestNoInlineScriptsOrStyles(t *testing.T) {
	e := newEnv(t)
	c := e.loggedIn("owner@acme.test")
	for _, path := range []string{"/", "/settings/users", "/settings/profile", "/settings/audit"} {
		p := c.get(path)
		p.doc.Find("script").Each(func(_ int, s *goquery.Selection) {
			if _, ok := s.Attr("src"); !ok {
				t.Errorf("%s: inline <script>", path)
			}
		})
		if p.doc.Find("[style], style").Length() > 0 || p.doc.Find("[onclick],[onsubmit],[onchange]").Length() > 0 {
			t.Errorf("%s: inline style or handler (blocked by CSP)", path)
		}
	}
}

func TestStaticAssetsAreVersioned(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	href, _ := c.get("/login").doc.Find(`link[rel="stylesheet"]`).Attr("href")
	p := c.get(href)
	if p.status != 200 || !strings.Contains(p.header.Get("Cache-Control"), "immutable") || !strings.HasPrefix(p.header.Get("Content-Type"), "text/css") {
		t.Fatalf("%s: %d %q %q", href, p.status, p.header.Get("Cache-Control"), p.header.Get("Content-Type"))
	}
	if p := c.get("/static/000000000000/css/app.css"); p.header.Get("Cache-Control") != "no-cache" {
		t.Fatal("a stale version must not be cached forever")
	}
	if p := c.get("/static/x/../../go.mod"); p.status != 404 {
		t.Fatalf("path escape: %d", p.status)
	}
}

func TestLocalizedNotFoundPages(t *testing.T) {
	e := newEnv(t)
	anon := e.client()
	if p := anon.get("/no/such/page"); p.status != 404 || !strings.Contains(p.body, "页面或记录不存在") {
		t.Fatalf("anonymous 404: %d", p.status)
	}
	c := e.loggedIn("staff@acme.test")
	p := c.get("/no/such/page")
	if p.status != 404 || testid(p, "sidenav").Length() != 1 {
		t.Fatalf("signed-in 404 without the shell: %d", p.status)
	}
	c.post("/lang", url.Values{"lang": {"en"}})
	if p := c.get("/no/such/page"); !strings.Contains(p.body, "does not exist") {
		t.Fatal("404 page not in English")
	}
}

func TestAuditPagesAreScoped(t *testing.T) {
	e := newEnv(t)
	e.loggedIn("owner@globex.test")
	e.client().login("owner@acme.test", "wrong-password-1")
	acme := e.loggedIn("owner@acme.test")
	p := acme.get("/settings/audit")
	if strings.Contains(p.body, "owner@globex.test") {
		t.Fatal("acme owner sees globex's audit lines")
	}
	if testid(p, "audit-row").Filter(`[data-action="login.failed"]`).Length() != 1 {
		t.Fatalf("own failed login missing: %d rows", testid(p, "audit-row").Length())
	}
	ops := e.loggedIn("ops@demo.test").get("/admin/audit?action=login")
	if !strings.Contains(ops.body, "owner@globex.test") || !strings.Contains(ops.body, "owner@acme.test") {
		t.Fatal("operations manager does not see every merchant")
	}
	if testid(ops, "audit-row").Not(`[data-action="login"]`).Length() != 0 {
		t.Fatal("action filter ignored")
	}
	if p := acme.get("/settings/audit?cursor=abc"); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("tampered cursor: %d", p.status)
	}
}

func TestOperationsManagerCreatesAMerchant(t *testing.T) {
	e := newEnv(t)
	ops := e.loggedIn("ops@demo.test")
	p := ops.post("/admin/merchants", url.Values{"slug": {"initech"}, "name": {"Initech"}, "owner_email": {"boss@initech.test"}, "owner_password": {"initech-pass-1"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("create: %d %s", p.status, testid(p, "form-error").Text())
	}
	if p := e.client().login("boss@initech.test", "initech-pass-1"); p.status != http.StatusSeeOther {
		t.Fatal("new owner cannot log in")
	}
	p = ops.post("/admin/merchants", url.Values{"slug": {"initech"}, "name": {"Again"}, "owner_email": {"b2@initech.test"}, "owner_password": {"initech-pass-1"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "该商家标识已被使用") {
		t.Fatalf("duplicate slug: %d", p.status)
	}
	if e.count("users", "email = 'b2@initech.test'") != 0 {
		t.Fatal("half-created merchant left an owner behind")
	}
}

func TestServerErrorsGetALocalizedPageWithoutDetails(t *testing.T) {
	e := newEnv(t)
	c := e.loggedIn("owner@acme.test")
	_ = e.db.Close() // the database disappears under a signed-in user
	p := c.get("/settings/users")
	if p.status != http.StatusInternalServerError {
		t.Fatalf("status %d", p.status)
	}
	if !strings.Contains(p.body, "服务器出现错误") || strings.Contains(p.body, "sql: database is closed") {
		t.Fatalf("500 page: %s", p.body)
	}
}
