package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/sellercenter/sellercenter/web/koogallery/sandbox"
)

func TestMessageLogIsScopedToTheMerchant(t *testing.T) {
	w := newWorld(t)
	w.order("ORD-A1", "00301-100001-0--0")
	w.order("ORD-G1", "00302-200001-0--0")
	acme := w.loggedIn("owner@acme.test")
	p := acme.get("/interface-messages")
	if p.status != 200 || !strings.Contains(p.body, "ORD-A1") || strings.Contains(p.body, "ORD-G1") {
		t.Fatalf("acme's log: %d, rows %d", p.status, testid(p, "call-row").Length())
	}
	if testid(p, "call-merchant").Length() != 0 {
		t.Fatal("a merchant sees the 商家 column")
	}
	globexCall := w.callID("ORD-G1")
	if p := acme.get(fmt.Sprintf("/interface-messages/%d", globexCall)); p.status != 404 {
		t.Fatalf("another merchant's call: %d", p.status)
	}
	if p := acme.post(fmt.Sprintf("/interface-messages/%d/restart", globexCall), nil); p.status != 404 {
		t.Fatalf("restart of another merchant's call: %d", p.status)
	}
	// Keys: each merchant sees its own only.
	keys := acme.get("/settings/endpoint")
	if testid(keys, "key-row").Length() != 1 || strings.Contains(keys.body, "globex") {
		t.Fatalf("acme keys page: %d rows", testid(keys, "key-row").Length())
	}
	ops := w.loggedIn("ops@demo.test").get("/interface-messages")
	if !strings.Contains(ops.body, "ORD-A1") || !strings.Contains(ops.body, "ORD-G1") {
		t.Fatal("operations manager does not see every merchant's calls")
	}
	// Operations see whose call it is, by the merchant's name (not its slug).
	names := map[string]bool{}
	testid(ops, "call-merchant").Each(func(_ int, s *goquery.Selection) { names[strings.TrimSpace(s.Text())] = true })
	var acmeName, globexName string
	if err := w.db.SQL.QueryRow(`SELECT (SELECT name FROM merchants WHERE slug = 'acme'), (SELECT name FROM merchants WHERE slug = 'globex')`).
		Scan(&acmeName, &globexName); err != nil {
		t.Fatal(err)
	}
	if !names[acmeName] || !names[globexName] || acmeName == "acme" {
		t.Fatalf("merchant column %v, want %q and %q", names, acmeName, globexName)
	}
	if d := w.loggedIn("ops@demo.test").get(fmt.Sprintf("/interface-messages/%d", globexCall)); d.status != 200 ||
		strings.TrimSpace(testid(d, "call-merchant").Text()) != globexName {
		t.Fatalf("ops call detail: %d merchant %q", d.status, testid(d, "call-merchant").Text())
	}
	if p := w.loggedIn("ops@demo.test").get("/interface-messages?merchant=acme"); strings.Contains(p.body, "ORD-G1") {
		t.Fatal("merchant filter ignored")
	}
	if p := w.loggedIn("finance@acme.test").get("/interface-messages"); p.status != 403 {
		t.Fatalf("finance sees the interface log: %d", p.status)
	}
}

func TestRestartFromTheMessageDetail(t *testing.T) {
	w := newWorld(t)
	w.order("ORD-G2", "00302-200001-0--0")
	globex := w.loggedIn("owner@globex.test")
	id := w.callID("ORD-G2")
	d := globex.get(fmt.Sprintf("/interface-messages/%d", id))
	if d.status != 200 || testid(d, "call-detail").AttrOr("data-state", "") != "retrying" || testid(d, "ilog-restart").Length() != 1 {
		t.Fatalf("detail: %d state %q", d.status, testid(d, "call-detail").AttrOr("data-state", ""))
	}
	if !strings.Contains(testid(d, "ilog-result").Text(), "000005") || !strings.Contains(d.body, "其它服务内部错误") {
		t.Fatalf("result code and meaning missing: %q", testid(d, "ilog-result").Text())
	}
	if strings.Contains(testid(d, "ilog-request").Text(), "authToken=") && !strings.Contains(testid(d, "ilog-request").Text(), "***") {
		t.Fatal("the stored request shows an unmasked authToken")
	}
	if err := w.sb.Server("globex").SetFaults(sandbox.Faults{}); err != nil {
		t.Fatal(err)
	}
	p := globex.post(fmt.Sprintf("/interface-messages/%d/restart", id), nil)
	if p.status != http.StatusSeeOther {
		t.Fatalf("restart: %d", p.status)
	}
	// While an attempt is out (claimed, not answered) the detail says so.
	if _, err := w.db.SQL.Exec(`UPDATE calls SET attempts = attempts + 1, inflight_at = ? WHERE id = ?`,
		time.Now().UTC(), id); err != nil {
		t.Fatal(err)
	}
	if d := globex.get(fmt.Sprintf("/interface-messages/%d", id)); testid(d, "ilog-attempt-in-flight").Length() != 1 ||
		!strings.Contains(testid(d, "ilog-attempt-in-flight").Text(), "#2") || testid(d, "call-refresh").Length() != 1 {
		t.Fatalf("claimed attempt not shown, or the page does not refresh itself: %q", testid(d, "ilog-attempt-in-flight").Text())
	}
	if _, err := w.db.SQL.Exec(`UPDATE calls SET attempts = attempts - 1, inflight_at = NULL WHERE id = ?`, id); err != nil {
		t.Fatal(err)
	}
	w.runDue()
	d = globex.get(fmt.Sprintf("/interface-messages/%d", id))
	if testid(d, "ilog-attempt-in-flight").Length() != 0 {
		t.Fatal("an answered attempt still shown in flight")
	}
	if testid(d, "call-detail").AttrOr("data-state", "") != "recovered" || testid(d, "ilog-restart").Length() != 0 ||
		testid(d, "call-refresh").Length() != 0 {
		t.Fatalf("after restart: %q", testid(d, "call-detail").AttrOr("data-state", ""))
	}
	// Each attempt keeps its own outcome: the failure stays a failure.
	rows := testid(d, "attempt-row")
	if rows.Length() != 2 || rows.First().AttrOr("data-outcome", "") != "error" || rows.First().AttrOr("data-attempt", "") != "1" ||
		rows.Last().AttrOr("data-outcome", "") != "ok" || rows.Last().AttrOr("data-attempt", "") != "2" {
		t.Fatal("the attempts list does not show the manual success after the failure")
	}
	if w.count("audit_log", "action = 'call.restarted'") != 1 {
		t.Fatal("restart not audited")
	}
	// Tech may restart; read-only and finance may not even see the button's target.
	if p := w.loggedIn("staff@acme.test").post(fmt.Sprintf("/interface-messages/%d/restart", id), nil); p.status != 403 {
		t.Fatalf("operations role restarted: %d", p.status)
	}
}

func TestMessageLogFiltersAndBadInput(t *testing.T) {
	w := newWorld(t)
	w.order("ORD-A2", "00301-100001-0--0")
	w.order("ORD-A3", "00301-100002-0--0")
	acme := w.loggedIn("owner@acme.test")
	rows := func(q string) int {
		p := acme.get("/interface-messages?" + q)
		if p.status != 200 {
			t.Fatalf("%s: %d", q, p.status)
		}
		return testid(p, "call-row").Length()
	}
	all := rows("")
	if all != 2 { // V2: create + query for each order, one call each
		t.Fatalf("rows: %d", all)
	}
	if n := rows("activity=newInstance"); n != 2 {
		t.Fatalf("activity filter: %d", n)
	}
	if n := rows("activity=releaseInstance"); n != 0 {
		t.Fatalf("activity filter: %d", n)
	}
	if n := rows("order=ORD-A2"); n != 1 {
		t.Fatalf("order filter: %d", n)
	}
	if n := rows(url.Values{"order": {"ORD-A*"}}.Encode()); n != all {
		t.Fatalf("order prefix: %d of %d", n, all)
	}
	if n := rows("state=failed"); n != 0 {
		t.Fatalf("state filter: %d", n)
	}
	if n := rows("state=ok"); n != 2 {
		t.Fatalf("state filter ok: %d", n)
	}
	for _, bad := range []string{"from=2026-11-30&to=2026-11-01", "state=exploded", "class=nope", "from=31/12/2026", "activity=rm"} {
		if p := acme.get("/interface-messages?" + bad); p.status != http.StatusUnprocessableEntity || testid(p, "field-error").Length() == 0 {
			t.Errorf("%s: %d", bad, p.status)
		}
	}
	if p := acme.get("/interface-messages?cursor=%21%21"); p.status != http.StatusBadRequest {
		t.Fatalf("tampered cursor: %d", p.status)
	}
}

func TestStoredRequestsMaskSecretsAndPII(t *testing.T) {
	w := newWorld(t)
	w.order("ORD-PII", "00302-200001-0--0") // Globex speaks V1: everything is in the URL
	var url, body string
	if err := w.db.SQL.QueryRow(`SELECT url, request_body FROM interface_messages WHERE order_id = 'ORD-PII'`).Scan(&url, &body); err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"王五", "%E7%8E%8B%E4%BA%94"} {
		if strings.Contains(url+body, secret) {
			t.Fatalf("buyer name stored in clear: %s", url)
		}
	}
	if !strings.Contains(url, "authToken=***") || !strings.Contains(url, "customerName=***") {
		t.Fatalf("masking missing: %s", url)
	}
}
