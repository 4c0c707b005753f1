package invoices

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/dbtest"
)

// The buyer's lines come a page at a time; ticks sent along survive paging
// (those of other pages carried), others' and invoiced lines never count,
// and malformed or too many ticks are refused with the page still read.
func TestBuyerPagePagesAndCarriesTicks(t *testing.T) {
	e := newTEnv(t)
	ctx := context.Background()
	for i := 1; i <= BuyerPageSize+3; i++ {
		e.seedLine(line{id: fmt.Sprintf("BL-%02d", i), amount: 1000})
	}
	e.seedLine(line{id: "OTHER-1", customer: "c-2", amount: 1000})
	e.seedLine(line{id: "REFUNDED-1", amount: 1000, status: models.LineUnsubscribed})
	e.mustRequest("IR-TAKEN", "BL-01")
	buyer := e.actor("c-1@buyer.test")

	p1, err := e.svc.BuyerPage(ctx, buyer, "", nil)
	if err != nil || len(p1.Lines.Rows) != BuyerPageSize || p1.Lines.Next == "" || len(p1.Requests) != 1 {
		t.Fatalf("first page: %v, %d lines, next %q", err, len(p1.Lines.Rows), p1.Lines.Next)
	}
	if p1.Lines.Rows[0].OrderLineID != "BL-23" || p1.Lines.Rows[0].OrderCode != "O-BL-23" {
		t.Fatalf("newest first: %+v", p1.Lines.Rows[0])
	}
	ticks := []string{"BL-23", "BL-22", "OTHER-1", "REFUNDED-1", "BL-01", "BL-22"}
	p2, err := e.svc.BuyerPage(ctx, buyer, p1.Lines.Next, ticks)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, l := range p2.Lines.Rows {
		ids = append(ids, l.OrderLineID)
	}
	if fmt.Sprint(ids) != "[BL-03 BL-02]" || p2.Lines.Next != "" {
		t.Fatalf("second page %v next %q (BL-01 is on a request)", ids, p2.Lines.Next)
	}
	if len(p2.Ticked) != 2 || !p2.Ticked["BL-23"] || !p2.Ticked["BL-22"] || len(p2.Carried) != 2 ||
		p2.Carried[0].OrderLineID != "BL-23" || p2.Carried[0].Amount != 1000 {
		t.Fatalf("ticks %v carried %+v", p2.Ticked, p2.Carried)
	}
	back, err := e.svc.BuyerPage(ctx, buyer, "", []string{"BL-23", "BL-03"})
	if err != nil || !back.Ticked["BL-23"] || len(back.Carried) != 1 || back.Carried[0].OrderLineID != "BL-03" {
		t.Fatalf("back on the first page: %v %+v", err, back)
	}

	if _, err := e.svc.BuyerPage(ctx, buyer, "garbage", nil); !errors.Is(err, models.ErrBadCursor) {
		t.Fatalf("bad cursor: %v", err)
	}
	bad, err := e.svc.BuyerPage(ctx, buyer, "", []string{"BL-23", "bad id!"})
	if dbtest.FieldErr(err, "orderLineIds") != "err.id_format" || bad == nil || len(bad.Ticked) != 0 || len(bad.Lines.Rows) == 0 {
		t.Fatalf("malformed tick: %v %+v", err, bad)
	}
	many := make([]string, models.InvoiceMaxLines+1)
	for i := range many {
		many[i] = fmt.Sprintf("X-%d", i)
	}
	if _, err := e.svc.BuyerPage(ctx, buyer, "", many); dbtest.FieldErr(err, "orderLineIds") != "invoices.err.too_many_lines" {
		t.Fatalf("too many ticks: %v", err)
	}
	if _, err := e.svc.BuyerPage(ctx, e.finance(), "", nil); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("finance on the buyer page: %v", err)
	}
}

// A buyer's form token makes the same submit twice one request; a token not
// of the form's making is refused; a different token follows the rules.
func TestBuyerRequestTokenIsIdempotent(t *testing.T) {
	e := newTEnv(t)
	ctx := context.Background()
	e.seedLine(line{id: "BL-1", amount: 1000})
	buyer := e.actor("c-1@buyer.test")
	tok := NewRequestToken()
	in := RequestInput{RequestID: tok, OrderLineIDs: []string{"BL-1"}, InvoiceParty: party()}
	v1, created, err := e.svc.Request(ctx, buyer, in)
	if err != nil || !created {
		t.Fatalf("first: %v %v", created, err)
	}
	v2, created, err := e.svc.Request(ctx, buyer, in)
	if err != nil || created || v2.ID != v1.ID {
		t.Fatalf("again: %+v %v %v", v2, created, err)
	}
	in.RequestID = NewRequestToken()
	if _, _, err := e.svc.Request(ctx, buyer, in); dbtest.FieldErr(err, "orderLineIds[BL-1]") != "invoices.line.on_invoice" {
		t.Fatalf("a new token over the same line: %v", err)
	}
	in.RequestID = "IR-0001"
	if _, _, err := e.svc.Request(ctx, buyer, in); dbtest.FieldErr(err, "") != "invoices.err.token" {
		t.Fatalf("a marketplace-shaped id from a buyer: %v", err)
	}
	if n := e.count("invoices", "1 = 1"); n != 1 {
		t.Fatalf("%d invoices", n)
	}
}

// 退票并重开 under one token twice answers the first request; another token
// finds nothing left; a malformed token is refused.
func TestReissueTokenIsIdempotent(t *testing.T) {
	e := newTEnv(t)
	ctx := context.Background()
	e.seedLine(line{id: "RL-1", amount: 1000})
	v := e.mustRequest("IR-R", "RL-1")
	e.issue(v.ID, 1000)
	if _, err := e.svc.Return(ctx, e.finance(), v.ID, "客户要求更换抬头"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ConfirmReturn(ctx, e.finance(), v.ID, "HZ0001"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.Reissue(ctx, e.finance(), v.ID, "bad token!"); dbtest.FieldErr(err, "") != "invoices.err.token" {
		t.Fatalf("malformed token: %v", err)
	}
	tok := NewRequestToken()
	r1, created, err := e.svc.Reissue(ctx, e.finance(), v.ID, tok)
	if err != nil || !created {
		t.Fatalf("reissue: %v %v", created, err)
	}
	r2, created, err := e.svc.Reissue(ctx, e.finance(), v.ID, tok)
	if err != nil || created || r2.ID != r1.ID {
		t.Fatalf("same token again: %+v %v %v", r2, created, err)
	}
	if _, _, err := e.svc.Reissue(ctx, e.finance(), v.ID, NewRequestToken()); !dbtest.IsConflict(err, "invoices.err.nothing_left") {
		t.Fatalf("another token: %v", err)
	}
	if n := e.count("invoices", "reissue_of = ?", v.ID); n != 1 {
		t.Fatalf("%d re-issued requests", n)
	}
}

// Operations filter both tabs by merchant and read each row's merchant
// name; a merchant user's slug is ignored; an unknown slug is a field error.
func TestListAndPlatformTabMerchantFilter(t *testing.T) {
	e := newTEnv(t)
	ctx, ops := context.Background(), e.actor("ops@demo.test")
	e.exec(`UPDATE merchants SET name = upper(slug) || ' 云服务'`)
	e.seedLine(line{id: "A-1", amount: 1000})
	e.seedLine(line{id: "G-1", merchant: "globex", amount: 2000, at: t0.AddDate(0, -1, -5)})
	e.seedLine(line{id: "A-2", amount: 3000, at: t0.AddDate(0, -1, -5)})
	e.mustRequest("IR-A", "A-1")
	if _, _, err := e.svc.Request(ctx, market, RequestInput{RequestID: "IR-G", CustomerID: "c-1", OrderLineIDs: []string{"G-1"},
		InvoiceParty: party()}); err != nil {
		t.Fatal(err)
	}
	for _, slug := range []string{"acme", "globex"} {
		if _, err := e.svc.GenerateFor(ctx, ops, slug, "2026-10"); err != nil {
			t.Fatal(err)
		}
	}
	all, err := e.svc.List(ctx, ops, Filter{}, "")
	if err != nil || len(all.Rows) != 2 || len(all.Merchants) != 2 {
		t.Fatalf("ops list: %v %d rows %d choices", err, len(all.Rows), len(all.Merchants))
	}
	names := map[string]string{}
	for _, r := range all.Rows {
		names[r.RequestID] = r.MerchantName
	}
	if names["IR-A"] != "ACME 云服务" || names["IR-G"] != "GLOBEX 云服务" {
		t.Fatalf("merchant names %v (names, not slugs)", names)
	}
	g, err := e.svc.List(ctx, ops, Filter{Merchant: "globex"}, "")
	if err != nil || len(g.Rows) != 1 || g.Rows[0].RequestID != "IR-G" {
		t.Fatalf("globex only: %v %+v", err, g.Rows)
	}
	if _, err := e.svc.List(ctx, ops, Filter{Merchant: "nope"}, ""); dbtest.FieldErr(err, "merchant") != "err.merchant_unknown" {
		t.Fatalf("unknown merchant: %v", err)
	}
	fin, err := e.svc.List(ctx, e.finance(), Filter{Merchant: "globex"}, "")
	if err != nil || len(fin.Rows) != 1 || fin.Rows[0].RequestID != "IR-A" || fin.Merchants != nil || fin.Rows[0].MerchantName != "" {
		t.Fatalf("finance with a globex slug: %v %+v", err, fin)
	}

	tab, err := e.svc.PlatformTab(ctx, ops, "globex", "")
	if err != nil || len(tab.Statements.Rows) != 1 || tab.Statements.Rows[0].MerchantID != e.ids["globex"] ||
		tab.Names[e.ids["globex"]] == "" || tab.Requests == nil {
		t.Fatalf("ops platform tab: %v %+v", err, tab)
	}
	if tab, err := e.svc.PlatformTab(ctx, ops, "", ""); err != nil || len(tab.Statements.Rows) != 2 {
		t.Fatalf("every merchant: %v %d", err, len(tab.Statements.Rows))
	}
	if _, err := e.svc.PlatformTab(ctx, ops, "nope", ""); dbtest.FieldErr(err, "merchant") != "err.merchant_unknown" {
		t.Fatalf("unknown merchant: %v", err)
	}
	mine, err := e.svc.PlatformTab(ctx, e.actor("staff@acme.test"), "globex", "")
	if err != nil || len(mine.Statements.Rows) != 1 || mine.Statements.Rows[0].MerchantID != e.ids["acme"] ||
		mine.Names != nil || mine.Requests != nil {
		t.Fatalf("a merchant reader: %v %+v", err, mine)
	}
}
