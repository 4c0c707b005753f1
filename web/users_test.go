package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestRoleGatedPages(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		who    string
		path   string
		status int
	}{
		{"owner@acme.test", "/settings/users", 200},
		{"owner@acme.test", "/settings/audit", 200},
		{"owner@acme.test", "/admin/audit", 403},
		{"owner@acme.test", "/admin/merchants", 403},
		{"staff@acme.test", "/settings/users", 403},
		{"staff@acme.test", "/settings/audit", 403},
		{"staff@acme.test", "/settings/profile", 200},
		{"finance@acme.test", "/admin/audit", 403},
		{"finance@acme.test", "/buyer", 403},
		{"ops@demo.test", "/admin/audit", 200},
		{"ops@demo.test", "/admin/merchants", 200},
		{"ops@demo.test", "/settings/users", 403},
	}
	clients := map[string]*client{}
	for _, tc := range cases {
		c := clients[tc.who]
		if c == nil {
			c = e.loggedIn(tc.who)
			clients[tc.who] = c
		}
		p := c.get(tc.path)
		if p.status != tc.status {
			t.Errorf("%s GET %s: %d, want %d", tc.who, tc.path, p.status, tc.status)
		}
		if tc.status == 403 && testid(p, "error-page").AttrOr("data-status", "") != "403" {
			t.Errorf("%s GET %s: no localized 403 page", tc.who, tc.path)
		}
	}
	// Forbidden posts change nothing.
	before := e.count("users", "")
	p := clients["staff@acme.test"].post("/settings/users", url.Values{"email": {"x@acme.test"}, "role": {"tech"}, "password": {"long-enough-pw"}})
	if p.status != 403 || e.count("users", "") != before {
		t.Fatalf("staff created a user: %d", p.status)
	}
}

func TestNavigationFollowsTheRole(t *testing.T) {
	e := newEnv(t)
	has := func(email, testID string) bool {
		return testid(e.loggedIn(email).get("/"), testID).Length() == 1
	}
	if !has("owner@acme.test", "nav-users") || has("staff@acme.test", "nav-users") {
		t.Error("sub-user link: owner only")
	}
	if !has("ops@demo.test", "nav-admin-audit") || has("owner@acme.test", "nav-admin-audit") {
		t.Error("admin audit link: operations only")
	}
}

func TestCrossMerchantAccessByIDIsNotFound(t *testing.T) {
	e := newEnv(t)
	globex := e.loggedIn("owner@globex.test")
	victim := e.user("staff@acme.test")
	for _, action := range []struct {
		path string
		form url.Values
	}{
		{"role", url.Values{"role": {"tech"}}},
		{"status", url.Values{"disabled": {"1"}}},
		{"password", url.Values{"password": {"hijacked-password"}}},
	} {
		p := globex.post(fmt.Sprintf("/settings/users/%d/%s", victim.ID, action.path), action.form)
		if p.status != http.StatusNotFound {
			t.Errorf("%s on another merchant's user: %d, want 404", action.path, p.status)
		}
	}
	after := e.user("staff@acme.test")
	if after.Role != victim.Role || after.Disabled || after.PasswordHash != victim.PasswordHash {
		t.Fatal("another merchant's user was changed")
	}
	// Non-numeric and absent ids are 404 too.
	if p := globex.post("/settings/users/abc/role", url.Values{"role": {"tech"}}); p.status != 404 {
		t.Fatalf("non-numeric id: %d", p.status)
	}
	if p := globex.post("/settings/users/99999/role", url.Values{"role": {"tech"}}); p.status != 404 {
		t.Fatalf("absent id: %d", p.status)
	}
	// And the list shows only the merchant's own users.
	p := globex.get("/settings/users")
	if strings.Contains(p.body, "staff@acme.test") || testid(p, "user-row").Length() != 1 {
		t.Fatalf("globex sees %d rows", testid(p, "user-row").Length())
	}
}

func TestSubUserLifecycle(t *testing.T) {
	e := newEnv(t)
	owner := e.loggedIn("owner@acme.test")
	p := owner.post("/settings/users", url.Values{"email": {"Tech@Acme.test"}, "name": {"赵技术"}, "role": {"tech"}, "password": {"first-password-1"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("add: %d %s", p.status, testid(p, "form-error").Text())
	}
	list := owner.get("/settings/users")
	if !strings.Contains(testid(list, "flash").Text(), "tech@acme.test") {
		t.Fatalf("no success flash: %q", testid(list, "flash").Text())
	}
	if owner.get("/settings/users").doc.Find(`[data-testid="flash"]`).Length() != 0 {
		t.Fatal("flash shown twice")
	}
	row := list.doc.Find(`[data-testid="user-row"][data-email="tech@acme.test"]`)
	if row.Find(`[data-testid="user-role"]`).Text() != "技术" {
		t.Fatalf("new row: %q", row.Text())
	}
	tech := e.user("tech@acme.test")
	techClient := e.client()
	if p := techClient.login("tech@acme.test", "first-password-1"); p.status != http.StatusSeeOther {
		t.Fatalf("new user cannot log in: %d", p.status)
	}

	if p := owner.post(fmt.Sprintf("/settings/users/%d/role", tech.ID), url.Values{"role": {"delivery"}}); p.status != http.StatusSeeOther {
		t.Fatalf("role change: %d", p.status)
	}
	if e.user("tech@acme.test").Role != "delivery" {
		t.Fatal("role not changed")
	}

	if p := owner.post(fmt.Sprintf("/settings/users/%d/status", tech.ID), url.Values{"disabled": {"1"}, "confirm": {"1"}}); p.status != http.StatusSeeOther {
		t.Fatalf("disable: %d", p.status)
	}
	if p := techClient.get("/"); p.status != http.StatusSeeOther {
		t.Fatalf("disabled user's session still works: %d", p.status)
	}
	if p := e.client().login("tech@acme.test", "first-password-1"); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("disabled user logged in: %d", p.status)
	}
	if p := owner.post(fmt.Sprintf("/settings/users/%d/status", tech.ID), url.Values{"disabled": {"0"}}); p.status != http.StatusSeeOther {
		t.Fatalf("enable: %d", p.status)
	}

	if p := owner.post(fmt.Sprintf("/settings/users/%d/password", tech.ID), url.Values{"password": {"second-password-2"}}); p.status != http.StatusSeeOther {
		t.Fatalf("reset: %d", p.status)
	}
	if p := e.client().login("tech@acme.test", "first-password-1"); p.status != http.StatusUnprocessableEntity {
		t.Fatal("old password still works")
	}
	if p := e.client().login("tech@acme.test", "second-password-2"); p.status != http.StatusSeeOther {
		t.Fatal("new password does not work")
	}
	for _, a := range []string{"user.created", "user.role_changed", "user.disabled", "user.enabled", "user.password_reset"} {
		if e.count("audit_log", "action = ? AND target_id = ?", a, fmt.Sprint(tech.ID)) != 1 {
			t.Errorf("%s not audited", a)
		}
	}
}

func TestSubUserBadInputChangesNothing(t *testing.T) {
	e := newEnv(t)
	owner := e.loggedIn("owner@acme.test")
	self := e.user("owner@acme.test")
	before := e.count("users", "")
	adds := []struct {
		name  string
		form  url.Values
		field string
		want  string
	}{
		{"empty email", url.Values{"email": {""}, "role": {"tech"}, "password": {"long-enough-pw"}}, "email", "此项为必填项。"},
		{"malformed email", url.Values{"email": {"a@"}, "role": {"tech"}, "password": {"long-enough-pw"}}, "email", "邮箱格式不正确。"},
		{"oversized email", url.Values{"email": {strings.Repeat("a", 250) + "@b.cn"}, "role": {"tech"}, "password": {"long-enough-pw"}}, "email", "长度不能超过 254 个字符。"},
		{"oversized password", url.Values{"email": {"n@acme.test"}, "role": {"tech"}, "password": {strings.Repeat("p", 1025)}}, "password", "长度不能超过 1024 个字符。"},
		{"short password", url.Values{"email": {"n@acme.test"}, "role": {"tech"}, "password": {"short"}}, "password", "密码至少需要 10 个字符。"},
		{"unknown role", url.Values{"email": {"n@acme.test"}, "role": {"superuser"}, "password": {"long-enough-pw"}}, "role", "未知的角色。"},
		{"platform role", url.Values{"email": {"n@acme.test"}, "role": {"opsmanager"}, "password": {"long-enough-pw"}}, "role", "未知的角色。"},
		{"taken email", url.Values{"email": {"STAFF@acme.test"}, "role": {"tech"}, "password": {"long-enough-pw"}}, "email", "该邮箱已被使用。"},
		{"oversized name", url.Values{"email": {"n@acme.test"}, "name": {strings.Repeat("名", 101)}, "role": {"tech"}, "password": {"long-enough-pw"}}, "name", "长度不能超过 100 个字符。"},
	}
	for _, tc := range adds {
		p := owner.post("/settings/users", tc.form)
		if p.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: status %d", tc.name, p.status)
			continue
		}
		form := testid(p, "user-add-form")
		got := form.Find(`[name="` + tc.field + `"]`).Parent().Find(`[data-testid="field-error"]`).Text()
		if got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	if e.count("users", "") != before {
		t.Fatal("a bad add created a user")
	}

	// Own role and the last owner are protected.
	p := owner.post(fmt.Sprintf("/settings/users/%d/role", self.ID), url.Values{"role": {"tech"}})
	if p.status != http.StatusUnprocessableEntity || testid(p, "form-error").First().Text() != "不能修改自己的角色。" {
		t.Fatalf("own role: %d %q", p.status, testid(p, "form-error").Text())
	}
	p = owner.post(fmt.Sprintf("/settings/users/%d/status", self.ID), url.Values{"disabled": {"1"}})
	if p.status != http.StatusUnprocessableEntity || testid(p, "form-error").First().Text() != "不能停用自己的账号。" {
		t.Fatalf("disable self: %d %q", p.status, testid(p, "form-error").Text())
	}
	// A second owner may not demote or disable the last other owner either.
	staff := e.user("staff@acme.test")
	if p := owner.post(fmt.Sprintf("/settings/users/%d/role", staff.ID), url.Values{"role": {"owner"}}); p.status != http.StatusSeeOther {
		t.Fatalf("promote: %d", p.status)
	}
	second := e.loggedIn("staff@acme.test")
	if p := second.post(fmt.Sprintf("/settings/users/%d/status", self.ID), url.Values{"disabled": {"1"}, "confirm": {"1"}}); p.status != http.StatusSeeOther {
		t.Fatalf("disable one of two owners: %d", p.status)
	}
	// Staff is now the last enabled owner. Even a stale actor (the disabled
	// owner's old identity, at the service level) cannot demote or disable it.
	stale := actorOf(e, "owner@acme.test")
	if err := e.acc.SetDisabled(t.Context(), stale, staff.ID, true, true); err == nil || !strings.Contains(err.Error(), "err.last_owner") {
		t.Fatalf("last owner disabled: %v", err)
	}
	if err := e.acc.ChangeRole(t.Context(), stale, staff.ID, "tech"); err == nil || !strings.Contains(err.Error(), "err.last_owner") {
		t.Fatalf("last owner demoted: %v", err)
	}
	if u := e.user("staff@acme.test"); u.Role != "owner" || u.Disabled {
		t.Fatal("last owner lost the role")
	}
}
