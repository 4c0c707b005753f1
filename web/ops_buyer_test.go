package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models/demo"
)

func TestBuyerPagesSayBuyerCenterWithOneActiveNavItem(t *testing.T) {
	e := newTicketEnv(t)
	id := e.ticket("ACME-TK-0100", time.Minute)
	buyer := e.loggedIn("buyer@demo.test")
	for _, path := range []string{"/buyer", "/buyer/tickets", "/buyer/tickets/" + itoa(id), "/buyer/invoices", "/buyer/supervision"} {
		p := buyer.get(path)
		if p.status != http.StatusOK {
			t.Fatalf("%s: %d", path, p.status)
		}
		if brand := strings.TrimSpace(testid(p, "brand").Text()); brand != "买家中心" {
			t.Errorf("%s: brand %q", path, brand)
		}
		if strings.Contains(p.doc.Find("title").Text(), "卖家中心") {
			t.Errorf("%s: title says 卖家中心", path)
		}
		if n := p.doc.Find(".sidenav a.active").Length(); n != 1 {
			t.Errorf("%s: %d active navigation items", path, n)
		}
	}
	if brand := strings.TrimSpace(testid(e.loggedIn("owner@acme.test").get("/tickets"), "brand").Text()); brand != "卖家中心" {
		t.Errorf("merchant brand %q", brand)
	}
}

func TestBuyerAttachesFilesAndSeesTheMerchantsTicketID(t *testing.T) {
	w := newWorld(t)
	if err := demo.SeedReception(context.Background(), w.db.Gorm, w.cals); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.core.AcceptOrder(context.Background(), ordersFor(demo.BuyerCustomerID)); err != nil {
		t.Fatal(err)
	}
	w.ticket("ACME-TK-0007", time.Minute) // the merchant's numbering so far
	buyer := w.loggedIn("buyer@demo.test")
	p := buyer.post("/buyer/tickets", url.Values{"product": {"00301-100001-0--0"}, "title": {"导出失败"}, "content": {"导出时报错。"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("open: %d", p.status)
	}
	bpath := p.header.Get("Location")
	d := buyer.get(bpath)
	tid := strings.TrimSpace(testid(d, "buyer-ticket-id").Text())
	if tid != "ACME-TK-0008" {
		t.Errorf("buyer's ticket id %q, want the merchant's next number ACME-TK-0008", tid)
	}
	staff := w.loggedIn("staff@acme.test")
	if row := staff.get("/tickets").doc.Find(`[data-testid="ticket-row"][data-ticket="` + tid + `"]`); row.Length() != 1 {
		t.Errorf("the merchant does not list %s", tid)
	}
	if testid(d, "buyer-reply-files").Length() != 1 {
		t.Fatal("the buyer's reply form has no file input")
	}
	p = buyer.postMultipart(bpath+"/reply", url.Values{"body": {"截图见附件。"}}, upload{"error.txt", []byte("stack trace line 12")})
	if p.status != http.StatusSeeOther {
		t.Fatalf("reply with a file: %d\n%s", p.status, testid(p, "field-error").Text())
	}
	// A page is refused by its content, the message with it too.
	html := []byte(`<!DOCTYPE html><html><script>alert(1)</script></html>`)
	p = buyer.postMultipart(bpath+"/reply", url.Values{"body": {"再来一张"}}, upload{"pic.png", html})
	if p.status != http.StatusUnprocessableEntity {
		t.Errorf("an HTML page: %d", p.status)
	}
	if n := w.count("ticket_messages", "body = '再来一张'"); n != 0 {
		t.Error("the refused message was stored")
	}
	d = buyer.get(bpath)
	href, _ := testid(d, "ticket-file").Attr("href")
	if href == "" || buyer.get(href).status != http.StatusOK {
		t.Fatalf("buyer download %q", href)
	}
	var internal int64
	if err := w.db.SQL.QueryRow(`SELECT id FROM tickets WHERE ticket_id = ?`, tid).Scan(&internal); err != nil {
		t.Fatal(err)
	}
	m := staff.get("/tickets/" + itoa(internal))
	mhref, _ := testid(m, "ticket-file").Attr("href")
	if mhref == "" || staff.get(mhref).status != http.StatusOK {
		t.Errorf("merchant download %q", mhref)
	}
	if !regexp.MustCompile(`ACME-TK-0008`).MatchString(testid(m, "ticket-kv").Text()) {
		t.Error("the merchant's page shows another id")
	}
}
