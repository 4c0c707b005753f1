package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
)

// paidLines gives customer n paid, provisioned lines at Acme (PL-<customer>-01
// first, the newest last), written as the provisioning core leaves them.
func (a *apiEnv) paidLines(customer string, n int, amount int64) {
	a.t.Helper()
	now := a.clock.Now().Add(-time.Hour)
	if _, err := a.db.SQL.Exec(`INSERT OR IGNORE INTO buyers (customer_id, created_at, updated_at) VALUES (?, ?, ?)`,
		customer, now, now); err != nil {
		a.t.Fatal(err)
	}
	var buyer int64
	_ = a.db.SQL.QueryRow(`SELECT id FROM buyers WHERE customer_id = ?`, customer).Scan(&buyer)
	for i := 1; i <= n; i++ {
		id := fmt.Sprintf("PL-%s-%02d", customer, i)
		res, err := a.db.SQL.Exec(`INSERT INTO orders (merchant_id, order_id, order_type, buyer_id, status, amount, currency,
			created_at, received_at, updated_at, request_hash) VALUES (?, ?, 'NEW', ?, 'completed', ?, 'CNY', ?, ?, ?, 'h')`,
			a.acme.ID, id, buyer, amount, now, now, now)
		if err != nil {
			a.t.Fatal(err)
		}
		o, _ := res.LastInsertId()
		if _, err := a.db.SQL.Exec(`INSERT INTO order_lines (order_ref, merchant_id, order_line_id, product_ref, charging_mode,
			amount, currency, status, updated_at, order_code, order_type, ordered_at, buyer_ref)
			VALUES (?, ?, ?, ?, 'PERIOD', ?, 'CNY', 'completed', ?, ?, 'NEW', ?, ?)`,
			o, a.acme.ID, id+"-1", a.product.ID, amount, now, id, now, buyer); err != nil {
			a.t.Fatal(err)
		}
	}
}

// Operations filter both tabs of 发票管理 by merchant and see each row's
// merchant by name; merchant users get neither the filter nor the column.
func TestInvoicesMerchantFilterForOperations(t *testing.T) {
	a, _ := newInvoicePagesEnv(t)
	ctx := context.Background()
	a.clock.Set(time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC))
	ops := actorOf(a.env, "ops@demo.test")
	if _, err := a.app.Invoices.GenerateStatements(ctx, ops, a.acme.ID, "2026-11"); err != nil {
		t.Fatal(err)
	}
	opsc := a.loggedIn("ops@demo.test")
	p := opsc.get("/invoices")
	if p.status != http.StatusOK || p.doc.Find(`select[name="merchant"] option`).Length() != 3 {
		t.Fatalf("ops list: %d, no merchant filter\n%s", p.status, p.body)
	}
	if got := strings.TrimSpace(testid(p, "invoice-merchant").Text()); got != a.acme.Name || got == a.acme.Slug {
		t.Fatalf("商家 column %q, want %q", got, a.acme.Name)
	}
	if p := opsc.get("/invoices?merchant=globex"); testid(p, "invoice-row").Length() != 0 {
		t.Fatal("the globex filter shows Acme's invoice")
	}
	if p := opsc.get("/invoices?merchant=acme"); testid(p, "invoice-row").Length() != 1 ||
		p.doc.Find(`select[name="merchant"] option[selected]`).AttrOr("value", "") != "acme" {
		t.Fatal("the acme filter lost the invoice or its choice")
	}
	if p := opsc.get("/invoices?merchant=nope"); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("unknown merchant: %d", p.status)
	}

	p = opsc.get("/invoices?tab=platform")
	if testid(p, "statement-row").Length() != 1 || strings.TrimSpace(testid(p, "statement-merchant").Text()) != a.acme.Name ||
		testid(p, "statement-filter").Length() != 1 {
		t.Fatalf("ops platform tab\n%s", p.body)
	}
	if p := opsc.get("/invoices?tab=platform&merchant=globex"); testid(p, "statement-row").Length() != 0 {
		t.Fatal("the globex filter shows Acme's statement")
	}
	if p := opsc.get("/invoices?tab=platform&merchant=nope"); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("unknown merchant on the platform tab: %d", p.status)
	}

	fin := a.loggedIn("finance@acme.test")
	p = fin.get("/invoices?merchant=globex")
	if testid(p, "invoice-row").Length() != 1 || testid(p, "invoice-merchant").Length() != 0 ||
		p.doc.Find(`select[name="merchant"]`).Length() != 0 {
		t.Fatal("finance sees the merchant filter or column, or a slug narrowed its own list")
	}
	if p := fin.get("/invoices?tab=platform"); testid(p, "statement-merchant").Length() != 0 || testid(p, "statement-filter").Length() != 0 {
		t.Fatal("finance sees the 商家 column on statements")
	}
}

// /admin/statements: operations generate a merchant's month and see it,
// set commission rates (validated, audited); merchant users are refused.
func TestAdminStatementsPage(t *testing.T) {
	a, _ := newInvoicePagesEnv(t)
	a.clock.Set(time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC))
	for _, who := range []string{"finance@acme.test", "owner@acme.test"} {
		c := a.loggedIn(who)
		p := c.get("/admin/statements")
		if p.status != http.StatusForbidden || !strings.Contains(p.body, "您没有执行此操作的权限") {
			t.Fatalf("%s reads the page: %d", who, p.status)
		}
		if p := c.post("/admin/statements", url.Values{"merchant": {"acme"}, "month": {"2026-11"}}); p.status != http.StatusForbidden {
			t.Fatalf("%s generates: %d", who, p.status)
		}
		if p := c.post("/admin/statements/commission", url.Values{"merchant": {"acme"}, "rate": {"1"}}); p.status != http.StatusForbidden {
			t.Fatalf("%s sets a rate: %d", who, p.status)
		}
	}
	en := a.loggedIn("finance@acme.test")
	en.lang = "en"
	if p := en.get("/admin/statements"); p.status != http.StatusForbidden || strings.Contains(p.body, "error.403") {
		t.Fatalf("english 403: %d", p.status)
	}
	if n := a.count("settlement_statements", "1 = 1") + a.count("commission_rates", "1 = 1"); n != 0 {
		t.Fatalf("a refused request wrote %d rows", n)
	}

	ops := a.loggedIn("ops@demo.test")
	p := ops.get("/admin/statements")
	if p.status != http.StatusOK || testid(p, "nav-admin-statements").Length() != 1 ||
		testid(p, "statement-generate-month").AttrOr("value", "") != "2026-11" || testid(p, "commission-row").Length() != 2 {
		t.Fatalf("ops page: %d\n%s", p.status, p.body)
	}
	// Bad rates: 422 with the field's message and what was typed; nothing stored.
	for _, rate := range []string{"abc", "101", "5.555", ""} {
		p := ops.post("/admin/statements/commission", url.Values{"merchant": {"acme"}, "rate": {rate}})
		row := p.doc.Find(`[data-testid="commission-row"][data-merchant="acme"]`)
		if p.status != http.StatusUnprocessableEntity || row.Find(".field-error").Length() != 1 ||
			row.Find(`input[name="rate"]`).AttrOr("value", "-") != rate {
			t.Fatalf("rate %q: %d\n%s", rate, p.status, p.body)
		}
	}
	if p := ops.post("/admin/statements/commission", url.Values{"merchant": {"nope"}, "rate": {"5"}}); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("unknown merchant: %d", p.status)
	}
	if n := a.count("commission_rates", "1 = 1"); n != 0 {
		t.Fatalf("%d rates stored by refused forms", n)
	}
	if p := ops.post("/admin/statements/commission", url.Values{"merchant": {"acme"}, "rate": {"5"}}); p.status != http.StatusSeeOther {
		t.Fatalf("set 5%%: %d\n%s", p.status, p.body)
	}
	p = ops.get("/admin/statements")
	row := p.doc.Find(`[data-testid="commission-row"][data-merchant="acme"]`)
	if bp, _ := row.Attr("data-rate-bp"); bp != "500" || testid(p, "flash").Length() != 1 {
		t.Fatalf("acme's rate %q after the save", bp)
	}
	if n := a.count("audit_log", "action = ? AND detail LIKE ?", models.AuditCommissionChanged, `%"new_bp":500%`); n != 1 {
		t.Fatalf("%d audit lines for the change", n)
	}

	// Generation: bad input 422, an open month 422, then the happy path.
	for _, f := range []url.Values{{"merchant": {"acme"}, "month": {"2026-13"}}, {"merchant": {""}, "month": {"2026-11"}},
		{"merchant": {"acme"}, "month": {"2026-12"}}} {
		if p := ops.post("/admin/statements", f); p.status != http.StatusUnprocessableEntity {
			t.Fatalf("generate %v: %d", f, p.status)
		}
	}
	p = ops.post("/admin/statements", url.Values{"merchant": {"acme"}, "month": {"2026-11"}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/admin/statements?merchant=acme&month=2026-11" {
		t.Fatalf("generate: %d %q\n%s", p.status, p.header.Get("Location"), p.body)
	}
	p = ops.get(p.header.Get("Location"))
	res := testid(p, "statement-result")
	if fee, _ := res.Attr("data-fee"); res.Length() != 1 || fee != "14.85" || testid(p, "flash").Length() != 1 {
		t.Fatalf("result: %d rows, fee %q\n%s", res.Length(), fee, p.body)
	}
	// Paid months are final: generating again is a 409 on the page.
	id, _ := res.Attr("data-id")
	if p := ops.post("/invoices/statements/"+id+"/paid", nil); p.status != http.StatusSeeOther {
		t.Fatalf("mark paid: %d", p.status)
	}
	if p := ops.post("/admin/statements", url.Values{"merchant": {"acme"}, "month": {"2026-11"}}); p.status != http.StatusConflict ||
		testid(p, "statement-generate-form").Length() != 1 {
		t.Fatalf("generate a paid month: %d", p.status)
	}
}

// 退票并重开 submitted twice with the form's token makes one request and
// lands both times on it; a form rendered anew is refused (nothing left).
func TestReissueDoubleSubmitIsOneRequest(t *testing.T) {
	a, detail := newInvoicePagesEnv(t)
	fin := a.loggedIn("finance@acme.test")
	if p := fin.postInvoiceFile(detail+"/act/issue", url.Values{"number": {"24312000000012345678"}, "date": {"2026-11-23"},
		"amount": {"297.00"}}, "inv.pdf", pdfBytes); p.status != http.StatusSeeOther {
		t.Fatalf("issue: %d", p.status)
	}
	if p := fin.post(detail+"/act/return", url.Values{"reason": {"客户要求更换抬头"}}); p.status != http.StatusSeeOther {
		t.Fatalf("return: %d", p.status)
	}
	if p := fin.post(detail+"/act/confirm-return", url.Values{"red_letter_no": {"HZ2026112300001"}}); p.status != http.StatusSeeOther {
		t.Fatalf("confirm: %d", p.status)
	}
	form := testid(fin.get(detail), "invoice-action-reissue")
	tok := form.Find(`input[name="request_id"]`).AttrOr("value", "")
	if tok == "" {
		t.Fatal("the re-issue form carries no token")
	}
	first := fin.post(detail+"/act/reissue", url.Values{"request_id": {tok}})
	second := fin.post(detail+"/act/reissue", url.Values{"request_id": {tok}})
	if first.status != http.StatusSeeOther || second.status != http.StatusSeeOther ||
		first.header.Get("Location") != second.header.Get("Location") || first.header.Get("Location") == detail {
		t.Fatalf("double submit: %d %q, %d %q", first.status, first.header.Get("Location"), second.status, second.header.Get("Location"))
	}
	if n := a.count("invoices", "reissue_of IS NOT NULL"); n != 1 {
		t.Fatalf("%d re-issued requests", n)
	}
	fresh := testid(fin.get(detail), "invoice-action-reissue").Find(`input[name="request_id"]`).AttrOr("value", "")
	if fresh == tok {
		t.Fatal("a new render reuses the token")
	}
	if p := fin.post(detail+"/act/reissue", url.Values{"request_id": {fresh}}); p.status != http.StatusConflict {
		t.Fatalf("a second, different re-issue: %d", p.status)
	}
	if p := fin.post(detail+"/act/reissue", url.Values{"request_id": {"bad token!"}}); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("malformed token: %d", p.status)
	}
}

// The buyer's request form: the same submit twice is one request and both
// land on the list; ticks survive the page buttons, the typed fields too.
func TestBuyerRequestDoubleSubmitAndTicksAcrossPages(t *testing.T) {
	a := newAPIEnv(t)
	a.paidLines("hw-cust-1001", 23, 1000)
	b := a.loggedIn("buyer@demo.test")
	p := b.get("/buyer/invoices")
	if n := testid(p, "invoice-line-option").Length(); n != 20 || testid(p, "buyer-lines-next").Length() != 1 {
		t.Fatalf("first page: %d lines\n%s", n, p.body)
	}
	tok := testid(p, "invoice-request-form").Find(`input[name="request_id"]`).AttrOr("value", "")
	next := testid(p, "buyer-lines-next").AttrOr("value", "")
	party := url.Values{"kind": {"normal"}, "title": {"杭州云帆科技有限公司"}, "taxId": {"91350100M000100Y43"},
		"email": {"it@yunfan.example"}, "request_id": {tok}}
	// Tick two on page 1 and press 下一页: page 2 shows them as carried.
	f := url.Values{"line": {"PL-hw-cust-1001-23-1", "PL-hw-cust-1001-10-1"}, "cursor": {next}}
	for k, v := range party {
		f[k] = v
	}
	p = b.post("/buyer/invoices", f)
	if p.status != http.StatusOK || testid(p, "invoice-line-option").Length() != 3 || testid(p, "invoice-lines-carried").Length() != 1 {
		t.Fatalf("page 2: %d\n%s", p.status, p.body)
	}
	carried := p.doc.Find(`[data-testid="invoice-line-carried"] input:checked`)
	if carried.Length() != 2 || testid(p, "invoice-lines-picked").AttrOr("data-count", "") != "2" ||
		testid(p, "invoice-field-title").AttrOr("value", "") != "杭州云帆科技有限公司" {
		t.Fatalf("carried %d, picked %s", carried.Length(), testid(p, "invoice-lines-picked").AttrOr("data-count", ""))
	}
	if a.count("invoices", "1 = 1") != 0 {
		t.Fatal("paging made a request")
	}
	// Bounded and validated: a malformed tick is a 422, not a 500.
	if p := b.post("/buyer/invoices", url.Values{"line": {"bad id!"}, "cursor": {next}}); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("malformed tick: %d", p.status)
	}
	if p := b.post("/buyer/invoices", url.Values{"cursor": {"forged"}}); p.status != http.StatusBadRequest {
		t.Fatalf("forged cursor: %d", p.status)
	}
	// Page 2's form: the carried ticks plus one of its own; submitted twice.
	page2 := testid(p, "invoice-request-form")
	tok2 := page2.Find(`input[name="request_id"]`).AttrOr("value", "")
	sub := url.Values{"line": {"PL-hw-cust-1001-23-1", "PL-hw-cust-1001-10-1", "PL-hw-cust-1001-02-1"}, "at": {next}}
	for k, v := range party {
		sub[k] = v
	}
	sub.Set("request_id", tok2)
	one, two := b.post("/buyer/invoices", sub), b.post("/buyer/invoices", sub)
	if one.status != http.StatusSeeOther || two.status != http.StatusSeeOther || one.header.Get("Location") != two.header.Get("Location") {
		t.Fatalf("double submit: %d, %d", one.status, two.status)
	}
	if n := a.count("invoices", "1 = 1"); n != 1 {
		t.Fatalf("%d requests after a double submit", n)
	}
	if n := a.count("invoice_lines", "live = 1"); n != 3 {
		t.Fatalf("%d lines on the request, want the 3 ticked across pages", n)
	}
	// A genuinely new submit (another token) over the same lines follows the rules.
	sub.Set("request_id", testid(b.get("/buyer/invoices"), "invoice-request-form").Find(`input[name="request_id"]`).AttrOr("value", ""))
	if p := b.post("/buyer/invoices", sub); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("a new request over invoiced lines: %d", p.status)
	}
}

// The statements' selection survives paging: the page buttons submit the
// selection form, the ticks of other pages ride along as hidden fields and
// the quote counts them all.
func TestStatementTicksSurvivePaging(t *testing.T) {
	a, _ := newInvoicePagesEnv(t)
	ids := seedPaidStatements(a, 53)
	fin := a.loggedIn("finance@acme.test")
	p := fin.get("/invoices?tab=platform")
	next := testid(p, "statements-next")
	if testid(p, "statement-row").Length() != 50 || next.Length() != 1 || next.Is("a") {
		t.Fatalf("first page: %d rows, next %v", testid(p, "statement-row").Length(), next.Nodes)
	}
	newest, oldest := strconv.FormatInt(ids[len(ids)-1], 10), strconv.FormatInt(ids[0], 10)
	// Tick the newest statement on page 1, press 下一页.
	p = fin.get("/invoices?" + url.Values{"tab": {"platform"}, "statement": {newest}, "cursor": {next.AttrOr("value", "")}}.Encode())
	if testid(p, "statement-row").Length() != 3 || testid(p, "statement-carried").AttrOr("value", "") != newest ||
		testid(p, "statement-picked-count").AttrOr("data-count", "") != "1" {
		t.Fatalf("page 2\n%s", p.body)
	}
	// Tick the oldest on page 2 too and ask for the quote: both counted.
	p = fin.get("/invoices?" + url.Values{"tab": {"platform"}, "statement": {newest, oldest}, "quote": {"1"}}.Encode())
	q := testid(p, "platform-fee-quote")
	if q.Length() != 1 || q.Find(`input[name="statement"]`).Length() != 2 || q.AttrOr("data-amount", "") != "2.00" {
		t.Fatalf("quote over both pages: %d\n%s", p.status, p.body)
	}
	// Back on page 1 the tick is a checked box, not a hidden field.
	p = fin.get("/invoices?" + url.Values{"tab": {"platform"}, "statement": {newest, oldest}, "cursor": {""}}.Encode())
	if p.doc.Find(`input[name="statement"][value="`+newest+`"]:checked`).Length() != 1 || testid(p, "statement-carried").AttrOr("value", "") != oldest {
		t.Fatalf("back on page 1\n%s", p.body)
	}
	// Bounded: more ids than a selection may hold is a 422.
	many := url.Values{"tab": {"platform"}}
	for i := 0; i < 1001; i++ {
		many.Add("statement", strconv.Itoa(i+1))
	}
	if p := fin.post("/invoices/platform", many); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("1001 ids: %d", p.status)
	}
}

// seedPaidStatements writes n paid statements of Acme, one per month from
// 2020-01 (fee 1.00 each), as the statements service leaves them; ids in
// month order.
func seedPaidStatements(a *apiEnv, n int) []int64 {
	a.t.Helper()
	var ids []int64
	at := a.clock.Now()
	for i := 0; i < n; i++ {
		month := time.Date(2020, time.Month(1+i), 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
		res, err := a.db.SQL.Exec(`INSERT INTO settlement_statements (merchant_id, month, currency, gross, fee, refunds, net,
			line_count, generated_at, paid, paid_at) VALUES (?, ?, 'CNY', 2000, 100, 0, 1900, 1, ?, 1, ?)`, a.acme.ID, month, at, at)
		if err != nil {
			a.t.Fatal(err)
		}
		id, _ := res.LastInsertId()
		ids = append(ids, id)
	}
	return ids
}
