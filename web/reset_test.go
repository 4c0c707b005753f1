package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/demo"
	"github.com/sellercenter/sellercenter/views/paths"
)

// mailedLink is the reset link of the newest outbox mail to an address.
func (e *env) mailedLink(to string) string {
	e.t.Helper()
	var m models.OutboxMail
	if err := e.db.Gorm.Where("to_email = ?", to).Order("id DESC").First(&m).Error; err != nil {
		e.t.Fatalf("no mail to %s: %v", to, err)
	}
	var args map[string]any
	_ = json.Unmarshal([]byte(m.MsgArgs), &args)
	link, _ := args["Link"].(string)
	return link
}

func TestForgotPasswordAnswersTheSameAndTheLinkWorksOnce(t *testing.T) {
	e := newEnv(t)
	if accounts.ResetPath != paths.ResetPassword.String() {
		t.Fatalf("mailed links point at %s, the page is %s", accounts.ResetPath, paths.ResetPassword)
	}
	login := e.client().get("/login")
	if href, _ := testid(login, "forgot-password-link").Attr("href"); href != "/password/forgot" {
		t.Fatalf("login page link %q", href)
	}
	// An address with an account and one without get byte-identical pages.
	var bodies []string
	for _, email := range []string{"staff@acme.test", "nobody@acme.test"} {
		c := e.client()
		c.get("/password/forgot")
		p := c.post("/password/forgot", url.Values{"email": {email}})
		if p.status != http.StatusOK || testid(p, "reset-requested").Length() != 1 {
			t.Fatalf("%s: %d", email, p.status)
		}
		bodies = append(bodies, testid(p, "reset-requested").Text()+p.doc.Find("main, .login-box").Text())
	}
	if bodies[0] != bodies[1] {
		t.Fatal("the answer tells an existing account from a missing one")
	}
	if p := e.client().post("/password/forgot", url.Values{"email": {"bad"}}); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("malformed e-mail: %d", p.status)
	}
	link := e.mailedLink("staff@acme.test")
	staff := e.loggedIn("staff@acme.test")
	c := e.client()
	p := c.get(link)
	if p.status != http.StatusOK || testid(p, "reset-form").Length() != 1 || p.header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("reset page: %d", p.status)
	}
	token, _ := p.doc.Find(`input[name="token"]`).Attr("value")
	if p := c.post("/password/reset", url.Values{"token": {token}, "password": {"x"}}); p.status != http.StatusUnprocessableEntity ||
		testid(p, "reset-form").Length() != 1 {
		t.Fatalf("weak password: %d", p.status)
	}
	if p := c.post("/password/reset", url.Values{"token": {token}, "password": {"brand-new-pass-1"}}); p.status != http.StatusOK ||
		testid(p, "reset-done").Length() != 1 {
		t.Fatalf("reset: %d", p.status)
	}
	if p := staff.get("/"); p.status != http.StatusSeeOther {
		t.Fatalf("the old session survived the reset: %d", p.status)
	}
	if p := e.client().login("staff@acme.test", "brand-new-pass-1"); p.status != http.StatusSeeOther {
		t.Fatalf("new password: %d", p.status)
	}
	if p := c.get(link); p.status != http.StatusNotFound || !strings.Contains(testid(p, "form-error").Text(), "已使用或已过期") {
		t.Fatalf("spent link: %d", p.status)
	}
	if p := c.post("/password/reset", url.Values{"token": {token}, "password": {"another-pass-22"}}); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("spent link posted: %d", p.status)
	}
	if e.count("audit_log", "action = ?", models.AuditPasswordResetByLink) != 1 {
		t.Fatal("not audited")
	}
}

func TestOperationsResetAMerchantUsersPasswordFromTheUserPage(t *testing.T) {
	e := newEnv(t)
	ops := e.loggedIn("ops@demo.test")
	p := ops.get("/admin/users?q=globex")
	if p.status != http.StatusOK || testid(p, "admin-user-row").Length() != 1 {
		t.Fatalf("search: %d, %d rows", p.status, testid(p, "admin-user-row").Length())
	}
	if testid(ops.get("/"), "nav-admin-users").Length() != 1 {
		t.Fatal("no nav link")
	}
	id := e.user("owner@globex.test").ID
	if p := ops.post(paths.AdminUserPassword.String(id), url.Values{"password": {"x"}}); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("weak password: %d", p.status)
	}
	if p := ops.post(paths.AdminUserPassword.String(id), url.Values{"password": {"ops-set-pass-1"}}); p.status != http.StatusSeeOther {
		t.Fatalf("reset: %d", p.status)
	}
	if p := e.client().login("owner@globex.test", "ops-set-pass-1"); p.status != http.StatusSeeOther {
		t.Fatalf("login with the new password: %d", p.status)
	}
	if e.count("audit_log", "action = ? AND actor_email = 'ops@demo.test'", models.AuditPasswordReset) != 1 {
		t.Fatal("not audited")
	}
	owner := e.loggedIn("owner@acme.test")
	if p := owner.get("/admin/users"); p.status != http.StatusForbidden {
		t.Fatalf("owner on the operations page: %d", p.status)
	}
	if p := owner.post(paths.AdminUserPassword.String(id), url.Values{"password": {"owner-pass-123"}}); p.status != http.StatusForbidden {
		t.Fatalf("owner reset another merchant's owner: %d", p.status)
	}
	if p := e.client().login("owner@globex.test", demo.Password); p.status == http.StatusSeeOther {
		t.Fatal("old password still works")
	}
}
