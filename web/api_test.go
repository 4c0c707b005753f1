package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/catalog"
)

// apiEnv is the real router with a catalogue to order from and a live
// marketplace token.
type apiEnv struct {
	*env
	token   string
	acme    *models.Merchant
	globex  *models.Merchant
	product models.Product
}

func newAPIEnv(t *testing.T) *apiEnv {
	t.Helper()
	a := &apiEnv{env: newEnv(t)}
	ctx, ops := context.Background(), models.SystemActor("test")
	var err error
	if a.acme, err = a.cat.MerchantBySlug(ctx, "acme"); err != nil {
		t.Fatal(err)
	}
	if a.globex, err = a.cat.MerchantBySlug(ctx, "globex"); err != nil {
		t.Fatal(err)
	}
	a.product = a.addProduct(a.acme.ID, "00301-100001-0--0")
	for _, m := range []*models.Merchant{a.acme, a.globex} {
		if _, err := a.cat.SetEndpoint(ctx, ops, m.ID, catalog.EndpointInput{URL: "http://127.0.0.1:9/produce", Protocol: "v2"}); err != nil {
			t.Fatal(err)
		}
	}
	if a.token, _, err = a.cat.IssueToken(ctx, ops, "marketplace"); err != nil {
		t.Fatal(err)
	}
	return a
}

func (a *apiEnv) addProduct(merchantID int64, productID string) models.Product {
	a.t.Helper()
	now := a.clock.Now()
	p := models.Product{MerchantID: merchantID, ProductID: productID, SKUCode: "sku-basic", Name: "CRM " + productID,
		Kind: models.KindSaaS, ChargingMode: models.ChargingPeriod, PeriodType: "month", Status: models.ProductOnSale,
		CreatedAt: now, UpdatedAt: now}
	if err := a.db.Gorm.Create(&p).Error; err != nil {
		a.t.Fatal(err)
	}
	return p
}

// addInstance records what the core would after a successful create: an
// instance for the order's first line.
func (a *apiEnv) addInstance(orderID, instanceID string, status models.InstanceStatus) {
	a.t.Helper()
	var line models.OrderLine
	if err := a.db.Gorm.Joins("JOIN orders ON orders.id = order_lines.order_ref").
		Where("orders.order_id = ?", orderID).First(&line).Error; err != nil {
		a.t.Fatal(err)
	}
	now := a.clock.Now()
	inst := models.Instance{MerchantID: line.MerchantID, InstanceID: instanceID, ProductID: line.ProductRef, Status: status,
		CreatingLineRef: line.ID, CreatedAt: now, UpdatedAt: now}
	if err := a.db.Gorm.Create(&inst).Error; err != nil {
		a.t.Fatal(err)
	}
	if err := a.db.Gorm.Model(&line).Updates(map[string]any{"instance_ref": inst.ID, "status": models.LineCompleted}).Error; err != nil {
		a.t.Fatal(err)
	}
}

type apiResp struct {
	status int
	header http.Header
	body   []byte
}

type apiErr struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

// call sends one API request; headers are alternating name/value pairs.
func (a *apiEnv) call(method, path string, body io.Reader, headers ...string) apiResp {
	a.t.Helper()
	req, err := http.NewRequest(method, a.srv.URL+path, body)
	if err != nil {
		a.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return apiResp{status: res.StatusCode, header: res.Header, body: b}
}

// authed sends a request with the marketplace token.
func (a *apiEnv) authed(method, path, body string, headers ...string) apiResp {
	a.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	return a.call(method, path, r, append([]string{"Authorization", "Bearer " + a.token}, headers...)...)
}

func (r apiResp) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("status %d, body not JSON: %v\n%s", r.status, err, r.body)
	}
}

// apiError asserts the status and the JSON error shape, and returns the error.
func (r apiResp) apiError(t *testing.T, status int) apiErr {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d\n%s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("error content type %q", ct)
	}
	var e apiErr
	r.decode(t, &e)
	if e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("error without code or message: %s", r.body)
	}
	return e
}

// orderJSON is a valid NEW order for the Acme product, changed by edit.
func orderJSON(t *testing.T, edit func(o map[string]any)) string {
	t.Helper()
	o := map[string]any{
		"orderId":    "CS-0001",
		"orderType":  "NEW",
		"createTime": "2026-11-23T09:30:00+08:00",
		"buyer": map[string]any{"customerId": "cust-1", "customerName": "张三科技", "userId": "u-1",
			"userName": "zhangsan", "mobilePhone": "13800000000", "email": "zs@example.com"},
		"lines": []any{map[string]any{
			"orderLineId": "CS-0001-1", "productId": "00301-100001-0--0", "skuCode": "sku-basic",
			"chargingMode": "PERIOD", "periodType": "month", "periodNumber": 3, "amount": "297.00",
			"currency": "CNY", "expireTime": "2027-02-23T09:30:00+08:00",
		}},
	}
	if edit != nil {
		edit(o)
	}
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func line0(o map[string]any) map[string]any { return o["lines"].([]any)[0].(map[string]any) }

type orderView struct {
	OrderID    string `json:"orderId"`
	OrderType  string `json:"orderType"`
	Status     string `json:"status"`
	CreateTime string `json:"createTime"`
	Amount     string `json:"amount"`
	Currency   string `json:"currency"`
	Lines      []struct {
		OrderLineID string `json:"orderLineId"`
		ProductID   string `json:"productId"`
		InstanceID  string `json:"instanceId"`
		Status      string `json:"status"`
		Amount      string `json:"amount"`
	} `json:"lines"`
}

func TestAPIRefusesRequestsWithoutAValidBearerToken(t *testing.T) {
	a := newAPIEnv(t)
	body := orderJSON(t, nil)

	revoked, tok, err := a.cat.IssueToken(context.Background(), models.SystemActor("test"), "old integration")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.db.Gorm.Model(tok).Update("revoked_at", a.clock.Now()).Error; err != nil {
		t.Fatal(err)
	}
	cases := map[string][]string{
		"no header":     nil,
		"empty bearer":  {"Authorization", "Bearer "},
		"unknown token": {"Authorization", "Bearer sct_" + strings.Repeat("x", 43)},
		"not a token":   {"Authorization", "Bearer hunter2"},
		"basic scheme":  {"Authorization", "Basic " + a.token},
		"token alone":   {"Authorization", a.token},
		"revoked token": {"Authorization", "Bearer " + revoked},
	}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			r := a.call(http.MethodPost, "/api/v1/orders", strings.NewReader(body), h...)
			e := r.apiError(t, http.StatusUnauthorized)
			if got := r.header.Get("WWW-Authenticate"); got != "Bearer" {
				t.Fatalf("WWW-Authenticate %q", got)
			}
			if e.Error.Message != "A valid API token is required (Authorization: Bearer <token>)." {
				t.Fatalf("message %q", e.Error.Message)
			}
			if r := a.call(http.MethodGet, "/api/v1/orders/CS-0001", nil, h...); r.status != http.StatusUnauthorized {
				t.Fatalf("GET: %d", r.status)
			}
		})
	}

	// A signed-in browser, even the operations manager's, is not an integration.
	ops := a.loggedIn("ops@demo.test")
	req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/api/v1/orders", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if p := ops.do(req); p.status != http.StatusUnauthorized {
		t.Fatalf("session cookie without bearer: %d", p.status)
	}
	if n := a.count("orders", ""); n != 0 {
		t.Fatalf("refused requests created %d orders", n)
	}

	// An unknown path under the API is not revealed without a token.
	if r := a.call(http.MethodGet, "/api/v1/nothing-here", nil); r.status != http.StatusUnauthorized {
		t.Fatalf("unknown path without token: %d", r.status)
	}
	a.authed(http.MethodGet, "/api/v1/nothing-here", "").apiError(t, http.StatusNotFound)
}

func TestAPICreateOrderThenRepeatReturnsTheSameOrder(t *testing.T) {
	a := newAPIEnv(t)
	body := orderJSON(t, nil)
	r := a.authed(http.MethodPost, "/api/v1/orders", body)
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d\n%s", r.status, r.body)
	}
	if loc := r.header.Get("Location"); loc != "/api/v1/orders/CS-0001" {
		t.Fatalf("Location %q", loc)
	}
	var v orderView
	r.decode(t, &v)
	if v.OrderID != "CS-0001" || v.OrderType != "NEW" || v.Status != "processing" || v.Amount != "297.00" ||
		v.Currency != "CNY" || v.CreateTime != "2026-11-23T01:30:00Z" {
		t.Fatalf("order view: %+v", v)
	}
	if len(v.Lines) != 1 || v.Lines[0].OrderLineID != "CS-0001-1" || v.Lines[0].ProductID != a.product.ProductID ||
		v.Lines[0].Status != "processing" || v.Lines[0].Amount != "297.00" || v.Lines[0].InstanceID != "" {
		t.Fatalf("lines: %+v", v.Lines)
	}
	if a.count("orders", "") != 1 || a.count("order_lines", "") != 1 || a.count("calls", "activity = ?", models.ActNewInstance) != 1 {
		t.Fatal("order, line or create call not recorded")
	}
	if a.sched.count() != 1 {
		t.Fatalf("scheduled attempts: %d", a.sched.count())
	}
	if a.count("order_lines", "period_number = 3 AND period_type = 'month' AND amount = 29700 AND expire_at IS NOT NULL") != 1 {
		t.Fatal("line fields not mapped")
	}

	// The marketplace retries: the same order, even with the time written in
	// another offset, answers 200 with the same body and changes nothing.
	for _, again := range []string{body, orderJSON(t, func(o map[string]any) { o["createTime"] = "2026-11-23T01:30:00Z" })} {
		r2 := a.authed(http.MethodPost, "/api/v1/orders", again)
		if r2.status != http.StatusOK {
			t.Fatalf("repeat: %d\n%s", r2.status, r2.body)
		}
		if !jsonEqual(t, r.body, r2.body) {
			t.Fatalf("repeat answered another order:\n%s\n%s", r.body, r2.body)
		}
	}
	if a.count("orders", "") != 1 || a.count("order_lines", "") != 1 || a.count("calls", "") != 1 || a.sched.count() != 1 {
		t.Fatal("a repeat created something")
	}

	g := a.authed(http.MethodGet, "/api/v1/orders/CS-0001", "")
	if g.status != http.StatusOK || !jsonEqual(t, r.body, g.body) {
		t.Fatalf("GET: %d\n%s", g.status, g.body)
	}
}

func jsonEqual(t *testing.T, x, y []byte) bool {
	t.Helper()
	var a, b any
	if json.Unmarshal(x, &a) != nil || json.Unmarshal(y, &b) != nil {
		t.Fatalf("not JSON:\n%s\n%s", x, y)
	}
	return reflect.DeepEqual(a, b)
}

func TestAPIRepeatedOrderIDWithOtherContentIsAConflict(t *testing.T) {
	a := newAPIEnv(t)
	if r := a.authed(http.MethodPost, "/api/v1/orders", orderJSON(t, nil)); r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	r := a.authed(http.MethodPost, "/api/v1/orders", orderJSON(t, func(o map[string]any) { line0(o)["amount"] = "1.00" }))
	e := r.apiError(t, http.StatusConflict)
	if e.Error.Code != "409" || e.Error.Message != "This order id exists with different content." {
		t.Fatalf("conflict error: %+v", e.Error)
	}
	if a.count("orders", "") != 1 || a.count("order_lines", "amount = 29700") != 1 {
		t.Fatal("the conflicting repeat changed the order")
	}
	// A new order reusing another order's line id is refused as well.
	r = a.authed(http.MethodPost, "/api/v1/orders", orderJSON(t, func(o map[string]any) { o["orderId"] = "CS-0002" }))
	r.apiError(t, http.StatusConflict)
	if a.count("orders", "") != 1 {
		t.Fatal("a second order was created")
	}
}

func TestAPIInvalidOrdersAre422WithFieldMessages(t *testing.T) {
	a := newAPIEnv(t)
	cases := []struct {
		name  string
		edit  func(o map[string]any)
		field string
		want  string
	}{
		{"unknown product", func(o map[string]any) { line0(o)["productId"] = "00399-999999-0--0" },
			"lines[0].productId", "No such product."},
		{"negative amount on NEW", func(o map[string]any) { line0(o)["amount"] = "-10.00" },
			"lines[0].amount", "Only a renewal cancellation may have a negative amount."},
		{"three decimals", func(o map[string]any) { line0(o)["amount"] = "9.999" },
			"lines[0].amount", `An amount is a number with at most two decimals, e.g. "99.00".`},
		{"absurd periodNumber", func(o map[string]any) { line0(o)["periodNumber"] = 1000 },
			"lines[0].periodNumber", "Must be between 1 and 60."},
		{"unknown orderType", func(o map[string]any) { o["orderType"] = "GIFT" },
			"orderType", "Must be one of: NEW, TRIAL, TRIAL_TO_FORMAL, RENEW, UNSUBSCRIBE, CHANGE."},
		{"bad buyer email", func(o map[string]any) { o["buyer"].(map[string]any)["email"] = "not-an-email" },
			"buyer.email", "Not a valid e-mail address."},
		{"missing lines", func(o map[string]any) { delete(o, "lines") },
			"lines", "This field is required."},
		{"empty lines", func(o map[string]any) { o["lines"] = []any{} },
			"lines", "This field is required."},
		{"missing buyer", func(o map[string]any) { delete(o, "buyer") },
			"buyer.customerId", "This field is required."},
		{"missing createTime", func(o map[string]any) { delete(o, "createTime") },
			"createTime", "This field is required."},
		{"future createTime", func(o map[string]any) { o["createTime"] = "2026-12-01T00:00:00Z" },
			"createTime", "The time must not be in the future."},
		{"instance on NEW", func(o map[string]any) { line0(o)["instanceId"] = "inst-1" },
			"lines[0].instanceId", "New and trial orders do not name an instance."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := a.authed(http.MethodPost, "/api/v1/orders", orderJSON(t, tc.edit)).apiError(t, http.StatusUnprocessableEntity)
			if e.Error.Code != "422" {
				t.Fatalf("code %q", e.Error.Code)
			}
			if got := e.Error.Fields[tc.field]; got != tc.want {
				t.Fatalf("fields[%q] = %q, want %q; all: %v", tc.field, got, tc.want, e.Error.Fields)
			}
		})
	}
	if n := a.count("orders", ""); n != 0 {
		t.Fatalf("invalid orders recorded: %d", n)
	}
	if a.count("buyers", "") != 0 || a.sched.count() != 0 {
		t.Fatal("an invalid order left a buyer or a scheduled call behind")
	}
}

func TestAPIMalformedBodiesAre400NamingTheField(t *testing.T) {
	a := newAPIEnv(t)
	valid := orderJSON(t, nil)
	cases := []struct {
		name, body, field, want string
	}{
		{"malformed JSON", `{"orderId": "CS-1",`, "body", "The body is not valid JSON."},
		{"empty body", ``, "body", "The body is not valid JSON."},
		{"trailing data", valid + `{}`, "body", "The body is not valid JSON."},
		{"array body", `[]`, "body", "Must be a JSON object."},
		{"unknown top-level field", orderJSON(t, func(o map[string]any) { o["discount"] = "5" }),
			"discount", "Unknown field."},
		{"unknown buyer field", orderJSON(t, func(o map[string]any) { o["buyer"].(map[string]any)["vip"] = true }),
			"buyer.vip", "Unknown field."},
		{"unknown line field", orderJSON(t, func(o map[string]any) { line0(o)["price"] = "1" }),
			"lines[0].price", "Unknown field."},
		{"amount as a number", orderJSON(t, func(o map[string]any) { line0(o)["amount"] = 297.0 }),
			"lines[0].amount", "Must be a JSON string."},
		{"periodNumber as a string", orderJSON(t, func(o map[string]any) { line0(o)["periodNumber"] = "3" }),
			"lines[0].periodNumber", "Must be a whole number."},
		{"fractional periodNumber", orderJSON(t, func(o map[string]any) { line0(o)["periodNumber"] = 1.5 }),
			"lines[0].periodNumber", "Must be a whole number."},
		{"createTime not RFC 3339", orderJSON(t, func(o map[string]any) { o["createTime"] = "2026-11-23 09:30:00" }),
			"createTime", "Use an RFC 3339 time, e.g. 2026-11-23T10:00:00+08:00."},
		{"expireTime not RFC 3339", orderJSON(t, func(o map[string]any) { line0(o)["expireTime"] = "23/02/2027" }),
			"lines[0].expireTime", "Use an RFC 3339 time, e.g. 2026-11-23T10:00:00+08:00."},
		{"buyer not an object", orderJSON(t, func(o map[string]any) { o["buyer"] = "cust-1" }),
			"buyer", "Must be a JSON object."},
		{"lines not an array", orderJSON(t, func(o map[string]any) { o["lines"] = line0(o) }),
			"lines", "Must be a JSON array."},
		{"orderId as a number", orderJSON(t, func(o map[string]any) { o["orderId"] = 1 }),
			"orderId", "Must be a JSON string."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := a.authed(http.MethodPost, "/api/v1/orders", tc.body).apiError(t, http.StatusBadRequest)
			if e.Error.Code != "400" {
				t.Fatalf("code %q", e.Error.Code)
			}
			if got := e.Error.Fields[tc.field]; got != tc.want {
				t.Fatalf("fields[%q] = %q, want %q; all: %v", tc.field, got, tc.want, e.Error.Fields)
			}
		})
	}
	// Every shape problem is reported at once, not one per round trip.
	e := a.authed(http.MethodPost, "/api/v1/orders", orderJSON(t, func(o map[string]any) {
		o["createTime"] = "yesterday"
		line0(o)["expireTime"] = "tomorrow"
		o["lines"] = append(o["lines"].([]any), map[string]any{"orderLineId": "x", "amount": 5})
	})).apiError(t, http.StatusBadRequest)
	for _, f := range []string{"createTime", "lines[0].expireTime", "lines[1].amount"} {
		if e.Error.Fields[f] == "" {
			t.Fatalf("%s not reported: %v", f, e.Error.Fields)
		}
	}
	if n := a.count("orders", ""); n != 0 {
		t.Fatalf("malformed requests recorded %d orders", n)
	}
}

func TestAPIBodiesOverOneMebibyteAre413(t *testing.T) {
	a := newAPIEnv(t)
	big := `{"orderId": "` + strings.Repeat("x", 1<<20) + `"}`
	r := a.authed(http.MethodPost, "/api/v1/orders", big)
	if e := r.apiError(t, http.StatusRequestEntityTooLarge); e.Error.Code != "413" {
		t.Fatalf("code %q", e.Error.Code)
	}
	// Without a Content-Length the limit is enforced while reading.
	chunked := io.MultiReader(strings.NewReader(big)) // hides the length from net/http
	r = a.call(http.MethodPost, "/api/v1/orders", chunked, "Authorization", "Bearer "+a.token)
	r.apiError(t, http.StatusRequestEntityTooLarge)
	// Just under the limit is read and judged on its content.
	small := `{"orderId": "` + strings.Repeat("x", 1<<19) + `"}`
	a.authed(http.MethodPost, "/api/v1/orders", small).apiError(t, http.StatusUnprocessableEntity)
}

func TestAPIGetOrderReportsLineStatusAndInstance(t *testing.T) {
	a := newAPIEnv(t)
	if r := a.authed(http.MethodPost, "/api/v1/orders", orderJSON(t, nil)); r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	a.addInstance("CS-0001", "inst-0001", models.InstanceNormal)
	r := a.authed(http.MethodGet, "/api/v1/orders/CS-0001", "")
	if r.status != http.StatusOK {
		t.Fatalf("GET: %d %s", r.status, r.body)
	}
	var v orderView
	r.decode(t, &v)
	if len(v.Lines) != 1 || v.Lines[0].InstanceID != "inst-0001" || v.Lines[0].Status != "completed" {
		t.Fatalf("line after provisioning: %+v", v.Lines)
	}

	e := a.authed(http.MethodGet, "/api/v1/orders/CS-9999", "").apiError(t, http.StatusNotFound)
	if e.Error.Code != "404" {
		t.Fatalf("code %q", e.Error.Code)
	}
	a.authed(http.MethodGet, "/api/v1/orders/..%2F..%2Fetc", "").apiError(t, http.StatusNotFound)
}

func TestAPIInstanceEvents(t *testing.T) {
	a := newAPIEnv(t)
	globexProduct := a.addProduct(a.globex.ID, "00302-200001-0--0")
	orders := []struct{ orderID, productID, instanceID string }{
		{"CS-A1", a.product.ProductID, "inst-live"},
		{"CS-A2", a.product.ProductID, "inst-gone"},
		{"CS-A3", a.product.ProductID, "inst-shared"},
		{"CS-G1", globexProduct.ProductID, "inst-shared"},
	}
	for _, o := range orders {
		body := orderJSON(t, func(m map[string]any) {
			m["orderId"] = o.orderID
			line0(m)["orderLineId"] = o.orderID + "-1"
			line0(m)["productId"] = o.productID
		})
		if r := a.authed(http.MethodPost, "/api/v1/orders", body); r.status != http.StatusCreated {
			t.Fatalf("create %s: %d %s", o.orderID, r.status, r.body)
		}
		status := models.InstanceNormal
		if o.instanceID == "inst-gone" {
			status = models.InstanceReleased
		}
		a.addInstance(o.orderID, o.instanceID, status)
	}
	calls, jobs := a.count("calls", ""), a.sched.count()

	r := a.authed(http.MethodPost, "/api/v1/instances/inst-live/events", `{"event": "freeze"}`)
	if r.status != http.StatusAccepted {
		t.Fatalf("freeze: %d %s", r.status, r.body)
	}
	var ev struct {
		InstanceID string `json:"instanceId"`
		Event      string `json:"event"`
		Status     string `json:"status"`
		CallID     int64  `json:"callId"`
	}
	r.decode(t, &ev)
	if ev.InstanceID != "inst-live" || ev.Event != "freeze" || ev.Status != "accepted" || ev.CallID == 0 {
		t.Fatalf("event view: %+v", ev)
	}
	if a.count("calls", "id = ? AND activity = ?", ev.CallID, models.ActUpdateStatus) != 1 || a.sched.count() != jobs+1 {
		t.Fatal("the freeze call was not queued")
	}
	// The marketplace repeats the event while it is still being delivered.
	r = a.authed(http.MethodPost, "/api/v1/instances/inst-live/events", `{"event": "freeze"}`)
	var again struct {
		CallID int64 `json:"callId"`
	}
	r.decode(t, &again)
	if r.status != http.StatusAccepted || again.CallID != ev.CallID || a.count("calls", "") != calls+1 {
		t.Fatalf("repeat: %d call %d, calls %d", r.status, again.CallID, a.count("calls", ""))
	}

	a.authed(http.MethodPost, "/api/v1/instances/inst-nobody/events", `{"event": "expire"}`).apiError(t, http.StatusNotFound)
	e := a.authed(http.MethodPost, "/api/v1/instances/inst-gone/events", `{"event": "unfreeze"}`).apiError(t, http.StatusConflict)
	if e.Error.Message != "The instance was released." {
		t.Fatalf("released: %q", e.Error.Message)
	}
	e = a.authed(http.MethodPost, "/api/v1/instances/inst-shared/events", `{"event": "release"}`).apiError(t, http.StatusConflict)
	if e.Error.Message != "Several merchants have this instance id." {
		t.Fatalf("ambiguous: %q", e.Error.Message)
	}
	e = a.authed(http.MethodPost, "/api/v1/instances/inst-live/events", `{"event": "explode"}`).apiError(t, http.StatusUnprocessableEntity)
	if e.Error.Fields["event"] != "Must be one of: expire, freeze, unfreeze, release." {
		t.Fatalf("bad event: %v", e.Error.Fields)
	}
	e = a.authed(http.MethodPost, "/api/v1/instances/inst-live/events", `{"event": "freeze", "reason": "x"}`).apiError(t, http.StatusBadRequest)
	if e.Error.Fields["reason"] != "Unknown field." {
		t.Fatalf("unknown field: %v", e.Error.Fields)
	}
	a.authed(http.MethodPost, "/api/v1/instances/inst-live/events", `{"event": 1}`).apiError(t, http.StatusBadRequest)
	if r := a.call(http.MethodPost, "/api/v1/instances/inst-live/events", strings.NewReader(`{"event": "release"}`)); r.status != http.StatusUnauthorized {
		t.Fatalf("event without token: %d", r.status)
	}
	if n := a.count("calls", ""); n != calls+1 {
		t.Fatalf("refused events queued calls: %d → %d", calls, n)
	}
}

func TestAPIMessagesFollowAcceptLanguage(t *testing.T) {
	a := newAPIEnv(t)
	body := orderJSON(t, func(o map[string]any) { line0(o)["productId"] = "00399-999999-0--0" })
	cases := []struct{ header, message, field string }{
		{"", "Some input is wrong. Check it and try again.", "No such product."},
		{"fr-FR", "Some input is wrong. Check it and try again.", "No such product."},
		{"en-US,en;q=0.9", "Some input is wrong. Check it and try again.", "No such product."},
		{"zh-CN,zh;q=0.9,en;q=0.8", "提交的内容有误，请检查后重试。", "商品不存在。"},
		{"zh", "提交的内容有误，请检查后重试。", "商品不存在。"},
	}
	for _, tc := range cases {
		var h []string
		if tc.header != "" {
			h = []string{"Accept-Language", tc.header}
		}
		e := a.authed(http.MethodPost, "/api/v1/orders", body, h...).apiError(t, http.StatusUnprocessableEntity)
		if e.Error.Message != tc.message || e.Error.Fields["lines[0].productId"] != tc.field {
			t.Errorf("Accept-Language %q: %q / %v", tc.header, e.Error.Message, e.Error.Fields)
		}
	}
	r := a.call(http.MethodGet, "/api/v1/orders/CS-1", nil, "Accept-Language", "zh-CN")
	if e := r.apiError(t, http.StatusUnauthorized); e.Error.Message != "需要有效的接口令牌（Authorization: Bearer <令牌>）。" {
		t.Fatalf("401 in Chinese: %q", e.Error.Message)
	}
	e := a.authed(http.MethodPost, "/api/v1/orders", `{"x":1}`, "Accept-Language", "zh-CN").apiError(t, http.StatusBadRequest)
	if e.Error.Fields["x"] != "未知字段。" {
		t.Fatalf("400 in Chinese: %v", e.Error.Fields)
	}
}

// The size limit comes before the token check, so an anonymous client cannot
// make the server read a large body either.
func TestAPIRejectsOversizedBodiesWithoutAToken(t *testing.T) {
	a := newAPIEnv(t)
	r := a.call(http.MethodPost, "/api/v1/orders", bytes.NewReader(make([]byte, 2<<20)))
	r.apiError(t, http.StatusRequestEntityTooLarge)
}
