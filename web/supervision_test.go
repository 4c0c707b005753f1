package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/demo"
)

// buyerSupOrder is a supervised order of the demo buyer's customer.
func (a *apiEnv) buyerSupOrder(orderID string) int64 {
	a.t.Helper()
	body := orderJSON(a.t, func(o map[string]any) {
		o["orderId"] = orderID
		o["buyer"].(map[string]any)["customerId"] = "hw-cust-1001"
		line0(o)["orderLineId"] = orderID + "-1"
	})
	if r := a.authed(http.MethodPost, "/api/v1/orders", body); r.status != http.StatusCreated {
		a.t.Fatalf("order: %d %s", r.status, r.body)
	}
	var line models.OrderLine
	if err := a.db.Gorm.Where("order_line_id = ?", orderID+"-1").Take(&line).Error; err != nil {
		a.t.Fatal(err)
	}
	if err := a.db.Gorm.Model(&line).Update("status", models.LineSupervising).Error; err != nil {
		a.t.Fatal(err)
	}
	if err := a.sup.Start(a.t.Context(), line.ID); err != nil {
		a.t.Fatal(err)
	}
	var flow models.SupFlow
	if err := a.db.Gorm.Where("line_ref = ?", line.ID).Take(&flow).Error; err != nil {
		a.t.Fatal(err)
	}
	return flow.ID
}

func supState(t *testing.T, p page) (node, appeal string) {
	t.Helper()
	d := p.doc.Find(`[data-testid="sup-detail"]`)
	if d.Length() != 1 {
		t.Fatalf("no sup-detail (%d)\n%s", p.status, p.body)
	}
	node, _ = d.Attr("data-node")
	appeal, _ = d.Attr("data-appeal")
	return node, appeal
}

func hasForm(p page, name string) bool {
	return p.doc.Find(`form[data-testid="sup-action-`+name+`"]`).Length() == 1
}

// The whole story through the pages: the buyer submits, the merchant
// confirms and delivers, the buyer refuses, the merchant appeals, both are
// refused while it is open, operations force the acceptance.
func TestSupervisionPagesStoryAndTenancy(t *testing.T) {
	a := newAPIEnv(t)
	id := a.buyerSupOrder("CS-STORY")
	flow := "/supervision/" + strconv.FormatInt(id, 10)
	buyerFlow := "/buyer" + flow

	buyer := a.loggedIn("buyer@demo.test")
	if p := buyer.get("/buyer/supervision"); p.status != http.StatusOK || p.doc.Find(`[data-testid="sup-row"]`).Length() != 1 {
		t.Fatalf("buyer list %d\n%s", p.status, p.body)
	}
	p := buyer.get(buyerFlow)
	if n, ap := supState(t, p); n != "requirements" || ap != "none" || !hasForm(p, "submit") {
		t.Fatalf("buyer start %s/%s", n, ap)
	}
	if p := buyer.postMultipart(buyerFlow+"/act", url.Values{"event": {"submit_requirements"}, "text": {"Install on two sites"}},
		upload{"req.txt", []byte("floor plan")}); p.status != http.StatusSeeOther {
		t.Fatalf("submit %d\n%s", p.status, p.body)
	}

	owner := a.loggedIn("owner@acme.test")
	p = owner.get("/supervision")
	rows := p.doc.Find(`[data-testid="sup-row"]`)
	if p.status != http.StatusOK || rows.Length() != 1 {
		t.Fatalf("merchant list %d\n%s", p.status, p.body)
	}
	for _, h := range []string{"订单号", "商品", "客户", "当前节点", "节点进入时间", "剩余时间", "驳回次数", "申诉状态", "验收方式", "操作"} {
		if !strings.Contains(p.doc.Find("thead").Text(), h) {
			t.Fatalf("column %s missing", h)
		}
	}
	p = owner.get(flow)
	if n, _ := supState(t, p); n != "confirm" || !hasForm(p, "confirm") || !hasForm(p, "reject") || hasForm(p, "deliver") {
		t.Fatalf("merchant confirm node %s\n%s", n, p.body)
	}
	if !strings.Contains(p.doc.Find(`[data-testid="sup-requirements"]`).Text(), "Install on two sites") {
		t.Fatal("requirements not shown")
	}
	docHref, ok := p.doc.Find(`[data-testid="sup-doc"]`).First().Attr("href")
	if !ok {
		t.Fatal("no document link")
	}
	if r := owner.get(docHref); r.status != http.StatusOK || r.body != "floor plan" {
		t.Fatalf("download %d", r.status)
	}

	// Another merchant sees nothing of it.
	globex := a.loggedIn("owner@globex.test")
	if p := globex.get("/supervision"); p.doc.Find(`[data-testid="sup-row"]`).Length() != 0 {
		t.Fatal("globex lists acme's flow")
	}
	if p := globex.get(flow); p.status != http.StatusNotFound {
		t.Fatalf("globex detail %d", p.status)
	}
	if p := globex.get(docHref); p.status != http.StatusNotFound {
		t.Fatalf("globex download %d", p.status)
	}
	if p := globex.post(flow+"/act", url.Values{"action": {"confirm"}}); p.status != http.StatusNotFound {
		t.Fatalf("globex act %d", p.status)
	}
	// The buyer may not reach merchant pages, nor a merchant the buyer's.
	if p := buyer.get(flow); p.status != http.StatusForbidden {
		t.Fatalf("buyer on merchant page %d", p.status)
	}

	if p := owner.postMultipart(flow+"/act", url.Values{"action": {"confirm"}}); p.status != http.StatusSeeOther {
		t.Fatalf("confirm %d\n%s", p.status, p.body)
	}
	// Deliver without the document: 422 with the field message.
	if p := owner.postMultipart(flow+"/act", url.Values{"action": {"deliver"}}); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("deliver without document %d", p.status)
	}
	if p := owner.postMultipart(flow+"/act", url.Values{"action": {"deliver"}, "text": {"done"}},
		upload{"report.pdf", []byte("%PDF-1.4 report")}); p.status != http.StatusSeeOther {
		t.Fatalf("deliver %d\n%s", p.status, p.body)
	}
	p = buyer.get(buyerFlow)
	if n, _ := supState(t, p); n != "acceptance" || !hasForm(p, "accept") || !hasForm(p, "reject") {
		t.Fatalf("buyer acceptance %s", n)
	}
	if p := buyer.postMultipart(buyerFlow+"/act", url.Values{"event": {"reject"}, "text": {"the report is incomplete"}}); p.status != http.StatusSeeOther {
		t.Fatalf("buyer refuses %d\n%s", p.status, p.body)
	}
	p = owner.get(flow)
	if n, _ := supState(t, p); n != "delivery" || !hasForm(p, "appeal") {
		t.Fatalf("after refusal %s\n%s", n, p.body)
	}
	if p := owner.postMultipart(flow+"/appeal", url.Values{"reason": {"the report is complete"}, "outcome": {"accept"}}); p.status != http.StatusSeeOther {
		t.Fatalf("appeal %d\n%s", p.status, p.body)
	}
	p = owner.get(flow)
	if _, ap := supState(t, p); ap != "open" || hasForm(p, "deliver") {
		t.Fatalf("appeal state %s", ap)
	}
	// Both refused while it is open.
	if p := owner.postMultipart(flow+"/act", url.Values{"action": {"deliver"}}, upload{"r.pdf", []byte("%PDF-1.4")}); p.status != http.StatusConflict {
		t.Fatalf("merchant while open %d", p.status)
	}
	if p := buyer.postMultipart(buyerFlow+"/act", url.Values{"event": {"accept"}}); p.status != http.StatusConflict {
		t.Fatalf("buyer while open %d", p.status)
	}

	ops := a.loggedIn("ops@demo.test")
	p = ops.get("/appeals")
	row := p.doc.Find(`[data-testid="appeal-row"]`)
	if row.Length() != 1 {
		t.Fatalf("queue\n%s", p.body)
	}
	aid, _ := row.Attr("data-id")
	p = ops.get("/appeals/" + aid)
	if p.doc.Find(`form[data-testid="appeal-ruling"]`).Length() != 1 {
		t.Fatalf("no ruling form\n%s", p.body)
	}
	if r := ops.get("/appeals/" + aid + "/evidence.zip"); r.status != http.StatusOK || !strings.HasPrefix(r.body, "PK") {
		t.Fatalf("evidence pack %d", r.status)
	}
	if p := ops.post("/appeals/"+aid+"/rule", url.Values{"ruling": {"nonsense"}, "reason": {"x"}}); p.status < 400 || p.status >= 500 {
		t.Fatalf("bad ruling %d", p.status)
	}
	if p := ops.post("/appeals/"+aid+"/rule", url.Values{"ruling": {"accept"}, "reason": {"the report meets the criteria"}}); p.status != http.StatusSeeOther {
		t.Fatalf("rule %d\n%s", p.status, p.body)
	}
	if n, ap := a.supState("CS-STORY"); n != "done" || ap != "ruled" {
		t.Fatalf("after ruling %s/%s", n, ap)
	}
	var o orderView
	a.authed(http.MethodGet, "/api/v1/orders/CS-STORY", "").decode(t, &o)
	if o.Status != "completed" {
		t.Fatalf("order %s", o.Status)
	}
	// Merchants and buyers may not reach operations' pages.
	if p := owner.get("/appeals"); p.status != http.StatusForbidden {
		t.Fatalf("merchant on appeals %d", p.status)
	}
}

func TestSupervisionProductSettingsAndPolicy(t *testing.T) {
	a := newAPIEnv(t)
	a.db.Gorm.Model(&a.product).Update("supervised", true)
	owner := a.loggedIn("owner@acme.test")
	path := "/settings/products/" + strconv.FormatInt(a.product.ID, 10) + "/supervision"
	if p := owner.get("/settings/products"); p.doc.Find(`[data-testid="product-sup-settings"]`).Length() != 1 {
		t.Fatal("no settings link on a supervised product")
	}
	if p := owner.get(path); p.status != http.StatusOK || p.doc.Find(`form[data-testid="sup-settings"]`).Length() != 1 {
		t.Fatalf("settings page %d", p.status)
	}
	if p := owner.post(path, url.Values{"variant": {"manual"}, "sla_days": {"0"}, "acceptance_mode": {"manual"}}); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad SLA %d", p.status)
	}
	if p := owner.post(path, url.Values{"supervised": {"1"}, "variant": {"manual"}, "sla_days": {"14"}, "acceptance_mode": {"manual"},
		"criteria": {"部署报告与培训签到表"}}); p.status != http.StatusSeeOther {
		t.Fatalf("save %d\n%s", p.status, p.body)
	}
	if p := owner.get(path); !strings.Contains(p.doc.Find(`[data-testid="sup-settings-criteria"]`).Text(), "培训签到表") {
		t.Fatal("criteria not saved")
	}
	// Another merchant's product is not found.
	if p := a.loggedIn("owner@globex.test").get(path); p.status != http.StatusNotFound {
		t.Fatalf("globex on acme's product %d", p.status)
	}
	ops := a.loggedIn("ops@demo.test")
	if p := ops.post("/admin/supervision", url.Values{"old_rule": {"1"}}); p.status != http.StatusSeeOther {
		t.Fatalf("policy %d", p.status)
	}
	if p := ops.get("/admin/supervision"); p.doc.Find(`[data-testid="sup-policy-old-rule"][checked]`).Length() != 1 {
		t.Fatal("policy not saved")
	}
	if p := owner.get("/admin/supervision"); p.status != http.StatusForbidden {
		t.Fatalf("merchant on policy %d", p.status)
	}
}

// A buyer sees only its own customer's flows.
func TestSupervisionBuyerTenancy(t *testing.T) {
	a := newAPIEnv(t)
	id := a.buyerSupOrder("CS-MINE")
	if r := a.authed(http.MethodPost, "/api/v1/orders", orderJSON(t, nil)); r.status != http.StatusCreated {
		t.Fatalf("other customer's order %d", r.status)
	}
	if _, err := a.acc.AddUser(t.Context(), models.SystemActor("test"), "", accounts.NewUserInput{Email: "other@buyer.test",
		Name: "Other", Role: models.RoleBuyer, Password: demo.Password, CustomerID: "cust-1"}); err != nil {
		t.Fatal(err)
	}
	other := a.loggedIn("other@buyer.test")
	flow := "/buyer/supervision/" + strconv.FormatInt(id, 10)
	if p := other.get("/buyer/supervision"); p.status != http.StatusOK || p.doc.Find(`[data-testid="sup-row"]`).Length() != 0 {
		t.Fatalf("other buyer's list %d", p.status)
	}
	if p := other.get(flow); p.status != http.StatusNotFound {
		t.Fatalf("other buyer's detail %d", p.status)
	}
	if p := other.postMultipart(flow+"/act", url.Values{"event": {"submit_requirements"}, "text": {"hijack"}}); p.status != http.StatusNotFound {
		t.Fatalf("other buyer's action %d", p.status)
	}
	mine := a.loggedIn("buyer@demo.test")
	if p := mine.get(flow); p.status != http.StatusOK {
		t.Fatalf("own detail %d", p.status)
	}
	// A bad event is a localized 422, never a 500.
	if p := mine.postMultipart(flow+"/act", url.Values{"event": {"dance"}}); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad event %d", p.status)
	}
	if p := mine.get("/buyer/supervision?node=nope"); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad filter %d", p.status)
	}
	if p := mine.get("/buyer/supervision?before=x"); p.status != http.StatusUnprocessableEntity && p.status != http.StatusBadRequest {
		t.Fatalf("bad cursor %d", p.status)
	}
}

// A merchant user without the supervision right sees the flow, offers no
// action and is refused one.
func TestSupervisionReadOnlySeesButCannotAct(t *testing.T) {
	a := newAPIEnv(t)
	id := a.buyerSupOrder("CS-RO")
	if _, _, err := a.sup.BuyerEvent(t.Context(), "CS-RO-1", "e1", "submit_requirements", "two sites please", nil); err != nil {
		t.Fatal(err)
	}
	fin := a.loggedIn("finance@acme.test")
	flow := "/supervision/" + strconv.FormatInt(id, 10)
	p := fin.get(flow)
	if n, _ := supState(t, p); n != "confirm" || p.doc.Find(`form[data-testid^="sup-action-"]`).Length() != 0 {
		t.Fatalf("read-only view %s\n%s", n, p.body)
	}
	if p := fin.postMultipart(flow+"/act", url.Values{"action": {"confirm"}}); p.status != http.StatusForbidden {
		t.Fatalf("read-only act %d", p.status)
	}
	if p := fin.postMultipart(flow+"/appeal", url.Values{"reason": {"because I can"}}); p.status != http.StatusForbidden {
		t.Fatalf("read-only appeal %d", p.status)
	}
}
