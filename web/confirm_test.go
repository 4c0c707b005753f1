package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/sellercenter/sellercenter/models"
)

// confirmPage checks an unconfirmed post got the confirmation step and
// returns the form it offers, as a browser would send it.
func confirmPage(t *testing.T, p page, action string) url.Values {
	t.Helper()
	if p.status != http.StatusOK || testid(p, "confirm-step").Length() != 1 || testid(p, "confirm-question").Text() == "" {
		t.Fatalf("%s: no confirmation step (%d)", action, p.status)
	}
	form := testid(p, "confirm-form")
	if a, _ := form.Attr("action"); a != action {
		t.Fatalf("confirmation posts to %q, want %q", a, action)
	}
	out := url.Values{}
	form.Find(`input[type="hidden"]`).Each(func(_ int, s *goquery.Selection) {
		n, _ := s.Attr("name")
		v, _ := s.Attr("value")
		if n != "_csrf" {
			out.Add(n, v)
		}
	})
	if out.Get("confirm") != "1" {
		t.Fatalf("%s: the confirmation form lacks confirm=1", action)
	}
	if href, _ := testid(p, "confirm-cancel").Attr("href"); href == "" {
		t.Fatal("no way back")
	}
	return out
}

func TestRejectingADemandAsksFirstAndTheUnconfirmedPostChangesNothing(t *testing.T) {
	e := newEnv(t)
	id := e.assignDemand(e.loggedIn("ops@demo.test"), "acme", "私有化部署")
	acme := e.loggedIn("staff@acme.test")
	path := fmt.Sprintf("/demands/%d/reject", id)
	if v, _ := testid(acme.get(fmt.Sprintf("/demands/%d", id)), "demand-reject-form").Attr("data-confirm"); v == "" {
		t.Fatal("the form has no browser-side question either")
	}
	before := e.count("audit_log", "")
	form := confirmPage(t, acme.post(path, url.Values{"reason": {"不在服务范围内"}}), path)
	if st, _, _ := e.demandState(id); st != "pending" || e.count("audit_log", "") != before ||
		e.count("demand_events", "demand_id = ?", id) != 1 {
		t.Fatal("the unconfirmed rejection changed something")
	}
	if form.Get("reason") != "不在服务范围内" {
		t.Fatalf("the reason is not carried: %v", form)
	}
	// A refusal is told before any question: no reason, no confirmation step.
	if p := acme.post(path, url.Values{"reason": {""}}); p.status != http.StatusUnprocessableEntity || testid(p, "confirm-step").Length() != 0 {
		t.Fatalf("missing reason: %d", p.status)
	}
	if p := acme.post(path, form); p.status != http.StatusSeeOther {
		t.Fatalf("confirmed: %d", p.status)
	}
	if st, reason, _ := e.demandState(id); st != "rejected" || reason != "不在服务范围内" {
		t.Fatalf("after confirming: %s %q", st, reason)
	}
}

func TestRevokingAKeyAsksFirstAndTheUnconfirmedPostChangesNothing(t *testing.T) {
	e := newWorld(t)
	owner := e.loggedIn("owner@acme.test")
	var k models.MerchantKey
	if err := e.db.Gorm.Where("status = ? AND merchant_id = (SELECT id FROM merchants WHERE slug = 'acme')", models.KeyActive).
		First(&k).Error; err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/settings/keys/%d/revoke", k.ID)
	form := confirmPage(t, owner.post(path, nil), path)
	if e.count("merchant_keys", "id = ? AND status = ?", k.ID, models.KeyActive) != 1 ||
		e.count("audit_log", "action = ?", models.AuditKeyRevoked) != 0 {
		t.Fatal("the unconfirmed revocation changed something")
	}
	if p := e.loggedIn("owner@globex.test").post(path, nil); p.status != http.StatusNotFound {
		t.Fatalf("another merchant's key asked for confirmation: %d", p.status)
	}
	if p := owner.post(path, form); p.status != http.StatusSeeOther {
		t.Fatalf("confirmed: %d", p.status)
	}
	if e.count("merchant_keys", "id = ? AND status = ?", k.ID, models.KeyRevoked) != 1 {
		t.Fatal("not revoked after confirming")
	}
}

func TestDisablingAUserAsksFirstAndTheUnconfirmedPostChangesNothing(t *testing.T) {
	e := newEnv(t)
	owner := e.loggedIn("owner@acme.test")
	staff := e.loggedIn("staff@acme.test")
	id := e.user("staff@acme.test").ID
	path := fmt.Sprintf("/settings/users/%d/status", id)
	p := owner.post(path, url.Values{"disabled": {"1"}})
	form := confirmPage(t, p, path)
	if got := testid(p, "confirm-question").Text(); got == "" || !strings.Contains(got, "staff@acme.test") {
		t.Fatalf("question %q does not name the user", got)
	}
	if e.user("staff@acme.test").Disabled || e.count("sessions", "user_id = ?", id) == 0 ||
		e.count("audit_log", "action = ?", models.AuditUserDisabled) != 0 {
		t.Fatal("the unconfirmed disabling changed something")
	}
	if p := staff.get("/orders"); p.status != http.StatusOK {
		t.Fatalf("the user's session ended without confirmation: %d", p.status)
	}
	if p := owner.post(path, form); p.status != http.StatusSeeOther || !e.user("staff@acme.test").Disabled {
		t.Fatalf("confirmed: %d", p.status)
	}
	// Enabling again is harmless and asks nothing.
	if p := owner.post(path, url.Values{"disabled": {"0"}}); p.status != http.StatusSeeOther || e.user("staff@acme.test").Disabled {
		t.Fatalf("enable: %d", p.status)
	}
}
