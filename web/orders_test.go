package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func (w *world) orderRef(orderID string) int64 {
	w.t.Helper()
	var id int64
	if err := w.db.SQL.QueryRow(`SELECT id FROM orders WHERE order_id = ?`, orderID).Scan(&id); err != nil {
		w.t.Fatal(err)
	}
	return id
}

func TestOrderListAndDetailPages(t *testing.T) {
	w := newWorld(t)
	w.order("ORD-L1", "00301-100001-0--0")
	w.order("ORD-L2", "00301-100001-0--0")
	w.order("ORD-G9", "00302-200001-0--0")
	acme := w.loggedIn("owner@acme.test")
	p := acme.get("/orders")
	if p.status != 200 || testid(p, "order-row").Length() != 2 || strings.Contains(p.body, "ORD-G9") {
		t.Fatalf("list: %d, %d rows", p.status, testid(p, "order-row").Length())
	}
	if tot := testid(p, "order-totals").Find(`[data-currency="CNY"]`); tot.AttrOr("data-count", "") != "2" || tot.AttrOr("data-amount", "") != "19800" {
		t.Fatalf("totals: %s", tot.Text())
	}
	if testid(p, "export-form").Length() != 1 {
		t.Fatal("no export form on the list")
	}
	if p := acme.get("/orders?" + url.Values{"order": {"ORD-L2"}}.Encode()); testid(p, "order-row").Length() != 1 {
		t.Fatal("order filter")
	}
	if p := acme.get("/orders?status=completed&charging=PERIOD"); testid(p, "order-row").Length() != 2 {
		t.Fatal("combined filter")
	}
	if p := acme.get("/orders?status=bogus"); p.status != http.StatusUnprocessableEntity || testid(p, "field-error").Length() == 0 {
		t.Fatalf("bad filter: %d", p.status)
	}
	if p := acme.get("/orders?cursor=xyz"); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("tampered cursor: %d", p.status)
	}

	ref := w.orderRef("ORD-L1")
	d := acme.get(fmt.Sprintf("/orders/%d", ref))
	if d.status != 200 || testid(d, "order-line").Length() != 1 || testid(d, "order-timeline").Find("li").Length() < 3 {
		t.Fatalf("detail: %d, timeline %d", d.status, testid(d, "order-timeline").Find("li").Length())
	}
	if strings.Contains(d.body, "王五") {
		t.Fatal("buyer name shown unmasked before reveal")
	}
	r := acme.post(fmt.Sprintf("/orders/%d/reveal-buyer", ref), nil)
	if r.status != 200 || !strings.Contains(testid(r, "buyer-revealed").Text(), "王五") {
		t.Fatalf("reveal buyer: %d", r.status)
	}
	line := testid(d, "reveal-credentials").Parent().Find(`input[name="line"]`).AttrOr("value", "")
	r = acme.post(fmt.Sprintf("/orders/%d/reveal-credentials", ref), url.Values{"line": {line}})
	if r.status != 200 || !strings.Contains(testid(r, "credentials").Text(), "https://acme.sandbox.invalid") {
		t.Fatalf("reveal credentials: %d %q", r.status, testid(r, "credentials").Text())
	}
	if w.count("audit_log", "action IN ('buyer_pii.revealed', 'credentials.revealed') AND target_id = ?", fmt.Sprint(ref)) != 2 {
		t.Fatal("reveals not audited")
	}
	// Finance sees orders but may reveal nothing; another merchant gets 404.
	fin := w.loggedIn("finance@acme.test")
	if p := fin.get(fmt.Sprintf("/orders/%d", ref)); p.status != 200 || testid(p, "reveal-credentials").Length() != 0 {
		t.Fatalf("finance detail: %d", p.status)
	}
	if p := fin.post(fmt.Sprintf("/orders/%d/reveal-credentials", ref), url.Values{"line": {line}}); p.status != 403 {
		t.Fatalf("finance revealed credentials: %d", p.status)
	}
	globex := w.loggedIn("owner@globex.test")
	if p := globex.get(fmt.Sprintf("/orders/%d", ref)); p.status != 404 {
		t.Fatalf("cross-merchant detail: %d", p.status)
	}
	if p := globex.post(fmt.Sprintf("/orders/%d/reveal-buyer", ref), nil); p.status != 404 {
		t.Fatalf("cross-merchant reveal: %d", p.status)
	}
	ops := w.loggedIn("ops@demo.test")
	if p := ops.get("/orders?merchant=globex"); testid(p, "order-row").Length() != 1 {
		t.Fatal("operations merchant filter")
	}
}
