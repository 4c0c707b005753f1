package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/sellercenter/sellercenter/models/demo"
)

var csrfValue = regexp.MustCompile(`name="_csrf" value="[^"]*"`)

// TestAddingAForeignEmailLooksLikeAFreeOne: a free address, another
// merchant's and the platform's each get the same answer, flash, list row
// and owner's audit line, byte for byte apart from the address typed; the
// foreign addresses never gain access to the merchant.
func TestAddingAForeignEmailLooksLikeAFreeOne(t *testing.T) {
	// Each address in a fresh app, so row ids and audit ids line up.
	answer := func(email string) string {
		t.Helper()
		e := newEnv(t)
		owner := e.loggedIn("owner@acme.test")
		p := owner.post("/settings/users", url.Values{"email": {email}, "name": {"新同事"}, "role": {"tech"}, "password": {"long-enough-pw"}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("%s: %d", email, p.status)
		}
		var b strings.Builder
		b.WriteString(p.header.Get("Location") + "\n")
		list := owner.get("/settings/users")
		for _, id := range []string{"flash", "users-table"} {
			html, _ := testid(list, id).Html()
			b.WriteString(html + "\n")
		}
		audit := owner.get("/settings/audit")
		html, _ := testid(audit, "audit-table").Html()
		b.WriteString(html)
		out := strings.ReplaceAll(b.String(), email, "‹email›")
		out = csrfValue.ReplaceAllString(out, `name="_csrf"`)
		if !strings.Contains(out, "待接受") || !strings.Contains(out, "已向 ‹email› 发送邀请") {
			t.Fatalf("%s: no pending row:\n%s", email, out)
		}
		// The address never gets into acme.
		if email != "brand-new@acme.test" {
			c := e.client()
			if p := c.login(email, demo.Password); p.status != http.StatusSeeOther {
				t.Fatalf("%s cannot log in as before: %d", email, p.status)
			}
			if p := c.get("/settings/users"); p.status == http.StatusOK && strings.Contains(p.body, "owner@acme.test") {
				t.Fatalf("%s sees acme's users", email)
			}
			if e.count("users", "lower(email) = ? AND merchant_id = (SELECT id FROM merchants WHERE slug = 'acme')", email) != 0 {
				t.Fatalf("%s became an acme user", email)
			}
			if p := c.login(email, "long-enough-pw"); p.status == http.StatusSeeOther {
				t.Fatalf("%s logs in with the owner's password", email)
			}
		}
		// The owner cancels the pending row alike, whatever the address.
		action, _ := list.doc.Find(`[data-testid="user-row"][data-email="` + email + `"] form`).Attr("action")
		if p := owner.post(action, nil); p.status != http.StatusSeeOther {
			t.Fatalf("cancel %s (%q): %d", email, action, p.status)
		}
		if strings.Contains(owner.get("/settings/users").body, email) {
			t.Fatalf("%s still listed after cancelling", email)
		}
		return out
	}
	free := answer("brand-new@acme.test")
	for _, email := range []string{"owner@globex.test", "ops@demo.test"} {
		if got := answer(email); got != free {
			t.Fatalf("%s answers differently:\n%s\n---\n%s", email, got, free)
		}
	}
	for _, tell := range []string{"已被使用", "已存在", "其他商家", "already"} {
		if strings.Contains(free, tell) {
			t.Fatalf("the answer says %q", tell)
		}
	}
}
