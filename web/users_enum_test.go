package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sellercenter/sellercenter/models/accounts"
)

// TestAddingAForeignEmailLooksLikeAnyRefusal: another merchant's address
// and the platform's get the answer a free address gets once the merchant
// used up its refusals for the day, byte for byte apart from the address
// typed back, and none of them says the address exists.
func TestAddingAForeignEmailLooksLikeAnyRefusal(t *testing.T) {
	e := newEnv(t)
	owner := e.loggedIn("owner@acme.test")
	answer := func(email string) (int, string) {
		t.Helper()
		p := owner.post("/settings/users", url.Values{"email": {email}, "name": {"新同事"}, "role": {"tech"}, "password": {"long-enough-pw"}})
		form := testid(p, "user-add-form")
		html, _ := form.Html()
		return p.status, strings.ReplaceAll(html, email, "‹email›")
	}
	st1, foreign := answer("owner@globex.test")
	st2, platform := answer("ops@demo.test")
	if st1 != http.StatusUnprocessableEntity || st1 != st2 || foreign != platform {
		t.Fatalf("another merchant's and the platform's address differ: %d %d", st1, st2)
	}
	for _, tell := range []string{"已被使用", "已存在", "其他商家", "already"} {
		if strings.Contains(foreign, tell) {
			t.Fatalf("the answer says %q", tell)
		}
	}
	for i := 0; i < accounts.MaxAddRefusals-2; i++ {
		answer("owner@globex.test")
	}
	st3, free := answer("brand-new@acme.test")
	if st3 != st1 || free != foreign {
		t.Fatalf("a refused free address answers differently:\n%s\n---\n%s", free, foreign)
	}
	if e.count("users", "email IN ('brand-new@acme.test')") != 0 {
		t.Fatal("added")
	}
}
