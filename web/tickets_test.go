package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/demo"
	"github.com/sellercenter/sellercenter/models/provisioning"
	"github.com/sellercenter/sellercenter/models/tickets"
)

// newTicketEnv is the env with the demo catalogue and reception hours: Acme
// receives Monday–Friday 09:00–12:00 and 13:30–18:30 in Shanghai, where
// the env's clock reads Monday 10:00.
func newTicketEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	ctx := context.Background()
	if err := demo.SeedCatalog(ctx, e.db.Gorm, e.cat); err != nil {
		t.Fatal(err)
	}
	if err := demo.SeedReception(ctx, e.db.Gorm, e.cals); err != nil {
		t.Fatal(err)
	}
	return e
}

// ticket opens a ticket of the demo buyer (buyer@demo.test) for Acme's
// first product, opened `ago` before now.
func (e *env) ticket(id string, ago time.Duration) int64 {
	e.t.Helper()
	in := tickets.Input{TicketID: id, ProductID: "00301-100001-0--0", CustomerID: demo.BuyerCustomerID,
		CustomerName: "杭州云帆科技有限公司", Title: "无法登录 " + id, Content: "登录时提示密码错误。",
		CreateTime: e.clock.Now().Add(-ago)}
	if _, _, err := e.tk.Accept(context.Background(), in); err != nil {
		e.t.Fatal(err)
	}
	var tid int64
	if err := e.db.SQL.QueryRow(`SELECT id FROM tickets WHERE ticket_id = ?`, id).Scan(&tid); err != nil {
		e.t.Fatal(err)
	}
	return tid
}

type upload struct {
	name string
	data []byte
}

// postMultipart submits a form with files, as the reply form does.
func (c *client) postMultipart(path string, fields url.Values, files ...upload) page {
	c.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("_csrf", c.csrf())
	for k, vs := range fields {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	for _, f := range files {
		fw, err := w.CreateFormFile("files", f.name)
		if err != nil {
			c.t.Fatal(err)
		}
		_, _ = fw.Write(f.data)
	}
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

var pngBytes = append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 200)...)

func TestTicketConversationRepliesNotesFilesAndActions(t *testing.T) {
	e := newTicketEnv(t)
	id := e.ticket("TK-1", 0)
	staff := e.loggedIn("staff@acme.test")

	p := staff.get("/tickets")
	row := p.doc.Find(`[data-testid="ticket-row"][data-ticket="TK-1"]`)
	if p.status != 200 || row.Length() != 1 || row.AttrOr("data-clock", "") != "running" {
		t.Fatalf("list: %d, row %d clock %q", p.status, row.Length(), row.AttrOr("data-clock", ""))
	}
	clock := row.Find(`[data-testid="clock"]`)
	if clock.AttrOr("data-left", "") != "900" || clock.AttrOr("data-ticking", "") != "1" || clock.AttrOr("data-warn", "") != "180" ||
		!strings.Contains(clock.Find(`[data-testid="clock-left"]`).Text(), "剩余 15 分 00 秒") {
		t.Fatalf("clock %s", clock.Text())
	}

	// An internal note with a text file: the clock keeps running.
	path := fmt.Sprintf("/tickets/%d", id)
	p = staff.postMultipart(path+"/reply", url.Values{"kind": {"note"}, "body": {"先查日志"}},
		upload{"trace.log", []byte("2026-11-23 error: bad password\n")})
	if p.status != http.StatusSeeOther {
		t.Fatalf("note: %d\n%s", p.status, p.body)
	}
	p = staff.get(path)
	if s := testid(p, "ticket-clock").Find(`[data-testid="clock"]`).AttrOr("data-status", ""); s != "running" {
		t.Fatalf("after a note the clock is %q", s)
	}
	// A public reply with a picture stops it.
	e.clock.Advance(4 * time.Minute)
	p = staff.postMultipart(path+"/reply", url.Values{"kind": {"reply"}, "body": {"您好，已为您重置密码。"}},
		upload{"截图 1.png", pngBytes})
	if p.status != http.StatusSeeOther {
		t.Fatalf("reply: %d\n%s", p.status, p.body)
	}
	p = staff.get(path)
	if s := testid(p, "ticket-clock").Find(`[data-testid="clock"]`).AttrOr("data-status", ""); s != "met" {
		t.Fatalf("after a reply the clock is %q", s)
	}
	msgs := testid(p, "ticket-message")
	if msgs.Length() != 3 || msgs.Eq(1).AttrOr("data-kind", "") != "note" || msgs.Eq(2).AttrOr("data-kind", "") != "reply" {
		t.Fatalf("%d messages", msgs.Length())
	}
	files := testid(p, "ticket-file")
	if files.Length() != 2 {
		t.Fatalf("%d files", files.Length())
	}
	href := files.Eq(1).AttrOr("href", "")
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+href, nil)
	d := staff.do(req)
	if d.status != 200 || d.body != string(pngBytes) || d.header.Get("Content-Type") != "image/png" ||
		!strings.HasPrefix(d.header.Get("Content-Disposition"), "attachment;") ||
		!strings.Contains(d.header.Get("Content-Disposition"), "filename*=utf-8''%E6%88%AA%E5%9B%BE%201.png") ||
		d.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("download: %d %v", d.status, d.header)
	}

	// 请客户确认, then the buyer sees the public conversation only.
	p = staff.post(path+"/action", url.Values{"action": {"ask_confirm"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("ask_confirm: %d", p.status)
	}
	buyer := e.loggedIn("buyer@demo.test")
	p = buyer.get("/buyer/tickets")
	if testid(p, "buyer-ticket-row").Length() != 1 {
		t.Fatalf("buyer list: %d\n%s", p.status, p.body)
	}
	bpath := fmt.Sprintf("/buyer/tickets/%d", id)
	p = buyer.get(bpath)
	if strings.Contains(p.body, "先查日志") || strings.Contains(p.body, "trace.log") || !strings.Contains(p.body, "已为您重置密码") {
		t.Fatal("the buyer's page shows an internal note or misses the reply")
	}
	bfile := testid(p, "ticket-file").AttrOr("href", "")
	req, _ = http.NewRequest(http.MethodGet, e.srv.URL+bfile, nil)
	if d := buyer.do(req); d.status != 200 || d.body != string(pngBytes) {
		t.Fatalf("buyer download: %d", d.status)
	}
	// The note's file is not the buyer's, even by its URL.
	noteHref := strings.Replace(files.Eq(0).AttrOr("href", ""), "/tickets/", "/buyer/tickets/", 1)
	req, _ = http.NewRequest(http.MethodGet, e.srv.URL+noteHref, nil)
	if d := buyer.do(req); d.status != 404 {
		t.Fatalf("buyer got the note's file: %d", d.status)
	}
	if p := buyer.post(bpath+"/confirm", nil); p.status != http.StatusSeeOther {
		t.Fatalf("confirm: %d", p.status)
	}
	p = buyer.get(bpath)
	if testid(p, "ticket-state").AttrOr("data-state", "") != "done" || testid(p, "buyer-reopen").Length() != 1 {
		t.Fatal("not done, or no way to reopen")
	}
	// Reopening starts a new clock the merchant sees.
	e.clock.Advance(time.Hour)
	if p := buyer.post(bpath+"/reply", url.Values{"reopen": {"1"}, "body": {"又不行了"}}); p.status != http.StatusSeeOther {
		t.Fatalf("reopen: %d %s", p.status, p.body)
	}
	p = staff.get(path)
	if s := testid(p, "ticket-clock").Find(`[data-testid="clock"]`).AttrOr("data-status", ""); s != "running" ||
		testid(p, "ticket-state").AttrOr("data-state", "") != "pending" {
		t.Fatalf("reopened: clock %q", s)
	}
}

func TestTicketPagesRefuseBadInputAndChangeNothing(t *testing.T) {
	e := newTicketEnv(t)
	id := e.ticket("TK-1", 0)
	path := fmt.Sprintf("/tickets/%d", id)
	staff := e.loggedIn("staff@acme.test")

	// Files over the limit or of a forbidden type: 422, the text kept.
	big := bytes.Repeat([]byte("a"), tickets.DefaultMaxAttachment+1)
	for name, f := range map[string]upload{
		"too large": {"big.txt", big},
		"html":      {"x.png", []byte("<html><body><script>alert(1)</script></body></html>")},
	} {
		p := staff.postMultipart(path+"/reply", url.Values{"kind": {"reply"}, "body": {"见附件"}}, f)
		if p.status != http.StatusUnprocessableEntity || testid(p, "field-error").AttrOr("data-field", "") != "files" ||
			testid(p, "reply-body").Text() != "见附件" {
			t.Fatalf("%s: %d %q", name, p.status, testid(p, "field-error").Text())
		}
	}
	// Without the CSRF token: refused before anything is read.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("kind", "reply")
	_ = mw.WriteField("body", "伪造的回复")
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path+"/reply", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if p := staff.do(req); p.status != http.StatusForbidden {
		t.Fatalf("reply without CSRF: %d", p.status)
	}
	// Empty text.
	if p := staff.postMultipart(path+"/reply", url.Values{"kind": {"reply"}, "body": {"  "}}); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("empty reply: %d", p.status)
	}
	if e.count("ticket_messages", "") != 0 || e.count("ticket_attachments", "") != 0 || e.count("tickets", "first_response_at IS NOT NULL") != 0 {
		t.Fatal("a refused reply left something")
	}
	// Unknown action name.
	if p := staff.post(path+"/action", url.Values{"action": {"explode"}}); p.status != http.StatusBadRequest {
		t.Fatalf("unknown action: %d", p.status)
	}
	// A closed ticket takes no reply: 409 with the reason.
	buyer := e.loggedIn("buyer@demo.test")
	if p := buyer.post(fmt.Sprintf("/buyer/tickets/%d/revoke", id), nil); p.status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", p.status)
	}
	p := staff.postMultipart(path+"/reply", url.Values{"kind": {"reply"}, "body": {"您好"}}, upload{"a.png", pngBytes})
	if p.status != http.StatusConflict || !strings.Contains(testid(p, "form-error").Text(), "工单已关闭") {
		t.Fatalf("reply to a revoked ticket: %d %q", p.status, testid(p, "form-error").Text())
	}
	if p := staff.post(path+"/action", url.Values{"action": {"start"}}); p.status != http.StatusConflict {
		t.Fatalf("start a revoked ticket: %d", p.status)
	}
	if p := buyer.post(fmt.Sprintf("/buyer/tickets/%d/reply", id), url.Values{"body": {"在吗"}}); p.status != http.StatusConflict {
		t.Fatalf("buyer writes to a revoked ticket: %d", p.status)
	}
	if e.count("ticket_messages", "") != 0 || e.count("ticket_attachments", "") != 0 {
		t.Fatal("a refused reply was stored")
	}
	files, _ := filesIn(e.tk.Dir())
	if len(files) != 0 {
		t.Fatalf("refused uploads left files: %v", files)
	}
}

func TestAnotherMerchantsTicketIs404(t *testing.T) {
	e := newTicketEnv(t)
	id := e.ticket("TK-1", 0)
	staff := e.loggedIn("staff@acme.test")
	if p := staff.postMultipart(fmt.Sprintf("/tickets/%d/reply", id), url.Values{"kind": {"note"}, "body": {"x"}},
		upload{"a.png", pngBytes}); p.status != http.StatusSeeOther {
		t.Fatalf("note: %d", p.status)
	}
	var att int64
	if err := e.db.SQL.QueryRow(`SELECT id FROM ticket_attachments`).Scan(&att); err != nil {
		t.Fatal(err)
	}
	globex := e.loggedIn("owner@globex.test")
	before := e.count("ticket_messages", "")
	for _, path := range []string{fmt.Sprintf("/tickets/%d", id), fmt.Sprintf("/tickets/%d/attachments/%d", id, att)} {
		if p := globex.get(path); p.status != 404 {
			t.Fatalf("GET %s as globex: %d", path, p.status)
		}
	}
	if p := globex.postMultipart(fmt.Sprintf("/tickets/%d/reply", id), url.Values{"kind": {"reply"}, "body": {"hi"}}); p.status != 404 {
		t.Fatalf("reply as globex: %d", p.status)
	}
	for _, what := range []url.Values{{"action": {"start"}}} {
		if p := globex.post(fmt.Sprintf("/tickets/%d/action", id), what); p.status != 404 {
			t.Fatalf("action as globex: %d", p.status)
		}
	}
	if p := globex.post(fmt.Sprintf("/tickets/%d/assign", id), url.Values{"assignee": {"0"}}); p.status != 404 {
		t.Fatalf("assign as globex: %d", p.status)
	}
	if p := globex.get("/tickets"); testid(p, "ticket-row").Length() != 0 {
		t.Fatal("globex lists acme's ticket")
	}
	// Finance has no tickets at all; a buyer's pages are not the merchant's.
	if p := e.loggedIn("finance@acme.test").get("/tickets"); p.status != 403 {
		t.Fatalf("finance: %d", p.status)
	}
	if p := e.loggedIn("buyer@demo.test").get(fmt.Sprintf("/tickets/%d", id)); p.status != 403 {
		t.Fatalf("buyer on the merchant page: %d", p.status)
	}
	if e.count("ticket_messages", "") != before || e.count("tickets", "state <> 'pending'") != 0 {
		t.Fatal("a refused request changed something")
	}
}

func TestTicketListFiltersAndReport(t *testing.T) {
	e := newTicketEnv(t)
	e.ticket("TK-BREACHED", time.Hour)
	e.ticket("TK-WARNING", 13*time.Minute)
	e.ticket("TK-RUNNING", time.Minute)
	staff := e.loggedIn("staff@acme.test")
	for clock, want := range map[string]string{"breached": "TK-BREACHED", "warning": "TK-WARNING", "running": "TK-RUNNING"} {
		p := staff.get("/tickets?clock=" + clock)
		rows := testid(p, "ticket-row")
		if rows.Length() != 1 || rows.AttrOr("data-ticket", "") != want {
			t.Fatalf("clock=%s: %d rows", clock, rows.Length())
		}
	}
	if p := staff.get("/tickets?clock=unanswered&state=open"); testid(p, "ticket-row").Length() != 3 {
		t.Fatal("unanswered filter")
	}
	if p := staff.get("/tickets?state=nonsense"); p.status != http.StatusUnprocessableEntity || testid(p, "field-error").Length() == 0 {
		t.Fatalf("bad filter: %d", p.status)
	}
	// Overdue clocks count up.
	p := staff.get("/tickets?clock=breached")
	if txt := testid(p, "clock-left").Text(); !strings.Contains(txt, "已超时 45 分 00 秒") {
		t.Fatalf("overdue text %q", txt)
	}
	// Answer one and read the report.
	if err := e.tk.Reply(context.Background(), actorOf(e, "staff@acme.test"), e.ticketID("TK-WARNING"),
		tickets.ReplyInput{Kind: models.TicketMsgReply, Body: "好的"}); err != nil {
		t.Fatal(err)
	}
	p = staff.get("/tickets/report")
	if p.status != 200 || testid(p, "sla-chart").Length() != 1 || testid(p, "sla-bar").Length() != tickets.ReportWeeks ||
		testid(p, "sla-clocks").Text() != "3" || testid(p, "sla-median").Text() != "13.0" ||
		// The hour-old ticket is breached though no sweep marked it: 1 of
		// the 2 clocks with an outcome.
		testid(p, "sla-rate").Text() != "50%" {
		t.Fatalf("report: %d clocks %q median %q", p.status, testid(p, "sla-clocks").Text(), testid(p, "sla-median").Text())
	}
	// The answer is 王运营's; the unanswered breach, unassigned, nobody's.
	if row := testid(p, "sla-staff-row"); row.Length() != 2 || !strings.Contains(row.Eq(0).Text(), "王运营") ||
		!strings.Contains(row.Eq(1).Text(), "未分配") || row.Eq(1).Find(`[data-testid="sla-cell-rate"]`).Text() != "100%" {
		t.Fatalf("staff rows: %q", row.Text())
	}
}

func (e *env) ticketID(ticketID string) int64 {
	e.t.Helper()
	var id int64
	if err := e.db.SQL.QueryRow(`SELECT id FROM tickets WHERE ticket_id = ?`, ticketID).Scan(&id); err != nil {
		e.t.Fatal(err)
	}
	return id
}

func TestTheBoardShowsTicketClocksNearBreach(t *testing.T) {
	e := newTicketEnv(t)
	e.ticket("TK-WARNING", 13*time.Minute)
	e.ticket("TK-RUNNING", time.Minute)
	p := e.loggedIn("staff@acme.test").get("/")
	clocks := testid(p, "todo-clock")
	if clocks.Length() != 2 || clocks.Eq(0).AttrOr("data-ref", "") != "TK-WARNING" || clocks.Eq(0).AttrOr("data-status", "") != "warning" ||
		!strings.Contains(clocks.Eq(0).Text(), "剩余 2 分 00 秒") || clocks.Eq(1).AttrOr("data-status", "") != "running" {
		t.Fatalf("board clocks: %d %q", clocks.Length(), clocks.Text())
	}
	if p := e.loggedIn("owner@globex.test").get("/"); testid(p, "todo-clock").Length() != 0 {
		t.Fatal("globex sees acme's clocks")
	}
}

func TestBuyerOpensATicketForAnOrderedProductOnly(t *testing.T) {
	w := newWorld(t)
	if err := demo.SeedReception(context.Background(), w.db.Gorm, w.cals); err != nil {
		t.Fatal(err)
	}
	buyer := w.loggedIn("buyer@demo.test")
	if p := buyer.get("/buyer/tickets/new"); testid(p, "buyer-no-products").Length() != 1 {
		t.Fatal("a buyer without orders was offered products")
	}
	in := ordersFor(demo.BuyerCustomerID)
	if _, _, err := w.core.AcceptOrder(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	p := buyer.get("/buyer/tickets/new")
	if testid(p, "buyer-ticket-product").Find("option").Length() != 1 {
		t.Fatalf("products offered: %s", testid(p, "buyer-ticket-product").Text())
	}
	if p := buyer.post("/buyer/tickets", url.Values{"product": {"00302-200001-0--0"}, "title": {"x"}, "content": {"y"}}); p.status != 422 {
		t.Fatalf("a product not ordered: %d", p.status)
	}
	p = buyer.post("/buyer/tickets", url.Values{"product": {"00301-100001-0--0"}, "title": {"怎么导出"}, "content": {"在哪里导出客户列表？"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("open: %d %s", p.status, p.body)
	}
	p = w.loggedIn("staff@acme.test").get("/tickets")
	if rows := testid(p, "ticket-row"); rows.Length() != 1 || rows.AttrOr("data-clock", "") != "running" {
		t.Fatal("the merchant does not see the buyer's ticket running")
	}
}

func filesIn(dir string) ([]string, error) {
	es, err := os.ReadDir(dir)
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out, err
}

// ordersFor is a one-line NEW order of Acme's first product for a customer.
func ordersFor(customer string) provisioning.OrderInput {
	return provisioning.OrderInput{OrderID: "ORD-T-1", OrderType: models.OrderNew, CreateTime: time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC),
		Buyer: provisioning.BuyerInput{CustomerID: customer, CustomerName: "杭州云帆科技有限公司"},
		Lines: []provisioning.LineInput{{OrderLineID: "ORD-T-1-1", ProductID: "00301-100001-0--0", ChargingMode: models.ChargingPeriod,
			PeriodType: "month", PeriodNumber: 1, Amount: "99.00"}}}
}

func receptionForm(receiving bool, from, to string) url.Values {
	f := url.Values{"tz": {"Asia/Shanghai"}, "follows_holidays": {"1"}}
	if receiving {
		f.Set("receiving", "1")
	} else {
		f.Set("receiving", "0")
	}
	for wd := 1; wd <= 5; wd++ {
		f.Set(fmt.Sprintf("open_%d", wd), "1")
		f.Set(fmt.Sprintf("from_%d", wd), from)
		f.Set(fmt.Sprintf("to_%d", wd), to)
	}
	return f
}

// Saving reception hours on /settings/reception recomputes the open
// deadlines in the same transaction; a refused save moves nothing.
func TestReceptionChangesRecomputeOpenTicketDeadlines(t *testing.T) {
	e := newTicketEnv(t)
	open := e.ticket("TK-OPEN", 0) // Monday 10:00, due 10:15
	answered := e.ticket("TK-ANSWERED", 0)
	if err := e.tk.Reply(context.Background(), actorOf(e, "staff@acme.test"), answered,
		tickets.ReplyInput{Kind: models.TicketMsgReply, Body: "好的"}); err != nil {
		t.Fatal(err)
	}
	due := func(id int64) string {
		var s *string
		if err := e.db.SQL.QueryRow(`SELECT due_at FROM tickets WHERE id = ?`, id).Scan(&s); err != nil {
			t.Fatal(err)
		}
		if s == nil {
			return ""
		}
		return *s
	}
	before, answeredDue := due(open), due(answered)
	owner := e.loggedIn("owner@acme.test")
	// Under 5×8: refused, nothing recomputed.
	if p := owner.post("/settings/reception", receptionForm(true, "10:10", "12:00")); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("short hours: %d", p.status)
	}
	if due(open) != before {
		t.Fatal("a refused save moved a deadline")
	}
	// Opening at 10:10 from now on: the ticket's 15 minutes run 10:10–10:25.
	if p := owner.post("/settings/reception", receptionForm(true, "10:10", "18:40")); p.status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", p.status, p.body)
	}
	if got := due(open); !strings.HasPrefix(got, "2026-11-23T02:25:00") {
		t.Fatalf("recomputed due %q (was %q)", got, before)
	}
	if due(answered) != answeredDue {
		t.Fatal("an answered ticket's deadline moved")
	}
	if n := e.count("ticket_events", "kind = 'recomputed' AND ticket_ref = ?", open); n != 1 {
		t.Fatalf("%d recomputed events", n)
	}
	// Not receiving any more: the open clock has no deadline until it does.
	if p := owner.post("/settings/reception", receptionForm(false, "10:10", "18:40")); p.status != http.StatusSeeOther {
		t.Fatalf("switch off: %d", p.status)
	}
	p := e.loggedIn("staff@acme.test").get(fmt.Sprintf("/tickets/%d", open))
	if due(open) != "" || testid(p, "ticket-clock").Find(`[data-testid="clock"]`).AttrOr("data-status", "") != "none" {
		t.Fatalf("without reception: due %q", due(open))
	}
}
