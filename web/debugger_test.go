package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/debugger"
	"github.com/sellercenter/sellercenter/models/demo"
	"github.com/sellercenter/sellercenter/web/koogallery"
)

func (w *world) productID(code string) int64 {
	w.t.Helper()
	var id int64
	if err := w.db.SQL.QueryRow(`SELECT id FROM products WHERE product_id = ?`, code).Scan(&id); err != nil {
		w.t.Fatal(err)
	}
	return id
}

// stepVerdict reads the verdict of one signature-check step.
func stepVerdict(p page, label string) string {
	return p.doc.Find(`[data-testid="sign-step"][data-step="`+label+`"]`).AttrOr("data-verdict", "missing")
}

func TestDebuggerSendsATestCallThroughTheRouter(t *testing.T) {
	w := newWorld(t)
	if _, err := w.acc.AddUser(context.Background(), models.SystemActor("test"), "acme", accounts.NewUserInput{
		Email: "tech@acme.test", Name: "技术", Role: models.RoleTech, Password: demo.Password}); err != nil {
		t.Fatal(err)
	}
	for who, want := range map[string]int{"owner@acme.test": 200, "tech@acme.test": 200, "staff@acme.test": 403,
		"finance@acme.test": 403, "ops@demo.test": 403} {
		if p := w.loggedIn(who).get("/debugger"); p.status != want {
			t.Errorf("%s GET /debugger: %d, want %d", who, p.status, want)
		}
	}
	tech := w.loggedIn("tech@acme.test")
	p := tech.get("/debugger")
	if testid(p, "nav-debugger").Length() != 1 || testid(p, "page-title").Text() != "应用接入调试" {
		t.Fatal("no navigation item or title")
	}
	// Acme speaks V2: V2 activities only.
	acts := testid(p, "debug-activity").Find("option")
	var values []string
	acts.Each(func(_ int, s *goquery.Selection) { values = append(values, s.AttrOr("value", "")) })
	if v := strings.Join(values, " "); !strings.Contains(v, "updateInstanceStatus") || strings.Contains(v, "expireInstance") {
		t.Fatalf("activities offered: %q", v)
	}
	if !strings.Contains(acts.Text(), "更新实例状态") || strings.Contains(acts.Text(), "updateInstanceStatus") {
		t.Errorf("activities not named in words: %q", acts.Text())
	}
	p = tech.post("/debugger/send", url.Values{"activity": {"newInstance"}, "order_id": {"CSWEB0001"}})
	res := testid(p, "debug-result")
	if p.status != 200 || res.AttrOr("data-result-code", "") != "000000" || res.AttrOr("data-class", "") != "ok" {
		t.Fatalf("send: %d %q %s", p.status, res.AttrOr("data-result-code", ""), testid(p, "form-error").Text())
	}
	for _, step := range []string{"debug.step.v2_signature", "debug.step.body_sign"} {
		if v := stepVerdict(p, step); v != "ok" {
			t.Errorf("%s: %s", step, v)
		}
	}
	if strings.Contains(testid(p, "sign-steps").Text(), "debug.step.") || strings.Contains(p.body, demo.AcmeKey) {
		t.Fatal("an untranslated step label or the key is on the page")
	}
	if !strings.Contains(testid(p, "debug-request").Text(), `"orderId":"CSWEB0001"`) || !strings.Contains(testid(p, "debug-request").Text(), `"testFlag":"1"`) {
		t.Fatalf("request shown: %s", testid(p, "debug-request").Text())
	}
	if w.count("interface_messages", "order_id = 'CSWEB0001'") != 0 || w.count("orders", "") != 0 {
		t.Fatal("a test call became an order or an interface message")
	}
	if w.count("audit_log", "action = ? AND actor_email = 'tech@acme.test'", models.AuditDebugSent) != 1 {
		t.Fatal("send not audited")
	}
}

func TestDebuggerBadInputIsLocalized422(t *testing.T) {
	w := newWorld(t)
	owner := w.loggedIn("owner@acme.test")
	cases := []struct {
		name  string
		form  url.Values
		field string
		text  string
	}{
		{"unknown activity", url.Values{"activity": {"dropTables"}}, "activity", "不支持的接口"},
		{"oversized params", url.Values{"activity": {"newInstance"}, "extras": {`{"x":"` + strings.Repeat("a", 9000) + `"}`}}, "extras", "8192"},
		{"invalid JSON", url.Values{"activity": {"newInstance"}, "extras": {`{"a":`}}, "extras", "不是有效的 JSON"},
		{"missing instance", url.Values{"activity": {"queryInstance"}}, "instance_id", "此项为必填项"},
		{"bad product id", url.Values{"activity": {"newInstance"}, "product": {"abc"}}, "product", "商品不存在"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := owner.post("/debugger/send", tc.form)
			if p.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", p.status)
			}
			if msg := testid(p, "field-error").Text(); !strings.Contains(msg, tc.text) {
				t.Fatalf("field message %q, want %q", msg, tc.text)
			}
		})
	}
	// Saving validates the same way, plus the name.
	p := owner.post("/debugger/cases", url.Values{"activity": {"newInstance"}, "name": {""}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(testid(p, "field-error").Text(), "此项为必填项") {
		t.Fatalf("nameless case: %d", p.status)
	}
	// No active key: a form-wide message, in the user's language.
	acme, _ := w.cat.MerchantBySlug(context.Background(), "acme")
	keys, _ := w.cat.Keys(context.Background(), models.SystemActor("test"), acme.ID)
	for _, k := range keys {
		_ = w.cat.RevokeKey(context.Background(), models.SystemActor("test"), acme.ID, k.ID, true)
	}
	p = owner.post("/debugger/send", url.Values{"activity": {"newInstance"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(testid(p, "form-error").Text(), "没有生效的访问密钥") {
		t.Fatalf("no key: %d %q", p.status, testid(p, "form-error").Text())
	}
	owner.post("/lang", url.Values{"lang": {"en"}})
	p = owner.post("/debugger/send", url.Values{"activity": {"newInstance"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(testid(p, "form-error").Text(), "no active access key") {
		t.Fatalf("no key in English: %d %q", p.status, testid(p, "form-error").Text())
	}
	p = owner.post("/debugger/send", url.Values{"activity": {"dropTables"}})
	if !strings.Contains(testid(p, "field-error").Text(), "Unknown activity") {
		t.Fatalf("English field message: %q", testid(p, "field-error").Text())
	}
}

func TestDebuggerCasesThroughTheRouter(t *testing.T) {
	w := newWorld(t)
	acme := w.loggedIn("owner@acme.test")
	p := acme.post("/debugger/cases", url.Values{"activity": {"newInstance"}, "name": {"开通冒烟"},
		"product": {fmt.Sprint(w.productID("00301-100001-0--0"))}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("save: %d %s %s", p.status, testid(p, "form-error").Text(), testid(p, "field-error").Text())
	}
	p = acme.get("/debugger")
	row := testid(p, "case-row")
	if row.Length() != 1 || row.AttrOr("data-name", "") != "开通冒烟" || !strings.Contains(testid(p, "flash").Text(), "开通冒烟") {
		t.Fatalf("case list: %d rows", row.Length())
	}
	id := row.AttrOr("data-case", "")
	p = acme.post("/debugger/cases/"+id+"/run", nil)
	if p.status != 200 || testid(p, "debug-result").AttrOr("data-result-code", "") != "000000" {
		t.Fatalf("run: %d", p.status)
	}
	// Another merchant's case id answers 404 for running and deleting.
	globex := w.loggedIn("owner@globex.test")
	if p := globex.post("/debugger/cases/"+id+"/run", nil); p.status != http.StatusNotFound {
		t.Fatalf("globex ran acme's case: %d", p.status)
	}
	if p := globex.post("/debugger/cases/"+id+"/delete", nil); p.status != http.StatusNotFound {
		t.Fatalf("globex deleted acme's case: %d", p.status)
	}
	if testid(globex.get("/debugger"), "case-row").Length() != 0 {
		t.Fatal("globex sees acme's case")
	}
	if p := acme.post("/debugger/cases/"+id+"/delete", nil); p.status != http.StatusSeeOther || w.count("test_cases", "") != 0 {
		t.Fatalf("delete: %d", p.status)
	}
	// Without a CSRF token nothing happens.
	if p := acme.postRaw("/debugger/cases", url.Values{"activity": {"newInstance"}, "name": {"x"}}); p.status != http.StatusForbidden {
		t.Fatalf("no CSRF: %d", p.status)
	}
}

func TestCalculatorMatchesTheProtocolPackage(t *testing.T) {
	w := newWorld(t)
	owner := w.loggedIn("owner@acme.test")
	const key = "a1b2c3d4-0000-4000-8000-123456789abc"
	lines := "activity=newInstance\r\nbusinessId=61e834ba-7b97-4418-b8f7-e5345137278c\r\ncustomerId=68cbc86abc2018ab880d92f36422fa0e\n" +
		"expireTime=20250101080000\norderId=CS1906666666ABCDE\nproductId=00301-666666-0--0\ntestFlag=1\ntimeStamp=20240101080000123\n"
	p := owner.post("/debugger/calc", url.Values{"op": {"v1_token"}, "key": {key}, "params": {lines}})
	want, err := koogallery.V1Token(key, url.Values{"activity": {"newInstance"}, "businessId": {"61e834ba-7b97-4418-b8f7-e5345137278c"},
		"customerId": {"68cbc86abc2018ab880d92f36422fa0e"}, "expireTime": {"20250101080000"}, "orderId": {"CS1906666666ABCDE"},
		"productId": {"00301-666666-0--0"}, "testFlag": {"1"}, "timeStamp": {"20240101080000123"}})
	if err != nil {
		t.Fatal(err)
	}
	// The spec's worked vector, too.
	if got := testid(p, "calc-result").Text(); p.status != 200 || got != want || got != "tQ2Gio7RcDuZ+w67njeVlS6r5s71NsqfsIeBPPpNwDo=" {
		t.Fatalf("calculator %q, koogallery %q (status %d)", got, want, p.status)
	}
	body := `{"resultCode":"000000","resultMsg":"success."}`
	p = owner.post("/debugger/calc", url.Values{"op": {"body_sign"}, "key": {key}, "body": {body}})
	if got := testid(p, "calc-result").Text(); got != koogallery.BodySignature(key, []byte(body)) {
		t.Fatalf("Body-Sign %q", got)
	}
	p = owner.post("/debugger/calc", url.Values{"op": {"v2_sign"}, "key": {key}, "nonce": {"N1"}, "timestamp": {"1680508066618"}, "body": {body}})
	if got := testid(p, "calc-result").Text(); got != koogallery.V2Signature(key, "N1", "1680508066618", []byte(body)) {
		t.Fatalf("V2 signature %q", got)
	}
	p = owner.post("/debugger/calc", url.Values{"op": {"encrypt"}, "key": {key}, "bits": {"128"}, "iv": {"ABCDEFGHIJKLMNOP"}, "text": {"admin"}})
	enc := testid(p, "calc-result").Text()
	if pt, err := koogallery.Decrypt(key, enc, koogallery.EncryptAES128); err != nil || pt != "admin" {
		t.Fatalf("encrypt %q: %v", enc, err)
	}
	p = owner.post("/debugger/calc", url.Values{"op": {"decrypt"}, "key": {key}, "bits": {"auto"}, "text": {enc}})
	if testid(p, "calc-result").Text() != "admin" {
		t.Fatalf("decrypt %q", testid(p, "calc-result").Text())
	}
	// Bad input: 422 with the field named, never a 500.
	for _, tc := range []struct {
		form url.Values
		text string
	}{
		{url.Values{"op": {"v1_token"}, "params": {"timeStamp=1"}}, "此项为必填项"},
		{url.Values{"op": {"v1_token"}, "key": {key}, "params": {"activity=newInstance"}}, "timeStamp"},
		{url.Values{"op": {"v1_token"}, "key": {key}, "params": {"no-equals-sign"}}, "第 1 行"},
		{url.Values{"op": {"v2_sign"}, "key": {key}, "nonce": {"n"}, "timestamp": {"soon"}, "body": {"{}"}}, "Unix"},
		{url.Values{"op": {"encrypt"}, "key": {key}, "bits": {"512"}, "text": {"x"}}, "256, 128"},
		{url.Values{"op": {"encrypt"}, "key": {key}, "bits": {"256"}, "iv": {"short"}, "text": {"x"}}, "IV"},
		{url.Values{"op": {"decrypt"}, "key": {key}, "text": {"ABCDEFGHIJKLMNOPnot-base64!!"}}, "无法解密"},
		{url.Values{"op": {"rot13"}, "key": {key}}, "不支持"},
	} {
		p := owner.post("/debugger/calc", tc.form)
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(testid(p, "field-error").Text(), tc.text) {
			t.Errorf("%v: %d %q", tc.form, p.status, testid(p, "field-error").Text())
		}
	}
}

func TestOperationsReverseFreezeAndDelistFlag(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	// Globex's endpoint fails every call: five days of dial tests freeze its product.
	globexProduct := w.productID("00302-200001-0--0")
	if _, err := w.dbg.Save(ctx, actorOf(w.env, "owner@globex.test"), "开通", debugger.Compose{Activity: "newInstance", ProductRef: globexProduct}); err != nil {
		t.Fatal(err)
	}
	for day := 1; day <= 5; day++ {
		w.clock.Set(time.Date(2026, 11, day, 16, 0, 0, 0, bizclock.Shanghai))
		if _, err := w.dbg.DialAll(ctx, w.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if w.count("products", "id = ? AND status = 'frozen'", globexProduct) != 1 {
		t.Fatal("not frozen")
	}
	if _, err := w.db.SQL.Exec(`UPDATE products SET delist_flagged = 1 WHERE id = ?`, globexProduct); err != nil {
		t.Fatal(err)
	}
	// The merchant sees the state and its runs on /debugger.
	row := w.loggedIn("owner@globex.test").get("/debugger").doc.Find(`[data-testid="dial-row"][data-product="00302-200001-0--0"]`)
	if row.AttrOr("data-status", "") != "frozen" || row.Find(`[data-testid="dial-run"][data-outcome="error"]`).Length() != 5 ||
		row.Find(`[data-testid="delist-flag"]`).Length() != 1 {
		t.Fatalf("dial row: %q", row.Text())
	}

	unfreeze := fmt.Sprintf("/admin/products/%d/unfreeze", globexProduct)
	clear := fmt.Sprintf("/admin/products/%d/clear-flag", globexProduct)
	for _, who := range []string{"owner@globex.test", "owner@acme.test", "staff@acme.test"} {
		c := w.loggedIn(who)
		if p := c.get("/admin/products"); p.status != http.StatusForbidden {
			t.Errorf("%s GET /admin/products: %d", who, p.status)
		}
		if p := c.post(unfreeze, nil); p.status != http.StatusForbidden {
			t.Errorf("%s unfreeze: %d", who, p.status)
		}
		if p := c.post(clear, nil); p.status != http.StatusForbidden {
			t.Errorf("%s clear: %d", who, p.status)
		}
	}
	if w.count("products", "id = ? AND status = 'frozen' AND delist_flagged = 1", globexProduct) != 1 {
		t.Fatal("a merchant role changed the product")
	}

	ops := w.loggedIn("ops@demo.test")
	p := ops.get("/admin/products")
	row = p.doc.Find(`[data-testid="admin-product-row"][data-product="00302-200001-0--0"]`)
	if p.status != 200 || testid(p, "admin-product-row").Length() != 4 || testid(p, "nav-admin-products").Length() != 1 ||
		row.Find(`[data-testid="product-unfreeze"]`).Length() != 1 || row.Find(`[data-testid="failing-days"]`).Text() != "5 / 5" {
		t.Fatalf("admin list: %d, %d rows, row %q", p.status, testid(p, "admin-product-row").Length(), row.Text())
	}
	if p := ops.post(unfreeze, nil); p.status != http.StatusSeeOther {
		t.Fatalf("unfreeze: %d", p.status)
	}
	if p := ops.post(clear, nil); p.status != http.StatusSeeOther {
		t.Fatalf("clear: %d", p.status)
	}
	if w.count("products", "id = ? AND status = 'on_sale' AND status_reason = '' AND delist_flagged = 0", globexProduct) != 1 {
		t.Fatal("not reversed")
	}
	if w.count("audit_log", "actor_email = 'ops@demo.test' AND action IN (?, ?)", models.AuditProductUnfrozen, models.AuditDelistCleared) != 2 {
		t.Fatal("reversals not audited")
	}
	// Reversing what is not there is a clear 422, not a 500; an absent product 404.
	if p := ops.post(unfreeze, nil); p.status != http.StatusUnprocessableEntity || !strings.Contains(testid(p, "form-error").Text(), "未被冻结") {
		t.Fatalf("unfreeze twice: %d", p.status)
	}
	if p := ops.post("/admin/products/99999/unfreeze", nil); p.status != http.StatusNotFound {
		t.Fatalf("absent product: %d", p.status)
	}
}
