package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestOpsDemandRowsOpenADetailWithHistory(t *testing.T) {
	e := newEnv(t)
	ops := e.loggedIn("ops@demo.test")
	id := e.assignDemand(ops, "acme", "私有化部署咨询")
	if p := e.loggedIn("owner@acme.test").post("/demands/"+itoa(id)+"/reject", url.Values{"reason": {"暂不支持私有化部署"}, "confirm": {"1"}}); p.status != http.StatusSeeOther {
		t.Fatalf("reject: %d", p.status)
	}
	list := ops.get("/admin/demands")
	href, ok := list.doc.Find(`[data-testid="admin-demand-row"][data-id="` + itoa(id) + `"] [data-testid="admin-demand-link"]`).Attr("href")
	if !ok {
		t.Fatal("the admin demand row has no link")
	}
	p := ops.get(href)
	if p.status != http.StatusOK {
		t.Fatalf("admin demand detail: %d", p.status)
	}
	if got := strings.TrimSpace(testid(p, "demand-merchant").Text()); got == "" || got == "acme" {
		t.Errorf("merchant %q", got)
	}
	kinds := map[string]bool{}
	testid(p, "demand-event").Each(func(_ int, s *goquery.Selection) { k, _ := s.Attr("data-kind"); kinds[k] = true })
	if !kinds["assigned"] || !kinds["rejected"] {
		t.Errorf("history kinds %v", kinds)
	}
	if !strings.Contains(p.body, "暂不支持私有化部署") {
		t.Error("the rejection reason is missing")
	}
	if p.doc.Find("form[action^='/demands/']").Length() != 0 {
		t.Error("operations get merchant action forms")
	}
	if s := e.loggedIn("owner@acme.test").get(href).status; s != http.StatusForbidden {
		t.Errorf("merchant on the admin detail: %d", s)
	}
	if s := ops.get("/admin/demands/99999").status; s != http.StatusNotFound {
		t.Errorf("unknown demand: %d", s)
	}
}
