package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

var pdfBytes = append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("0"), 300)...)

// postInvoiceFile submits a multipart form with one file under "file".
func (c *client) postInvoiceFile(path string, fields url.Values, name string, data []byte) page {
	c.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("_csrf", c.csrf())
	for k, vs := range fields {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	if name != "" {
		fw, err := w.CreateFormFile("file", name)
		if err != nil {
			c.t.Fatal(err)
		}
		_, _ = fw.Write(data)
	}
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

// newInvoicePagesEnv has one pending request IR-0001 of cust-1 at Acme
// (297.00 CNY), made through the API; it returns the invoice's page path.
func newInvoicePagesEnv(t *testing.T) (*apiEnv, string) {
	t.Helper()
	a := newInvoiceAPIEnv(t)
	if r := a.authed(http.MethodPost, "/api/v1/invoice-requests", invoiceRequestJSON(t, nil)); r.status != http.StatusCreated {
		t.Fatalf("request: %d %s", r.status, r.body)
	}
	var id int64
	a.db.Gorm.Table("invoices").Where("request_id = ?", "IR-0001").Pluck("id", &id)
	return a, "/invoices/" + strconv.FormatInt(id, 10)
}

func TestInvoicePagesFinanceIssuesWithAFileAndOthersRead(t *testing.T) {
	a, detail := newInvoicePagesEnv(t)
	fin := a.loggedIn("finance@acme.test")

	// The to-do board counts the pending request and links the list.
	home := fin.get("/")
	card := testid(home, "todo-invoices_pending")
	if n, _ := card.Find(".value").Attr("data-count"); n != "1" {
		t.Fatalf("待开票 count %q\n%s", n, home.body)
	}
	if href, _ := card.Attr("href"); href != "/invoices?status=pending" {
		t.Fatalf("待开票 link %q", href)
	}
	if testid(home, "todo-invoices_needs_return").Length() != 1 || testid(home, "todo-invoices_overdue").Length() != 1 {
		t.Fatal("需退票 / overdue counters missing")
	}

	p := fin.get("/invoices")
	rows := testid(p, "invoice-row")
	if p.status != http.StatusOK || rows.Length() != 1 {
		t.Fatalf("list: %d, %d rows\n%s", p.status, rows.Length(), p.body)
	}
	if st, _ := rows.Attr("data-status"); st != "pending" {
		t.Fatalf("data-status %q", st)
	}
	if nr, _ := rows.Attr("data-needs-return"); nr != "false" {
		t.Fatalf("data-needs-return %q", nr)
	}
	if testid(p, "export-form").Length() != 1 || testid(p, "nav-invoices").Length() != 1 {
		t.Fatal("no export form or nav item for finance")
	}
	// Filters: another status shows nothing; a bad one is a 422, not a 500.
	if p := fin.get("/invoices?status=issued"); testid(p, "invoice-row").Length() != 0 {
		t.Fatal("status filter ignored")
	}
	if p := fin.get("/invoices?status=bogus"); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad status: %d", p.status)
	}
	if p := fin.get("/invoices?cursor=zz"); p.status < 400 || p.status >= 500 {
		t.Fatalf("bad cursor: %d", p.status)
	}

	p = fin.get(detail)
	for _, name := range []string{"issue", "reject"} {
		if testid(p, "invoice-action-"+name).Length() != 1 {
			t.Fatalf("no %s form on a pending invoice", name)
		}
	}
	if testid(p, "invoice-action-return").Length() != 0 {
		t.Fatal("return offered on a pending invoice")
	}

	// A wrong amount is refused with the form kept; nothing stored.
	p = fin.postInvoiceFile(detail+"/act/issue", url.Values{"number": {"24312000000012345678"}, "date": {"2026-11-23"},
		"amount": {"200.00"}}, "inv.pdf", pdfBytes)
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "24312000000012345678") {
		t.Fatalf("wrong amount: %d", p.status)
	}
	// Not a PDF: refused.
	p = fin.postInvoiceFile(detail+"/act/issue", url.Values{"number": {"24312000000012345678"}, "date": {"2026-11-23"},
		"amount": {"297.00"}}, "inv.pdf", []byte("hello"))
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("not a pdf: %d", p.status)
	}
	p = fin.postInvoiceFile(detail+"/act/issue", url.Values{"number": {"24312000000012345678"}, "date": {"2026-11-23"},
		"amount": {"297.00"}}, "inv.pdf", pdfBytes)
	if p.status != http.StatusSeeOther {
		t.Fatalf("issue: %d\n%s", p.status, p.body)
	}
	p = fin.get(detail)
	if st, _ := testid(p, "invoice-detail").Attr("data-status"); st != "issued" {
		t.Fatalf("after issue: %q", st)
	}
	if testid(p, "invoice-action-return").Length() != 1 || testid(p, "invoice-action-issue").Length() != 0 {
		t.Fatal("issued invoice offers the wrong actions")
	}
	href, _ := testid(p, "invoice-file").Attr("href")
	f := fin.get(href)
	if f.status != http.StatusOK || f.body != string(pdfBytes) || !strings.Contains(f.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("download: %d %q", f.status, f.header.Get("Content-Disposition"))
	}
	var v invoiceRequestView
	g := a.authed(http.MethodGet, "/api/v1/invoice-requests/IR-0001", "")
	g.decode(t, &v)
	if v.Status != "issued" || v.InvoiceNumber != "24312000000012345678" {
		t.Fatalf("API after issue: %s", g.body)
	}

	// Reject after issue: 409, the page again with a localized message.
	p = fin.post(detail+"/act/reject", url.Values{"reason": {"抬头填写错误"}})
	if p.status != http.StatusConflict || strings.Contains(p.body, "invoices.err") {
		t.Fatalf("reject after issue: %d", p.status)
	}
	// Return with a reason, then confirm with the red-letter number.
	if p := fin.post(detail+"/act/return", url.Values{"reason": {"客户要求更换抬头"}}); p.status != http.StatusSeeOther {
		t.Fatalf("return: %d\n%s", p.status, p.body)
	}
	p = fin.get(detail)
	if testid(p, "invoice-action-confirm-return").Length() != 1 || testid(p, "invoice-action-cancel-return").Length() != 1 {
		t.Fatalf("returning invoice lacks confirm/cancel forms")
	}
	if p := fin.post(detail+"/act/confirm-return", url.Values{"red_letter_no": {"HZ2026112300001"}}); p.status != http.StatusSeeOther {
		t.Fatalf("confirm: %d\n%s", p.status, p.body)
	}
	p = fin.get(detail)
	if st, _ := testid(p, "invoice-detail").Attr("data-status"); st != "returned" {
		t.Fatalf("after confirm: %q", st)
	}
	if p := fin.post(detail+"/act/reissue", nil); p.status != http.StatusSeeOther || p.header.Get("Location") == detail {
		t.Fatalf("reissue: %d %q", p.status, p.header.Get("Location"))
	}
	if n := a.count("invoices", "status = 'pending' AND reissue_of IS NOT NULL"); n != 1 {
		t.Fatalf("%d re-issued requests", n)
	}
	if p := fin.post(detail+"/act/bogus", nil); p.status != http.StatusNotFound {
		t.Fatalf("unknown action: %d", p.status)
	}

	// Staff (operations role) reads without actions and cannot act.
	staff := a.loggedIn("staff@acme.test")
	p = staff.get(detail)
	if p.status != http.StatusOK || testid(p, "invoice-actions").Length() != 0 {
		t.Fatalf("staff detail: %d", p.status)
	}
	if p := staff.post(detail+"/act/return", url.Values{"reason": {"客户要求更换抬头"}}); p.status != http.StatusForbidden {
		t.Fatalf("staff acts: %d", p.status)
	}
}

func TestInvoicePagesTenancy(t *testing.T) {
	a, detail := newInvoicePagesEnv(t)
	other := a.loggedIn("owner@globex.test")
	if p := other.get("/invoices"); p.status != http.StatusOK || testid(p, "invoice-row").Length() != 0 {
		t.Fatalf("globex list: %d", p.status)
	}
	if p := other.get(detail); p.status != http.StatusNotFound {
		t.Fatalf("globex detail: %d", p.status)
	}
	if p := other.get(detail + "/file"); p.status != http.StatusNotFound {
		t.Fatalf("globex file: %d", p.status)
	}
	if p := other.post(detail+"/act/reject", url.Values{"reason": {"抬头填写错误"}}); p.status != http.StatusNotFound {
		t.Fatalf("globex acts: %d", p.status)
	}
	if p := other.get("/invoices?tab=platform"); p.status != http.StatusOK {
		t.Fatalf("platform tab: %d", p.status)
	}
	// CSRF: a form without the token is refused.
	fin := a.loggedIn("finance@acme.test")
	if p := fin.postRaw(detail+"/act/reject", url.Values{"reason": {"抬头填写错误"}}); p.status != http.StatusForbidden {
		t.Fatalf("no csrf: %d", p.status)
	}
	// A buyer login is not staff.
	if n := a.count("invoices", "status = 'pending'"); n != 1 {
		t.Fatalf("%d pending", n)
	}
}

// The buyer asks for an invoice over its own lines, sees only its own
// requests, and revokes while pending.
func TestBuyerInvoicePagesRequestAndRevoke(t *testing.T) {
	a := newAPIEnv(t)
	for _, o := range []struct{ order, cust string }{{"CS-B1", "hw-cust-1001"}, {"CS-B2", "cust-other"}} {
		if r := a.authed(http.MethodPost, "/api/v1/orders", orderJSON(t, func(m map[string]any) {
			m["orderId"] = o.order
			m["buyer"].(map[string]any)["customerId"] = o.cust
			line0(m)["orderLineId"] = o.order + "-1"
		})); r.status != http.StatusCreated {
			t.Fatalf("order: %d %s", r.status, r.body)
		}
		a.addInstance(o.order, "inst-"+o.order, "normal")
	}
	b := a.loggedIn("buyer@demo.test")
	p := b.get("/buyer/invoices")
	opts := testid(p, "invoice-line-option")
	if p.status != http.StatusOK || opts.Length() != 1 {
		t.Fatalf("buyer page: %d, %d lines\n%s", p.status, opts.Length(), p.body)
	}
	if l, _ := opts.Attr("data-line"); l != "CS-B1-1" {
		t.Fatalf("offered line %q", l)
	}
	// Another customer's line is refused, named, nothing stored.
	form := url.Values{"line": {"CS-B2-1"}, "kind": {"normal"}, "title": {"杭州云帆科技有限公司"},
		"taxId": {"91350100M000100Y43"}, "email": {"it@yunfan.example"}}
	if p := b.post("/buyer/invoices", form); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "CS-B2-1") {
		t.Fatalf("other's line: %d", p.status)
	}
	form.Set("line", "CS-B1-1")
	if p := b.post("/buyer/invoices", form); p.status != http.StatusSeeOther {
		t.Fatalf("request: %d\n%s", p.status, p.body)
	}
	p = b.get("/buyer/invoices")
	rows := testid(p, "invoice-row")
	if st, _ := rows.Attr("data-status"); rows.Length() != 1 || st != "pending" || testid(p, "invoice-line-option").Length() != 0 {
		t.Fatalf("after request: %d rows %q", rows.Length(), st)
	}
	action, _ := testid(p, "invoice-action-revoke").Attr("action")
	if p := b.post(action, nil); p.status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", p.status)
	}
	if p := b.post(action, nil); p.status != http.StatusConflict {
		t.Fatalf("revoke twice: %d", p.status)
	}
	p = b.get("/buyer/invoices")
	if st, _ := testid(p, "invoice-row").Attr("data-status"); st != "revoked" {
		t.Fatalf("after revoke %q", st)
	}
	// Staff pages are not the buyer's.
	if p := b.get("/invoices"); p.status != http.StatusForbidden {
		t.Fatalf("buyer on /invoices: %d", p.status)
	}
}

// The four-eyes setting (owner) makes a return wait for a second person;
// the requester cannot approve it; the reconciliation page renders.
func TestInvoiceFourEyesSettingAndReconciliation(t *testing.T) {
	a, detail := newInvoicePagesEnv(t)
	owner := a.loggedIn("owner@acme.test")
	fin := a.loggedIn("finance@acme.test")
	if p := fin.post("/settings/invoices", url.Values{"four_eyes": {"1"}}); p.status != http.StatusForbidden {
		t.Fatalf("finance changes settings: %d", p.status)
	}
	if p := owner.post("/settings/invoices", url.Values{"four_eyes": {"1"}}); p.status != http.StatusSeeOther {
		t.Fatalf("owner saves: %d\n%s", p.status, p.body)
	}
	if p := owner.get("/settings/invoices"); testid(p, "invoice-four-eyes").Is(":checked") != true {
		t.Fatal("four-eyes not shown as on")
	}
	if p := fin.postInvoiceFile(detail+"/act/issue", url.Values{"number": {"24312000000012345678"}, "date": {"2026-11-23"},
		"amount": {"297.00"}}, "inv.pdf", pdfBytes); p.status != http.StatusSeeOther {
		t.Fatalf("issue: %d", p.status)
	}
	if p := fin.post(detail+"/act/return", url.Values{"reason": {"客户要求更换抬头"}}); p.status != http.StatusSeeOther {
		t.Fatalf("return: %d", p.status)
	}
	p := fin.get(detail)
	if testid(p, "invoice-action-confirm-return").Length() != 0 {
		t.Fatal("confirm offered before the approval")
	}
	if p := fin.post(detail+"/act/approve-return", nil); p.status != http.StatusConflict && p.status != http.StatusForbidden {
		t.Fatalf("self-approval: %d", p.status)
	}
	if p := owner.get(detail); testid(p, "invoice-action-approve-return").Length() != 1 {
		t.Fatal("no approve form for the owner")
	}
	if p := owner.post(detail+"/act/approve-return", nil); p.status != http.StatusSeeOther {
		t.Fatalf("owner approves: %d\n%s", p.status, p.body)
	}
	if p := fin.get(detail); testid(p, "invoice-action-confirm-return").Length() != 1 {
		t.Fatal("confirm not offered after the approval")
	}

	p = fin.get("/invoices/reconcile")
	if p.status != http.StatusOK || testid(p, "recon-refunded_issued").Length() != 1 || testid(p, "recon-months").Length() != 1 {
		t.Fatalf("reconcile: %d", p.status)
	}
	if p := a.loggedIn("owner@globex.test").get("/invoices/reconcile"); strings.Contains(p.body, "CS-0001-1") {
		t.Fatal("globex sees Acme's lines in the reconciliation")
	}
}

// The platform tab: operations mark the month's statement paid, finance
// selects it, sees the quote and asks for the platform-fee invoice;
// operations reject it with a reason. Globex sees none of it.
func TestPlatformFeeRequestFromStatements(t *testing.T) {
	a, _ := newInvoicePagesEnv(t)
	ctx := context.Background()
	a.clock.Set(time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC))
	ops := actorOf(a.env, "ops@demo.test")
	if err := a.app.Invoices.SetCommission(ctx, ops, a.acme.ID, nil, 500); err != nil {
		t.Fatal(err)
	}
	sts, err := a.app.Invoices.GenerateStatements(ctx, ops, a.acme.ID, "2026-11")
	if err != nil || len(sts) != 1 {
		t.Fatalf("statements: %v %d", err, len(sts))
	}
	id := strconv.FormatInt(sts[0].ID, 10)
	opsc := a.loggedIn("ops@demo.test")
	if p := opsc.post("/invoices/statements/"+id+"/paid", nil); p.status != http.StatusSeeOther {
		t.Fatalf("mark paid: %d\n%s", p.status, p.body)
	}
	fin := a.loggedIn("finance@acme.test")
	p := fin.get("/invoices?tab=platform&statement=" + id + "&quote=1")
	q := testid(p, "platform-fee-quote")
	if amt, _ := q.Attr("data-amount"); p.status != http.StatusOK || amt != "14.85" {
		t.Fatalf("quote: %d %q\n%s", p.status, amt, p.body)
	}
	if p := fin.get("/invoices?tab=platform&statement=x&quote=1"); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad id: %d", p.status)
	}
	form := url.Values{"statement": {id}, "kind": {"special"}, "title": {"Acme 科技有限公司"}, "taxId": {"91350100M000100Y43"},
		"email": {"finance@acme.test"}, "address": {"杭州市西湖区文三路 1 号"}, "phone": {"0571-88880000"},
		"bank": {"招商银行杭州分行"}, "account": {"571900000000001"}}
	p = fin.post("/invoices/platform", form)
	if p.status != http.StatusSeeOther {
		t.Fatalf("request: %d\n%s", p.status, p.body)
	}
	detail := p.header.Get("Location")
	if p := fin.get(detail); testid(p, "platform-fee-detail").Length() != 1 {
		t.Fatalf("detail: %d", p.status)
	}
	if p := a.loggedIn("owner@globex.test").get(detail); p.status != http.StatusNotFound {
		t.Fatalf("globex reads Acme's request: %d", p.status)
	}
	p = opsc.get(detail)
	if testid(p, "platform-fee-action-reject").Length() != 1 || testid(p, "platform-fee-action-issue").Length() != 1 {
		t.Fatal("operations lack the actions")
	}
	if p := fin.post(detail+"/act/reject", url.Values{"reason": {"税号与抬头不符"}}); p.status != http.StatusForbidden {
		t.Fatalf("finance decides: %d", p.status)
	}
	if p := opsc.post(detail+"/act/reject", url.Values{"reason": {"税号与抬头不符"}}); p.status != http.StatusSeeOther {
		t.Fatalf("reject: %d\n%s", p.status, p.body)
	}
	if st, _ := testid(opsc.get(detail), "platform-fee-detail").Attr("data-status"); st != "rejected" {
		t.Fatalf("after reject %q", st)
	}
	if p := a.loggedIn("owner@globex.test").get("/invoices?tab=platform"); testid(p, "statement-row").Length() != 0 {
		t.Fatal("globex sees Acme's statements")
	}
}

// Files: the buyer downloads its own issued invoice, never another
// customer's; finance exports the list; a return can be cancelled.
func TestInvoiceFilesExportAndCancelReturn(t *testing.T) {
	a, detail := newInvoicePagesEnv(t) // IR-0001 is cust-1's, not the demo buyer's
	fin := a.loggedIn("finance@acme.test")
	if p := fin.postInvoiceFile(detail+"/act/issue", url.Values{"number": {"24312000000012345678"}, "date": {"2026-11-23"},
		"amount": {"297.00"}}, "inv.pdf", pdfBytes); p.status != http.StatusSeeOther {
		t.Fatalf("issue: %d", p.status)
	}
	id := strings.TrimPrefix(detail, "/invoices/")
	buyer := a.loggedIn("buyer@demo.test")
	if p := buyer.get("/buyer/invoices/" + id + "/file"); p.status != http.StatusNotFound {
		t.Fatalf("buyer reads another customer's file: %d", p.status)
	}
	if p := buyer.get(detail + "/file"); p.status != http.StatusForbidden {
		t.Fatalf("buyer on the staff download: %d", p.status)
	}
	if p := a.loggedIn("staff@acme.test").get(detail + "/file"); p.status != http.StatusOK {
		t.Fatalf("merchant reader download: %d", p.status)
	}
	if p := fin.post("/exports", url.Values{"kind": {"invoices"}, "query": {"status=issued"}, "format": {"xlsx"}}); p.status != http.StatusSeeOther {
		t.Fatalf("export: %d\n%s", p.status, p.body)
	}
	if p := fin.post(detail+"/act/return", url.Values{"reason": {"客户要求更换抬头"}}); p.status != http.StatusSeeOther {
		t.Fatalf("return: %d", p.status)
	}
	if p := fin.post(detail+"/act/cancel-return", nil); p.status != http.StatusSeeOther {
		t.Fatalf("cancel return: %d", p.status)
	}
	if st, _ := testid(fin.get(detail), "invoice-detail").Attr("data-status"); st != "issued" {
		t.Fatalf("after cancel %q", st)
	}
	if p := fin.post(detail+"/act/cancel-return", nil); p.status != http.StatusConflict {
		t.Fatalf("cancel twice: %d", p.status)
	}
}
