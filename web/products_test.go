package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestMerchantProductsPage(t *testing.T) {
	w := newWorld(t)
	acme := w.loggedIn("owner@acme.test")
	p := acme.get("/settings/products")
	if p.status != 200 || testid(p, "product-row").Length() != 3 || strings.Contains(p.body, "00302-200001-0--0") {
		t.Fatalf("acme products: %d rows", testid(p, "product-row").Length())
	}
	add := url.Values{"product_id": {"00301-100009-0--0"}, "sku_code": {"acme-bi"}, "name": {"Acme BI 年付"},
		"kind": {"saas"}, "charging_mode": {"PERIOD"}, "period_type": {"year"}, "trial_allowed": {"1"}}
	if p := acme.post("/settings/products", add); p.status != http.StatusSeeOther {
		t.Fatalf("add: %d %s", p.status, testid(p, "form-error").Text())
	}
	if w.count("products", "product_id = '00301-100009-0--0' AND trial_allowed = 1 AND status = 'on_sale'") != 1 {
		t.Fatal("product not stored as entered")
	}
	if p := acme.post("/settings/products", add); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "该 productId 已存在") {
		t.Fatalf("duplicate: %d", p.status)
	}
	bad := url.Values{"product_id": {"x"}, "name": {""}, "kind": {"robot"}, "charging_mode": {"ONE_TIME"}, "period_type": {"year"}}
	p = acme.post("/settings/products", bad)
	if p.status != http.StatusUnprocessableEntity || testid(p, "field-error").Length() < 4 {
		t.Fatalf("bad input: %d, %d messages", p.status, testid(p, "field-error").Length())
	}
	// Operations staff see the list for its 服务监管 settings but add nothing.
	staff := w.loggedIn("staff@acme.test")
	if p := staff.get("/settings/products"); p.status != 200 || testid(p, "product-add-form").Length() != 0 {
		t.Fatalf("operations role: %d", p.status)
	}
	add["product_id"] = []string{"00301-100010-0--0"}
	if p := staff.post("/settings/products", add); p.status != http.StatusForbidden {
		t.Fatalf("operations role adds a product: %d", p.status)
	}
	if p := w.loggedIn("owner@globex.test").get("/settings/products"); testid(p, "product-row").Length() != 1 {
		t.Fatal("globex sees other products")
	}
}
