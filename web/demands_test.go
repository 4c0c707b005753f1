package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
)

// assignDemand posts the operations form and returns the new demand's id.
func (e *env) assignDemand(ops *client, merchant, title string) int64 {
	e.t.Helper()
	p := ops.post("/admin/demands", url.Values{"merchant": {merchant}, "title": {title},
		"customer_name": {"杭州云帆科技有限公司"}, "description": {"需要私有化部署"}})
	if p.status != http.StatusSeeOther {
		e.t.Fatalf("assign: %d\n%s", p.status, testid(p, "form-error").Text()+testid(p, "field-error").Text())
	}
	var id int64
	if err := e.db.SQL.QueryRow(`SELECT max(id) FROM demands WHERE title = ?`, title).Scan(&id); err != nil {
		e.t.Fatal(err)
	}
	return id
}

func (e *env) demandState(id int64) (state, reason string, order *int64) {
	e.t.Helper()
	if err := e.db.SQL.QueryRow(`SELECT state, reject_reason, order_ref FROM demands WHERE id = ?`, id).
		Scan(&state, &reason, &order); err != nil {
		e.t.Fatal(err)
	}
	return
}

// insertOrder adds a minimal order of a merchant (linking needs one).
func (e *env) insertOrder(slug, code string) {
	e.t.Helper()
	ts := e.clock.Now().Add(-time.Hour).Format("2006-01-02 15:04:05") + "+00:00"
	for _, q := range []string{
		`INSERT INTO buyers (customer_id, name_masked, created_at, updated_at) VALUES ('cust-' || ?1, '王*', ?2, ?2)`,
		`INSERT INTO orders (merchant_id, order_id, order_type, buyer_id, status, amount, currency, created_at, received_at,
			updated_at, request_hash) SELECT m.id, ?1, 'NEW', b.id, 'completed', 9900, 'CNY', ?2, ?2, ?2, 'h'
			FROM merchants m, buyers b WHERE m.slug = ?3 AND b.customer_id = 'cust-' || ?1`,
	} {
		if _, err := e.db.SQL.Exec(q, code, ts, slug); err != nil {
			e.t.Fatal(err)
		}
	}
}

func TestDemandPagesAreGatedByRole(t *testing.T) {
	e := newEnv(t)
	ops := e.loggedIn("ops@demo.test")
	id := e.assignDemand(ops, "acme", "权限")
	path := fmt.Sprintf("/demands/%d", id)
	for _, tc := range []struct {
		who, method, path string
		want              int
	}{
		{"finance@acme.test", "GET", "/demands", 403},
		{"finance@acme.test", "GET", path, 403},
		{"finance@acme.test", "POST", path + "/accept", 403},
		{"ops@demo.test", "GET", "/demands", 403},
		{"ops@demo.test", "POST", path + "/accept", 403},
		{"owner@acme.test", "GET", "/admin/demands", 403},
		{"owner@acme.test", "POST", "/admin/demands", 403},
		{"staff@acme.test", "POST", "/admin/demands/window", 403},
		{"staff@acme.test", "GET", path, 200},
		{"ops@demo.test", "GET", "/admin/demands", 200},
	} {
		c := e.loggedIn(tc.who)
		var p page
		if tc.method == "GET" {
			p = c.get(tc.path)
		} else {
			p = c.post(tc.path, url.Values{"merchant": {"acme"}, "title": {"x"}, "customer_name": {"y"}, "window_mode": {"working"}})
		}
		if p.status != tc.want {
			t.Errorf("%s %s %s: %d, want %d", tc.who, tc.method, tc.path, p.status, tc.want)
		}
	}
	if p := e.client().get("/demands"); p.status != http.StatusSeeOther && p.status != http.StatusFound {
		t.Fatalf("anonymous: %d", p.status)
	}
	if st, _, _ := e.demandState(id); st != "pending" || e.count("demands", "") != 1 ||
		e.count("app_settings", "key = 'demands.window_mode'") != 0 {
		t.Fatal("a refused request changed something")
	}
	// The navigation offers each side its own page.
	if p := e.loggedIn("owner@acme.test").get("/"); testid(p, "nav-demands").Length() != 1 || testid(p, "nav-admin-demands").Length() != 0 {
		t.Fatal("merchant navigation")
	}
	if p := ops.get("/"); testid(p, "nav-admin-demands").Length() != 1 || testid(p, "nav-demands").Length() != 0 {
		t.Fatal("operations navigation")
	}
}

func TestOperationsAssignBadInputAndWindowSetting(t *testing.T) {
	e := newEnv(t)
	ops := e.loggedIn("ops@demo.test")
	p := ops.post("/admin/demands", url.Values{"merchant": {"nope"}, "title": {""}, "customer_name": {strings.Repeat("名", 101)}})
	if p.status != http.StatusUnprocessableEntity || testid(p, "field-error").Length() != 3 {
		t.Fatalf("bad assign: %d, %d field errors", p.status, testid(p, "field-error").Length())
	}
	if !strings.Contains(p.body, "商家不存在") || e.count("demands", "") != 0 || e.count("notifications", "") != 0 {
		t.Fatal("bad input: message missing or something stored")
	}
	if v, _ := testid(p, "demand-assign-customer").Attr("value"); v != strings.Repeat("名", 101) {
		t.Fatal("the form did not echo what was typed")
	}
	if p := ops.post("/admin/demands/window", url.Values{"window_mode": {"lunar"}}); p.status != http.StatusUnprocessableEntity ||
		testid(p, "field-error").Length() != 1 {
		t.Fatalf("bad window mode: %d", p.status)
	}
	if p := ops.get("/admin/demands?state=bogus"); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad filter: %d", p.status)
	}
	if p := ops.get("/admin/demands?merchant=nope"); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("unknown merchant filter: %d", p.status)
	}

	natural := e.assignDemand(ops, "acme", "自然日")
	if p := ops.post("/admin/demands/window", url.Values{"window_mode": {"working"}}); p.status != http.StatusSeeOther {
		t.Fatalf("window: %d", p.status)
	}
	p = ops.get("/admin/demands")
	if mode, _ := testid(p, "demand-window-form").Attr("data-mode"); mode != "working" ||
		!strings.Contains(testid(p, "demand-window-hint").Text(), "此后分配") {
		t.Fatalf("window shown as %q", mode)
	}
	working := e.assignDemand(ops, "globex", "工作日")
	var modes []string
	for _, id := range []int64{natural, working} {
		var m string
		if err := e.db.SQL.QueryRow(`SELECT window_mode FROM demands WHERE id = ?`, id).Scan(&m); err != nil {
			t.Fatal(err)
		}
		modes = append(modes, m)
	}
	if strings.Join(modes, ",") != "natural,working" {
		t.Fatalf("modes %v", modes)
	}
	if p := ops.get("/admin/demands?merchant=globex"); testid(p, "admin-demand-row").Length() != 1 {
		t.Fatal("merchant filter")
	}
	if e.count("notifications", "msg_id = 'demands.notify.assigned' AND type_code = 501") != 2 ||
		e.count("audit_log", "action IN ('demand.assigned', 'demand.window_changed')") != 3 {
		t.Fatal("assignments not notified or audited")
	}
}

// The merchant's side: list with time left, reject with a reason, accept,
// notes, order link, close; refused input is a 4xx page with the message
// and changes nothing.
func TestMerchantAnswersDemands(t *testing.T) {
	e := newEnv(t)
	ops := e.loggedIn("ops@demo.test")
	rej := e.assignDemand(ops, "acme", "拒绝我")
	acc := e.assignDemand(ops, "acme", "接收我")
	e.assignDemand(ops, "globex", "别人的")
	e.insertOrder("acme", "ORD-ACME-77")
	e.insertOrder("globex", "ORD-GLOBEX-77")
	e.clock.Advance(26 * time.Hour)
	acme := e.loggedIn("owner@acme.test")

	p := acme.get("/demands")
	if p.status != 200 || testid(p, "demand-row").Length() != 2 || strings.Contains(p.body, "别人的") {
		t.Fatalf("list: %d, %d rows", p.status, testid(p, "demand-row").Length())
	}
	if left := testid(p, "demand-left").First(); left.AttrOr("data-seconds", "") != fmt.Sprint(int((5*24-26)*3600)) ||
		!strings.Contains(left.Text(), "3 天 22 小时") {
		t.Fatalf("time left %q (%s s)", left.Text(), left.AttrOr("data-seconds", ""))
	}
	if p := acme.get("/demands?state=bogus"); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad state filter: %d", p.status)
	}

	rpath := fmt.Sprintf("/demands/%d", rej)
	for _, reason := range []string{"", "太忙", strings.Repeat("忙", 501)} {
		p := acme.post(rpath+"/reject", url.Values{"reason": {reason}})
		if p.status != http.StatusUnprocessableEntity || testid(p, "field-error").Length() != 1 {
			t.Fatalf("reject %q: %d", reason, p.status)
		}
	}
	if st, _, _ := e.demandState(rej); st != "pending" {
		t.Fatal("refused rejection changed the state")
	}
	if p := acme.post(rpath+"/reject", url.Values{"reason": {"不在服务范围内"}, "confirm": {"1"}}); p.status != http.StatusSeeOther {
		t.Fatalf("reject: %d", p.status)
	}
	if p := acme.get(rpath); testid(p, "demand-reason").Text() != "不在服务范围内" || testid(p, "demand-accept").Length() != 0 {
		t.Fatal("rejected demand page")
	}
	if p := acme.post(rpath+"/accept", nil); p.status != http.StatusConflict || !strings.Contains(testid(p, "form-error").Text(), "已拒绝") {
		t.Fatalf("accept a rejected demand: %d", p.status)
	}

	apath := fmt.Sprintf("/demands/%d", acc)
	if p := acme.post(apath+"/notes", url.Values{"note": {"太早了"}}); p.status != http.StatusConflict {
		t.Fatalf("note on a pending demand: %d", p.status)
	}
	if p := acme.post(apath+"/accept", nil); p.status != http.StatusSeeOther {
		t.Fatalf("accept: %d", p.status)
	}
	if p := acme.post(apath+"/notes", url.Values{"note": {""}}); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("empty note: %d", p.status)
	}
	if p := acme.post(apath+"/notes", url.Values{"note": {"已联系客户"}}); p.status != http.StatusSeeOther {
		t.Fatalf("note: %d", p.status)
	}
	p = acme.post(apath+"/link", url.Values{"order": {"ORD-GLOBEX-77"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(testid(p, "field-error").Text(), "没有这个订单号") {
		t.Fatalf("link another merchant's order: %d", p.status)
	}
	if v, _ := testid(p, "demand-link-order").Attr("value"); v != "ORD-GLOBEX-77" {
		t.Fatal("the link form did not echo the input")
	}
	if _, _, o := e.demandState(acc); o != nil {
		t.Fatal("another merchant's order was linked")
	}
	if p := acme.post(apath+"/link", url.Values{"order": {"ORD-ACME-77"}}); p.status != http.StatusSeeOther {
		t.Fatalf("link: %d", p.status)
	}
	p = acme.get(apath)
	if testid(p, "demand-order").Text() != "ORD-ACME-77" || testid(p, "demand-note").Length() != 1 ||
		testid(p, "demand-event").Length() != 4 {
		t.Fatalf("accepted page: order %q, %d notes, %d events", testid(p, "demand-order").Text(),
			testid(p, "demand-note").Length(), testid(p, "demand-event").Length())
	}
	if p := acme.post(apath+"/close", nil); p.status != http.StatusSeeOther {
		t.Fatalf("close: %d", p.status)
	}
	if st, _, _ := e.demandState(acc); st != "closed" {
		t.Fatalf("state %s", st)
	}
	if e.count("audit_log", "action LIKE 'demand.%' AND merchant_id IS NOT NULL") != 8 { // 3 assigned, reject, accept, note, link, close
		t.Fatalf("%d demand audit lines", e.count("audit_log", "action LIKE 'demand.%' AND merchant_id IS NOT NULL"))
	}

	// Operations sees the outcome in the acceptance rates.
	p = e.loggedIn("ops@demo.test").get("/admin/demands")
	row := testid(p, "demand-rate-row").Filter(`[data-merchant="acme"]`)
	if row.AttrOr("data-accepted", "") != "1" || row.AttrOr("data-rejected", "") != "1" ||
		strings.TrimSpace(row.Find(`[data-testid="demand-rate"]`).Text()) != "50.0%" {
		t.Fatalf("acme rate row: %s", row.Text())
	}
}

func TestDemandTenancyAndDeadlineThroughTheRouter(t *testing.T) {
	e := newEnv(t)
	ops := e.loggedIn("ops@demo.test")
	id := e.assignDemand(ops, "acme", "期限")
	path := fmt.Sprintf("/demands/%d", id)
	globex := e.loggedIn("owner@globex.test")
	for _, p := range []page{
		globex.get(path),
		globex.post(path+"/accept", nil),
		globex.post(path+"/reject", url.Values{"reason": {"不是我们的需求"}}),
		globex.get("/demands/999999"),
		globex.get("/demands/abc"),
	} {
		if p.status != http.StatusNotFound {
			t.Fatalf("cross-merchant or unknown demand: %d", p.status)
		}
	}
	if p := globex.get("/demands"); testid(p, "demand-row").Length() != 0 {
		t.Fatal("globex lists acme's demand")
	}

	// At the deadline, before any job ran: the page says so and offers no
	// answer; posting one is refused with the message.
	var due time.Time
	if err := e.db.Gorm.Model(&models.Demand{}).Where("id = ?", id).Pluck("due_at", &due).Error; err != nil {
		t.Fatal(err)
	}
	// Sessions expire while the clock runs 5 days: log in on the day.
	e.clock.Set(due.Add(-time.Second))
	acme := e.loggedIn("staff@acme.test")
	if p := acme.get(path); testid(p, "demand-accept").Length() != 1 || testid(p, "demand-expired").Length() != 0 {
		t.Fatal("a second before the deadline the demand must still be answerable")
	}
	e.clock.Set(due)
	if p := acme.get(path); testid(p, "demand-accept").Length() != 0 || testid(p, "demand-expired").Length() != 1 {
		t.Fatal("expired demand still offers an answer")
	}
	for _, act := range []string{"/accept", "/reject"} {
		p := acme.post(path+act, url.Values{"reason": {"来不及处理了"}})
		if p.status != http.StatusConflict || !strings.Contains(testid(p, "form-error").Text(), "接收期限已过") {
			t.Fatalf("%s after the deadline: %d %q", act, p.status, testid(p, "form-error").Text())
		}
	}
	if st, _, _ := e.demandState(id); st != "pending" || e.count("demand_events", "demand_id = ?", id) != 1 {
		t.Fatal("a refused late answer changed the demand")
	}
}
