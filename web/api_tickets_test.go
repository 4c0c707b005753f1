package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/calendars"
	"github.com/sellercenter/sellercenter/models/demo"
)

// newTicketAPIEnv is the API env with the demo reception hours: Acme
// Monday–Friday 09:00–12:00 and 13:30–18:30 in Shanghai (now is Monday
// 10:00 there), Globex every day 08:00–20:00.
func newTicketAPIEnv(t *testing.T) *apiEnv {
	t.Helper()
	a := newAPIEnv(t)
	if err := demo.SeedReception(context.Background(), a.db.Gorm, a.cals); err != nil {
		t.Fatal(err)
	}
	return a
}

func ticketJSON(t *testing.T, edit func(m map[string]any)) string {
	t.Helper()
	m := map[string]any{"ticketId": "TK-0001", "productId": "00301-100001-0--0", "customerId": "cust-1",
		"customerName": "张三科技", "title": "无法登录", "content": "登录时提示密码错误。\n已重置仍不行。",
		"createTime": "2026-11-23T09:50:00+08:00"}
	if edit != nil {
		edit(m)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type ticketView struct {
	TicketID           string  `json:"ticketId"`
	ProductID          string  `json:"productId"`
	CustomerID         string  `json:"customerId"`
	CustomerName       string  `json:"customerName"`
	Title              string  `json:"title"`
	Content            string  `json:"content"`
	CreateTime         string  `json:"createTime"`
	FirstResponseDueAt *string `json:"firstResponseDueAt"`
	Status             string  `json:"status"`
}

func TestAPITicketIsCreatedOnceWithItsFirstResponseDeadline(t *testing.T) {
	a := newTicketAPIEnv(t)
	body := ticketJSON(t, nil)
	r := a.authed(http.MethodPost, "/api/v1/tickets", body)
	if r.status != http.StatusCreated || r.header.Get("Location") != "/api/v1/tickets/TK-0001" {
		t.Fatalf("create: %d %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	var v ticketView
	r.decode(t, &v)
	// Opened 09:50 Shanghai, 15 minutes of reception time: due 10:05, in UTC.
	if v.FirstResponseDueAt == nil || *v.FirstResponseDueAt != "2026-11-23T02:05:00Z" || v.Status != "pending" ||
		v.CreateTime != "2026-11-23T01:50:00Z" || v.CustomerName != "张三科技" || v.Content != "登录时提示密码错误。\n已重置仍不行。" {
		t.Fatalf("view %+v", v)
	}
	if r := a.authed(http.MethodPost, "/api/v1/tickets", body); r.status != http.StatusOK {
		t.Fatalf("repeat: %d %s", r.status, r.body)
	}
	var got ticketView
	a.authed(http.MethodGet, "/api/v1/tickets/TK-0001", "").decode(t, &got)
	if got.FirstResponseDueAt == nil || *got.FirstResponseDueAt != *v.FirstResponseDueAt {
		t.Fatalf("GET due %v", got.FirstResponseDueAt)
	}
	got.FirstResponseDueAt, v.FirstResponseDueAt = nil, nil
	if got != v {
		t.Fatalf("GET %+v, POST %+v", got, v)
	}
	e := a.authed(http.MethodPost, "/api/v1/tickets", ticketJSON(t, func(m map[string]any) { m["title"] = "别的" })).
		apiError(t, http.StatusConflict)
	if !strings.Contains(e.Error.Message, "ticket id") {
		t.Fatalf("conflict message %q", e.Error.Message)
	}
	a.authed(http.MethodGet, "/api/v1/tickets/TK-404", "").apiError(t, http.StatusNotFound)
	if r := a.call(http.MethodGet, "/api/v1/tickets/TK-0001", nil); r.status != http.StatusUnauthorized {
		t.Fatalf("without a token: %d", r.status)
	}
	if r := a.call(http.MethodPost, "/api/v1/tickets", strings.NewReader(body)); r.status != http.StatusUnauthorized {
		t.Fatalf("POST without a token: %d", r.status)
	}
	if n := a.count("tickets", ""); n != 1 {
		t.Fatalf("%d tickets", n)
	}
	// Without createTime the clock starts now (Monday 10:00): due 10:15.
	r = a.authed(http.MethodPost, "/api/v1/tickets", ticketJSON(t, func(m map[string]any) { m["ticketId"] = "TK-0002"; delete(m, "createTime") }))
	r.decode(t, &v)
	if r.status != http.StatusCreated || v.FirstResponseDueAt == nil || *v.FirstResponseDueAt != "2026-11-23T02:15:00Z" {
		t.Fatalf("default createTime: %d %+v", r.status, v)
	}
}

func TestAPITicketBadInputIsRefusedAndStoresNothing(t *testing.T) {
	a := newTicketAPIEnv(t)
	ctx := context.Background()
	// Globex stops receiving tickets (是否接待 = 否).
	globexProduct := a.addProduct(a.globex.ID, "00302-200001-0--0")
	off := calendars.ReceptionInput{Receiving: false, TimeZone: "Asia/Shanghai"}
	if _, err := a.cals.SaveReception(ctx, models.SystemActor("test"), a.globex.ID, off); err != nil {
		t.Fatal(err)
	}
	now := a.clock.Now()
	cases := []struct {
		name   string
		body   string
		status int
		field  string
	}{
		{"not JSON", `{"ticketId":`, 400, "body"},
		{"unknown field", ticketJSON(t, func(m map[string]any) { m["priority"] = "high" }), 400, "priority"},
		{"number as id", ticketJSON(t, func(m map[string]any) { m["ticketId"] = 7 }), 400, "ticketId"},
		{"time not RFC 3339", ticketJSON(t, func(m map[string]any) { m["createTime"] = "2026-11-23 09:00" }), 400, "createTime"},
		{"future", ticketJSON(t, func(m map[string]any) { m["createTime"] = now.Add(time.Second).Format(time.RFC3339) }), 422, "createTime"},
		{"8 days old", ticketJSON(t, func(m map[string]any) { m["createTime"] = now.Add(-8 * 24 * time.Hour).Format(time.RFC3339) }), 422, "createTime"},
		{"no title", ticketJSON(t, func(m map[string]any) { delete(m, "title") }), 422, "title"},
		{"title too long", ticketJSON(t, func(m map[string]any) { m["title"] = strings.Repeat("长", 101) }), 422, "title"},
		{"bad customer id", ticketJSON(t, func(m map[string]any) { m["customerId"] = "客户 1" }), 422, "customerId"},
		{"unknown product", ticketJSON(t, func(m map[string]any) { m["productId"] = "00399-1-0--0" }), 422, "productId"},
		{"not receiving", ticketJSON(t, func(m map[string]any) { m["productId"] = globexProduct.ProductID }), 422, "productId"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := a.authed(http.MethodPost, "/api/v1/tickets", c.body).apiError(t, c.status)
			if e.Error.Fields[c.field] == "" {
				t.Fatalf("no message on %s: %+v", c.field, e.Error)
			}
		})
	}
	if n := a.count("tickets", ""); n != 0 {
		t.Fatalf("%d tickets stored", n)
	}
	// Chinese when the caller prefers it.
	e := a.authed(http.MethodPost, "/api/v1/tickets", cases[10].body, "Accept-Language", "zh-CN").apiError(t, 422)
	if !strings.Contains(e.Error.Fields["productId"], "接待") {
		t.Fatalf("zh message %q", e.Error.Fields["productId"])
	}
}

func TestOpenAPIDocumentsTheTicketAPI(t *testing.T) {
	a := newTicketAPIEnv(t)
	doc, _ := fetchOpenAPI(t, a)
	create := doc.Paths["/tickets"]["post"]
	example := create.RequestBody.Content["application/json"].Example
	var ex map[string]any
	if err := json.Unmarshal(example, &ex); err != nil {
		t.Fatal(err)
	}
	for name := range doc.Components.Schemas["TicketRequest"].Properties {
		if _, ok := ex[name]; !ok {
			t.Errorf("documented field %s missing from the example", name)
		}
	}
	r := a.authed(http.MethodPost, "/api/v1/tickets", string(example))
	if r.status != http.StatusCreated {
		t.Fatalf("the documented example was refused: %d\n%s", r.status, r.body)
	}
	var got any
	r.decode(t, &got)
	doc.conforms(t, "201", openAPISchema{Ref: "#/components/schemas/Ticket"}, got)
	var id string
	for _, p := range doc.Paths["/tickets/{ticketId}"]["get"].Parameters {
		if p.Name == "ticketId" {
			id = p.Example
		}
	}
	r = a.authed(http.MethodGet, "/api/v1/tickets/"+id, "")
	if r.status != http.StatusOK {
		t.Fatalf("GET the documented ticket: %d", r.status)
	}
	r.decode(t, &got)
	doc.conforms(t, "GET", openAPISchema{Ref: "#/components/schemas/Ticket"}, got)
	var states []string
	for _, s := range models.TicketStates {
		states = append(states, string(s))
	}
	if enum := doc.Components.Schemas["TicketStatus"].Enum; !slices.Equal(enum, states) {
		t.Fatalf("TicketStatus enum %v, models say %v", enum, states)
	}
}
