package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/provisioning"
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

// A renewal and an unsubscription link the order whose instance they act
// on, that order lists them, and the marketplace's release shows on its
// timeline.
func TestOrderDetailLinksRelatedOrdersAndReleaseEvents(t *testing.T) {
	w := newWorld(t)
	instanceOf := func(order string) string {
		var inst string
		if err := w.db.SQL.QueryRow(`SELECT i.instance_id FROM instances i JOIN order_lines l ON l.instance_ref = i.id
			JOIN orders o ON o.id = l.order_ref WHERE o.order_id = ?`, order).Scan(&inst); err != nil {
			t.Fatal(err)
		}
		return inst
	}
	w.order("ORD-N1", "00301-100001-0--0")
	w.order("ORD-N2", "00301-100001-0--0")
	inst := instanceOf("ORD-N1")
	for _, o := range []struct{ id, typ, amount string }{{"ORD-R1", models.OrderRenew, "99.00"}, {"ORD-U1", models.OrderUnsubscribe, "0.00"}} {
		in := provisioning.OrderInput{OrderID: o.id, OrderType: o.typ, CreateTime: w.clock.Now().Add(-time.Minute),
			Buyer: provisioning.BuyerInput{CustomerID: "cust-ORD-N1", CustomerName: "王五"},
			Lines: []provisioning.LineInput{{OrderLineID: o.id + "-1", ProductID: "00301-100001-0--0", ChargingMode: models.ChargingPeriod,
				PeriodType: "month", PeriodNumber: 1, Amount: o.amount, InstanceID: inst}}}
		if _, _, err := w.core.AcceptOrder(context.Background(), in); err != nil {
			t.Fatalf("%s: %v", o.id, err)
		}
		w.runDue()
		w.clock.Advance(time.Minute)
	}
	if _, err := w.core.InstanceEvent(context.Background(), instanceOf("ORD-N2"), provisioning.EventRelease); err != nil {
		t.Fatal(err)
	}
	w.runDue()
	acme := w.loggedIn("owner@acme.test")
	renew := acme.get(fmt.Sprintf("/orders/%d", w.orderRef("ORD-R1")))
	link := testid(renew, "order-acts-on").Find(`[data-testid="related-order"]`)
	if link.Length() != 1 || link.Text() != "ORD-N1" || link.AttrOr("href", "") != fmt.Sprintf("/orders/%d", w.orderRef("ORD-N1")) {
		t.Fatalf("renewal links %d orders: %q %q", link.Length(), link.Text(), link.AttrOr("href", ""))
	}
	orig := acme.get(fmt.Sprintf("/orders/%d", w.orderRef("ORD-N1")))
	later := testid(orig, "order-later").Find(`[data-testid="related-order"]`)
	if later.Length() != 2 || later.Eq(0).Text() != "ORD-R1" || later.Eq(1).Text() != "ORD-U1" || testid(orig, "order-acts-on").Length() != 0 {
		t.Fatalf("original order lists %d later orders: %q", later.Length(), later.Text())
	}
	if testid(orig, "order-timeline").Find(`li[data-kind="instance_event"]`).Length() != 0 {
		t.Fatal("another instance's release on the timeline")
	}
	released := acme.get(fmt.Sprintf("/orders/%d", w.orderRef("ORD-N2")))
	ev := testid(released, "order-timeline").Find(`li[data-kind="instance_event"]`)
	if ev.Length() != 1 || !strings.Contains(ev.Text(), "实例释放") || strings.Contains(ev.Text(), "pages.") {
		t.Fatalf("release on the timeline: %d %q", ev.Length(), ev.Text())
	}
}
