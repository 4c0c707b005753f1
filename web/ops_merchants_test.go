package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/web/koogallery/sandbox"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func (e *env) merchantID(slug string) int64 {
	e.t.Helper()
	var id int64
	if err := e.db.SQL.QueryRow(`SELECT id FROM merchants WHERE slug = ?`, slug).Scan(&id); err != nil {
		e.t.Fatal(err)
	}
	return id
}

func TestOpsMerchantListLinksDetailAndHeaderIsAColumnName(t *testing.T) {
	e := newEnv(t)
	ops := e.loggedIn("ops@demo.test")
	p := ops.get("/admin/merchants")
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	head := p.doc.Find(`[data-testid="merchants-table"] thead`).Text()
	if !strings.Contains(head, "创建时间") || strings.Contains(head, "已创建") || strings.Contains(head, "no value") {
		t.Errorf("column headers %q", head)
	}
	href, _ := testid(p, "merchant-link").First().Attr("href")
	if href == "" {
		t.Fatal("no link to a merchant's detail")
	}
	d := ops.get(href)
	if d.status != http.StatusOK || testid(d, "merchant-status-form").Length() != 1 || testid(d, "merchant-user").Length() == 0 {
		t.Fatalf("detail: status %d\n%s", d.status, d.body)
	}
	// Merchant users have no merchant administration; a bad id is a 404.
	if s := e.loggedIn("owner@acme.test").get(href).status; s != http.StatusForbidden {
		t.Errorf("owner on a merchant detail: %d", s)
	}
	if s := ops.get("/admin/merchants/99999").status; s != http.StatusNotFound {
		t.Errorf("unknown merchant: %d", s)
	}
}

func TestOpsSuspendNeedsConfirmationLocksUsersOutAndIsAudited(t *testing.T) {
	e := newEnv(t)
	acme := e.merchantID("acme")
	staff := e.loggedIn("staff@acme.test")
	ops := e.loggedIn("ops@demo.test")
	path := "/admin/merchants/" + itoa(acme) + "/status"

	p := ops.post(path, url.Values{"to": {"suspended"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "请勾选确认") {
		t.Fatalf("unconfirmed suspension: status %d", p.status)
	}
	if n := e.count("merchants", "id = ? AND status = 'suspended'", acme); n != 0 {
		t.Fatal("suspended without confirmation")
	}
	if p := ops.post(path, url.Values{"to": {"suspended"}, "confirm": {"1"}, "reason": {"合同到期"}}); p.status != http.StatusSeeOther {
		t.Fatalf("suspend: status %d\n%s", p.status, p.body)
	}
	if n := e.count("audit_log", "action = ? AND merchant_id = ? AND detail LIKE ?", models.AuditMerchantSuspended, acme, "%合同到期%"); n != 1 {
		t.Errorf("suspension audit rows: %d", n)
	}
	// The signed-in user's session ends; a new login is refused with why.
	if p := staff.get("/orders"); p.status != http.StatusSeeOther {
		t.Errorf("suspended merchant's session still works: %d", p.status)
	}
	c := e.client()
	p = c.login("owner@acme.test", "demo-pass-123")
	if p.status == http.StatusSeeOther || !strings.Contains(p.body, "商家已被平台暂停") {
		t.Errorf("suspended owner login: status %d", p.status)
	}
	en := e.client()
	en.lang = "en"
	if p := en.login("owner@acme.test", "demo-pass-123"); !strings.Contains(p.body, "suspended by the marketplace") {
		t.Errorf("English refusal missing")
	}
	// A wrong password learns nothing about the suspension.
	if p := e.client().login("owner@acme.test", "wrong-password-1"); strings.Contains(p.body, "暂停") {
		t.Error("a wrong password revealed the suspension")
	}
	// Another merchant is untouched.
	if p := e.client().login("owner@globex.test", "demo-pass-123"); p.status != http.StatusSeeOther {
		t.Errorf("globex owner: %d", p.status)
	}
	// Suspending again is a stale page: 409, not a second audit row.
	if p := ops.post(path, url.Values{"to": {"suspended"}, "confirm": {"1"}}); p.status != http.StatusConflict {
		t.Errorf("second suspension: %d", p.status)
	}
	if p := ops.post(path, url.Values{"to": {"active"}, "confirm": {"1"}}); p.status != http.StatusSeeOther {
		t.Fatalf("resume: %d", p.status)
	}
	if n := e.count("audit_log", "action = ? AND merchant_id = ?", models.AuditMerchantResumed, acme); n != 1 {
		t.Errorf("resume audit rows: %d", n)
	}
	if p := e.client().login("owner@acme.test", "demo-pass-123"); p.status != http.StatusSeeOther {
		t.Errorf("login after resume: %d", p.status)
	}
	// Merchant users cannot suspend anybody.
	owner := e.loggedIn("owner@globex.test")
	if p := owner.post(path, url.Values{"to": {"suspended"}, "confirm": {"1"}}); p.status != http.StatusForbidden {
		t.Errorf("owner suspending: %d", p.status)
	}
}

// A suspended merchant's endpoint gets no call; the calls due meanwhile
// wait, and the suspension does not count against their retry window.
func TestOpsSuspendedMerchantGetsNoCallsAndKeepsItsWindow(t *testing.T) {
	w := newWorld(t)
	globex := w.merchantID("globex")
	ops := w.loggedIn("ops@demo.test")
	path := "/admin/merchants/" + itoa(globex) + "/status"

	w.order("ORD-SUSP-1", "00302-200001-0--0") // fails: globex fails every call
	if n := w.count("interface_messages", "order_id = 'ORD-SUSP-1'"); n != 1 {
		t.Fatalf("attempts before suspension: %d", n)
	}
	if p := ops.post(path, url.Values{"to": {"suspended"}, "confirm": {"1"}}); p.status != http.StatusSeeOther {
		t.Fatalf("suspend: %d", p.status)
	}
	// Three hours pass: longer than the 2-hour create window.
	for range 90 {
		w.clock.Advance(2 * time.Minute)
		w.runDue()
	}
	if n := w.count("interface_messages", "order_id = 'ORD-SUSP-1'"); n != 1 {
		t.Fatalf("attempts sent while suspended: %d", n)
	}
	if n := w.count("calls", "merchant_id = ? AND state = ?", globex, models.CallRetrying); n != 1 {
		t.Fatalf("the call did not keep waiting (retrying calls: %d)", n)
	}
	if n := w.count("order_lines", "order_line_id = 'ORD-SUSP-1-1' AND status = ?", models.LineProvisioningFailed); n != 0 {
		t.Fatal("the suspension auto-unsubscribed the line")
	}
	if err := w.sb.Server("globex").SetFaults(sandbox.Faults{}); err != nil {
		t.Fatal(err)
	}
	if p := ops.post(path, url.Values{"to": {"active"}, "confirm": {"1"}}); p.status != http.StatusSeeOther {
		t.Fatalf("resume: %d", p.status)
	}
	var deadline, first time.Time
	if err := w.db.SQL.QueryRow(`SELECT deadline_at, first_at FROM calls WHERE merchant_id = ?`, globex).Scan(&deadline, &first); err != nil {
		t.Fatal(err)
	}
	if got := deadline.Sub(first); got != 2*time.Hour {
		t.Errorf("window after resume %s, want 2h", got)
	}
	if !deadline.After(w.clock.Now().Add(time.Hour)) {
		t.Errorf("deadline %s not moved past the suspension (now %s)", deadline, w.clock.Now())
	}
	w.clock.Advance(2 * time.Minute)
	w.runDue()
	if n := w.count("calls", "merchant_id = ? AND state = ?", globex, models.CallSucceeded); n != 1 {
		t.Fatalf("the call did not resume and succeed")
	}
	if n := w.count("interface_messages", "order_id = 'ORD-SUSP-1'"); n != 2 {
		t.Errorf("attempts after resume: %d, want 2", n)
	}
}
