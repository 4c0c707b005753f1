package web_test

import (
	"strings"
	"testing"
)

// Owners and finance open on their figures; operations staff on their
// to-do board alone; nobody on a greeting card.
func TestOverviewShowsFiguresToOwnersAndFinance(t *testing.T) {
	w := newWorld(t)
	w.order("ORD-O1", "00301-100001-0--0")
	w.order("ORD-O2", "00301-100002-0--0")
	w.order("ORD-G1", "00302-200001-0--0")
	for _, who := range []string{"owner@acme.test", "finance@acme.test"} {
		p := w.loggedIn(who).get("/")
		if p.status != 200 || testid(p, "overview-figures").Length() != 1 || testid(p, "welcome").Length() != 0 {
			t.Fatalf("%s: %d, figures %d", who, p.status, testid(p, "overview-figures").Length())
		}
		if got := testid(p, "fig-today").AttrOr("data-count", ""); got != "2" {
			t.Fatalf("%s: today %q lines, want acme's 2", who, got)
		}
		if !strings.Contains(testid(p, "fig-today").Text(), "198.00 CNY") {
			t.Fatalf("%s: today's amount %q", who, testid(p, "fig-today").Text())
		}
		if testid(p, "trend-chart").Find("rect.bar").Length() != 30 || testid(p, "fig-money").Length() != 1 {
			t.Fatalf("%s: trend bars %d, money cards %d", who, testid(p, "trend-chart").Find("rect.bar").Length(), testid(p, "fig-money").Length())
		}
		if n := strings.Count(p.doc.Find(".content").Text(), "北京时间"); n != 1 {
			t.Fatalf("%s: the zone is said %d times", who, n)
		}
	}
	staff := w.loggedIn("staff@acme.test").get("/")
	if testid(staff, "overview-figures").Length() != 0 || testid(staff, "todo-board").Length() != 1 {
		t.Fatal("operations staff: figures shown or board missing")
	}
}

// Finance's money card sums the invoices: a pending request is 待开票.
func TestOverviewMoneyCountsPendingInvoices(t *testing.T) {
	a, _ := newInvoicePagesEnv(t) // IR-0001, 297.00 CNY, pending
	p := a.loggedIn("finance@acme.test").get("/")
	card := testid(p, "fig-money").Filter(`[data-currency="CNY"]`)
	if card.AttrOr("data-to-invoice", "") != "29700" || card.AttrOr("data-invoiced", "") != "0" || card.AttrOr("data-needs-return", "") != "0" {
		t.Fatalf("money card %q", card.Text())
	}
	if !strings.Contains(card.Text(), "297.00 CNY") {
		t.Fatalf("money card text %q", card.Text())
	}
}
