package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/sellercenter/sellercenter/models"
)

type invoiceRequestView struct {
	RequestID     string `json:"requestId"`
	Status        string `json:"status"`
	Amount        string `json:"amount"`
	Currency      string `json:"currency"`
	InvoiceNumber string `json:"invoiceNumber"`
	NeedsReturn   bool   `json:"needsReturn"`
}

// newInvoiceAPIEnv has cust-1's order CS-0001 paid and provisioned (its
// line CS-0001-1 invoiceable, 297.00 CNY) and order CS-0002 still
// processing (its line not invoiceable).
func newInvoiceAPIEnv(t *testing.T) *apiEnv {
	t.Helper()
	a := newAPIEnv(t)
	if r := a.authed(http.MethodPost, "/api/v1/orders", orderJSON(t, nil)); r.status != http.StatusCreated {
		t.Fatalf("order: %d %s", r.status, r.body)
	}
	a.addInstance("CS-0001", "inst-0001", models.InstanceNormal)
	if r := a.authed(http.MethodPost, "/api/v1/orders", orderJSON(t, func(o map[string]any) {
		o["orderId"] = "CS-0002"
		line0(o)["orderLineId"] = "CS-0002-1"
	})); r.status != http.StatusCreated {
		t.Fatalf("order 2: %d %s", r.status, r.body)
	}
	return a
}

func invoiceRequestJSON(t *testing.T, edit func(m map[string]any)) string {
	t.Helper()
	m := map[string]any{"requestId": "IR-0001", "customerId": "cust-1", "orderLineIds": []string{"CS-0001-1"},
		"title": "张三科技有限公司", "taxId": "91350100M000100Y43", "kind": "normal", "email": "zs@example.com"}
	if edit != nil {
		edit(m)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestAPIInvoiceRequestIsCreatedOnceAndRead(t *testing.T) {
	a := newInvoiceAPIEnv(t)
	body := invoiceRequestJSON(t, nil)
	r := a.authed(http.MethodPost, "/api/v1/invoice-requests", body)
	if r.status != http.StatusCreated || r.header.Get("Location") != "/api/v1/invoice-requests/IR-0001" {
		t.Fatalf("create: %d %q %s", r.status, r.header.Get("Location"), r.body)
	}
	var v invoiceRequestView
	r.decode(t, &v)
	if v != (invoiceRequestView{RequestID: "IR-0001", Status: "pending", Amount: "297.00", Currency: "CNY"}) {
		t.Fatalf("created: %+v", v)
	}
	// The same request again: 200, the same answer, nothing new.
	again := a.authed(http.MethodPost, "/api/v1/invoice-requests", body)
	if again.status != http.StatusOK || !jsonEqual(t, again.body, r.body) {
		t.Fatalf("repeat: %d %s", again.status, again.body)
	}
	if n := a.count("invoices", "request_id = ?", "IR-0001"); n != 1 {
		t.Fatalf("%d invoices", n)
	}
	// The same id with other content is a conflict.
	a.authed(http.MethodPost, "/api/v1/invoice-requests", invoiceRequestJSON(t, func(m map[string]any) {
		m["title"] = "其他公司"
	})).apiError(t, http.StatusConflict)

	g := a.authed(http.MethodGet, "/api/v1/invoice-requests/IR-0001", "")
	var got map[string]any
	g.decode(t, &got)
	if g.status != http.StatusOK || got["status"] != "pending" || got["needsReturn"] != false || got["amount"] != "297.00" {
		t.Fatalf("GET: %d %s", g.status, g.body)
	}
	if _, ok := got["invoiceNumber"]; ok {
		t.Fatalf("invoiceNumber before issue: %s", g.body)
	}
	a.authed(http.MethodGet, "/api/v1/invoice-requests/IR-9999", "").apiError(t, http.StatusNotFound)
	// Without a token: 401.
	if r := a.call(http.MethodGet, "/api/v1/invoice-requests/IR-0001", nil); r.status != http.StatusUnauthorized {
		t.Fatalf("no token: %d", r.status)
	}
}

func TestAPIInvoiceRequestNamesTheLineThatIsNotInvoiceable(t *testing.T) {
	a := newInvoiceAPIEnv(t)
	e := a.authed(http.MethodPost, "/api/v1/invoice-requests", invoiceRequestJSON(t, func(m map[string]any) {
		m["orderLineIds"] = []string{"CS-0001-1", "CS-0002-1"}
	})).apiError(t, http.StatusUnprocessableEntity)
	if _, ok := e.Error.Fields["orderLineIds[CS-0002-1]"]; !ok || len(e.Error.Fields) != 1 {
		t.Fatalf("fields: %v", e.Error.Fields)
	}
	// An unknown line, and another customer's, read alike: named, not found.
	e = a.authed(http.MethodPost, "/api/v1/invoice-requests", invoiceRequestJSON(t, func(m map[string]any) {
		m["orderLineIds"] = []string{"CS-NOPE-1"}
	})).apiError(t, http.StatusUnprocessableEntity)
	if _, ok := e.Error.Fields["orderLineIds[CS-NOPE-1]"]; !ok {
		t.Fatalf("fields: %v", e.Error.Fields)
	}
	// A special invoice without its details is 422 on those fields.
	e = a.authed(http.MethodPost, "/api/v1/invoice-requests", invoiceRequestJSON(t, func(m map[string]any) {
		m["kind"] = "special"
	})).apiError(t, http.StatusUnprocessableEntity)
	if len(e.Error.Fields) == 0 {
		t.Fatalf("special without details: %v", e.Error)
	}
	// Malformed bodies are 400 naming the field.
	e = a.authed(http.MethodPost, "/api/v1/invoice-requests", `{"requestId":"IR-1","orderLineIds":"CS-0001-1"}`).
		apiError(t, http.StatusBadRequest)
	if _, ok := e.Error.Fields["orderLineIds"]; !ok {
		t.Fatalf("fields: %v", e.Error.Fields)
	}
	a.authed(http.MethodPost, "/api/v1/invoice-requests", `{"requestId":"IR-1","amount":"1.00"}`).
		apiError(t, http.StatusBadRequest)
	if n := a.count("invoices", "1 = 1"); n != 0 {
		t.Fatalf("%d invoices after refusals", n)
	}
}

func TestAPIInvoiceRequestRevokesWhilePendingOnly(t *testing.T) {
	a := newInvoiceAPIEnv(t)
	if r := a.authed(http.MethodPost, "/api/v1/invoice-requests", invoiceRequestJSON(t, nil)); r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	r := a.authed(http.MethodPost, "/api/v1/invoice-requests/IR-0001/revoke", "")
	var v invoiceRequestView
	r.decode(t, &v)
	if r.status != http.StatusOK || v.Status != "revoked" {
		t.Fatalf("revoke: %d %s", r.status, r.body)
	}
	// The refusal names the state by its label, in the caller's language.
	e := a.authed(http.MethodPost, "/api/v1/invoice-requests/IR-0001/revoke", "").apiError(t, http.StatusConflict)
	zh := a.authed(http.MethodPost, "/api/v1/invoice-requests/IR-0001/revoke", "", "Accept-Language", "zh-CN").
		apiError(t, http.StatusConflict)
	if strings.Contains(e.Error.Message, "revoked") || !strings.Contains(zh.Error.Message, "已撤销") {
		t.Fatalf("409 messages: %q / %q", e.Error.Message, zh.Error.Message)
	}

	// A request finance has acted on (rejected) can no longer be revoked.
	if r := a.authed(http.MethodPost, "/api/v1/invoice-requests", invoiceRequestJSON(t, func(m map[string]any) {
		m["requestId"] = "IR-0002"
	})); r.status != http.StatusCreated {
		t.Fatalf("create 2: %d %s", r.status, r.body)
	}
	var id int64
	a.db.Gorm.Table("invoices").Where("request_id = ?", "IR-0002").Pluck("id", &id)
	if _, err := a.app.Invoices.Reject(context.Background(), actorOf(a.env, "finance@acme.test"), id, "抬头有误"); err != nil {
		t.Fatal(err)
	}
	e = a.authed(http.MethodPost, "/api/v1/invoice-requests/IR-0002/revoke", "").apiError(t, http.StatusConflict)
	if e.Error.Code != "409" {
		t.Fatalf("code %q", e.Error.Code)
	}
	g := a.authed(http.MethodGet, "/api/v1/invoice-requests/IR-0002", "")
	g.decode(t, &v)
	if v.Status != "rejected" {
		t.Fatalf("after reject: %s", g.body)
	}
	a.authed(http.MethodPost, "/api/v1/invoice-requests/IR-9999/revoke", "").apiError(t, http.StatusNotFound)
}

// The app bills a line only past supervision's settlement gate: a line whose
// supervision is in progress is named as not invoiceable until it is 已完成.
func TestAPIInvoiceRequestWaitsForSupervisionToFinish(t *testing.T) {
	a := newInvoiceAPIEnv(t)
	set := func(s models.Supervision) {
		t.Helper()
		if err := a.db.Gorm.Exec("UPDATE order_lines SET supervision = ? WHERE order_line_id = ?", s, "CS-0001-1").Error; err != nil {
			t.Fatal(err)
		}
	}
	set(models.SupervisionInProgress)
	e := a.authed(http.MethodPost, "/api/v1/invoice-requests", invoiceRequestJSON(t, nil)).apiError(t, http.StatusUnprocessableEntity)
	if _, ok := e.Error.Fields["orderLineIds[CS-0001-1]"]; !ok {
		t.Fatalf("fields: %v", e.Error.Fields)
	}
	set(models.SupervisionDone)
	if r := a.authed(http.MethodPost, "/api/v1/invoice-requests", invoiceRequestJSON(t, nil)); r.status != http.StatusCreated {
		t.Fatalf("after 已完成: %d %s", r.status, r.body)
	}
}
