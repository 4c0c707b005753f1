package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
)

// retryFor moves the clock in 2-minute steps, running the attempts due.
func (w *world) retryFor(steps int) {
	w.t.Helper()
	for range steps {
		w.clock.Advance(2 * time.Minute)
		w.runDue()
	}
}

// One stuck create is one row of the log, its attempts on the call's page,
// and the home card counts what its link lists; once the window runs out and
// the platform auto-unsubscribes the line, the call shows closed, 重新启动 is
// refused with the reason, and the order's timeline says 自动退订.
func TestMessageLogByCallsAcrossAutoUnsubscribe(t *testing.T) {
	w := newWorld(t)
	w.order("ORD-GS", "00302-200001-0--0") // Globex fails every call
	w.retryFor(9)
	globex := w.loggedIn("owner@globex.test")
	list := globex.get("/interface-messages")
	rows := testid(list, "call-row")
	if rows.Length() != 1 || rows.AttrOr("data-state", "") != "retrying" {
		t.Fatalf("a stuck create: %d rows, state %q", rows.Length(), rows.AttrOr("data-state", ""))
	}
	id := w.callID("ORD-GS")
	if href := rows.Find(`[data-testid="call-link"]`).AttrOr("href", ""); href != fmt.Sprintf("/interface-messages/%d", id) {
		t.Fatalf("row links %q, want the call %d", href, id)
	}
	if got := strings.Join(strings.Fields(rows.Find(`[data-testid="call-attempts"]`).Text()), " "); got != "10 / 61" {
		t.Fatalf("attempts shown %q", got)
	}
	if !strings.Contains(rows.Text(), "创建实例") || strings.Contains(rows.Text(), "newInstance") {
		t.Fatalf("activity not localized: %q", rows.Text())
	}
	// The home card and the list it opens agree.
	home := globex.get("/")
	card := testid(home, "todo-retrying_calls")
	if card.Find("[data-count]").AttrOr("data-count", "") != "1" {
		t.Fatalf("home card: %q", card.Text())
	}
	if n := testid(globex.get(card.AttrOr("href", "")), "call-row").Length(); n != 1 {
		t.Fatalf("the card's link lists %d calls", n)
	}
	d := globex.get(fmt.Sprintf("/interface-messages/%d", id))
	att := testid(d, "attempt-row")
	if att.Length() != 10 || att.First().AttrOr("data-attempt", "") != "1" || att.Last().AttrOr("data-attempt", "") != "10" {
		t.Fatalf("detail: %d attempts", att.Length())
	}
	for i := range att.Length() {
		if o := att.Eq(i).AttrOr("data-outcome", ""); o != "error" {
			t.Fatalf("attempt %d outcome %q", i+1, o)
		}
	}
	if !strings.Contains(att.Last().Text(), "10 / 61") {
		t.Fatalf("attempt numbering: %q", att.Last().Text())
	}

	w.retryFor(60) // the 2-hour window runs out: 61 attempts, 自动退订
	list = globex.get("/interface-messages")
	rows = testid(list, "call-row")
	if rows.Length() != 1 || rows.AttrOr("data-state", "") != "closed" {
		t.Fatalf("after the window: %d rows, state %q", rows.Length(), rows.AttrOr("data-state", ""))
	}
	if got := strings.Join(strings.Fields(rows.Find(`[data-testid="call-attempts"]`).Text()), " "); got != "61 / 61" {
		t.Fatalf("attempts shown %q", got)
	}
	for q, want := range map[string]int{"state=closed": 1, "state=failed": 0, "state=retrying": 0, "state=ok": 0} {
		if n := testid(globex.get("/interface-messages?"+q), "call-row").Length(); n != want {
			t.Errorf("%s: %d rows, want %d", q, n, want)
		}
	}
	home = globex.get("/")
	for _, key := range []string{"failed_calls", "retrying_calls"} {
		if c := testid(home, "todo-"+key).Find("[data-count]").AttrOr("data-count", "0"); c != "0" {
			t.Errorf("home card %s: %s after the call closed", key, c)
		}
	}
	d = globex.get(fmt.Sprintf("/interface-messages/%d", id))
	if testid(d, "ilog-restart").Length() != 0 || testid(d, "restart-refused").Length() != 1 ||
		!strings.Contains(testid(d, "restart-refused").Text(), "自动退订") {
		t.Fatalf("closed call page: restart button %d, notice %q", testid(d, "ilog-restart").Length(), testid(d, "restart-refused").Text())
	}
	if n := testid(d, "attempt-row").Length(); n != 61 {
		t.Fatalf("attempts on the page: %d", n)
	}
	// A restart posted anyway is refused with the reason, and nothing runs.
	p := globex.post(fmt.Sprintf("/interface-messages/%d/restart", id), nil)
	if p.status != 303 {
		t.Fatalf("refused restart: %d", p.status)
	}
	after := globex.get(fmt.Sprintf("/interface-messages/%d", id))
	if f := testid(after, "flash").Text(); !strings.Contains(f, "自动退订") || !strings.Contains(f, "重新下单") {
		t.Fatalf("refusal message: %q", f)
	}
	w.clock.Advance(time.Minute)
	w.runDue()
	var state string
	var attempts int
	if err := w.db.SQL.QueryRow(`SELECT state, attempts FROM calls WHERE id = ?`, id).Scan(&state, &attempts); err != nil {
		t.Fatal(err)
	}
	if state != "failed" || attempts != 61 || w.count("instances", "") != 0 {
		t.Fatalf("after the refused restart: %s, %d attempts, %d instances", state, attempts, w.count("instances", ""))
	}
	// The order's timeline says 自动退订 and why.
	var orderRef int64
	if err := w.db.SQL.QueryRow(`SELECT id FROM orders WHERE order_id = 'ORD-GS'`).Scan(&orderRef); err != nil {
		t.Fatal(err)
	}
	od := globex.get(fmt.Sprintf("/orders/%d", orderRef))
	ev := od.doc.Find(`[data-testid="order-timeline"] li[data-kind="auto_unsubscribed"]`)
	if ev.Length() != 1 || !strings.Contains(ev.Text(), "自动退订") || !strings.Contains(ev.Text(), "61") {
		t.Fatalf("timeline: %q", ev.Text())
	}
	// English readers get English activity and state names.
	globex.post("/lang", url.Values{"lang": {"en"}})
	if r := testid(globex.get("/interface-messages"), "call-row"); !strings.Contains(r.Text(), "Create instance") ||
		!strings.Contains(r.Text(), "Closed") {
		t.Fatalf("English row: %q", r.Text())
	}
}

// The list's data-state is the call's state as the log shows it.
func TestCallRowStateMapping(t *testing.T) {
	w := newWorld(t)
	w.order("ORD-S1", "00302-200001-0--0")
	id := w.callID("ORD-S1")
	acme := w.loggedIn("owner@globex.test")
	for _, c := range []struct {
		state  models.CallState
		closed bool
		want   string
	}{
		{models.CallPending, false, "retrying"}, {models.CallRetrying, false, "retrying"}, {models.CallPolling, false, "retrying"},
		{models.CallSucceeded, false, "ok"}, {models.CallFailed, false, "failed"}, {models.CallFailed, true, "closed"},
		{models.CallRecovered, false, "recovered"},
	} {
		var closed any
		if c.closed {
			closed = w.clock.Now()
		}
		if _, err := w.db.SQL.Exec(`UPDATE calls SET state = ?, closed_at = ? WHERE id = ?`, c.state, closed, id); err != nil {
			t.Fatal(err)
		}
		rows := testid(acme.get("/interface-messages"), "call-row")
		if got := rows.AttrOr("data-state", ""); rows.Length() != 1 || got != c.want {
			t.Errorf("%s closed=%v: data-state %q, want %q", c.state, c.closed, got, c.want)
		}
		if n := testid(acme.get("/interface-messages?state="+c.want), "call-row").Length(); n != 1 {
			t.Errorf("%s: the state=%s filter lists %d", c.state, c.want, n)
		}
		d := acme.get(fmt.Sprintf("/interface-messages/%d", id))
		if got := testid(d, "call-detail").AttrOr("data-state", ""); got != c.want {
			t.Errorf("%s closed=%v: detail data-state %q", c.state, c.closed, got)
		}
	}
}

// Attempt outcomes, 无响应 for an attempt that got no answer, and error texts
// masked when read (rows stored before masking) with the technical text
// behind a toggle.
func TestAttemptOutcomesNoAnswerAndMaskedErrors(t *testing.T) {
	w := newWorld(t)
	w.order("ORD-M1", "00302-200001-0--0")
	id := w.callID("ORD-M1")
	var merchant int64
	if err := w.db.SQL.QueryRow(`SELECT merchant_id FROM calls WHERE id = ?`, id).Scan(&merchant); err != nil {
		t.Fatal(err)
	}
	detail := `Post "https://globex.example/produce?activity=newInstance&signature=5e884898da28&timestamp=1&authToken=c0ffee": dial tcp 203.0.113.7:443: connect: connection refused`
	for i, o := range []struct{ outcome, class, detail string }{
		{"interrupted", "interrupted", ""}, {"error", "connection", detail}, {"ok", "", ""},
	} {
		if _, err := w.db.SQL.Exec(`INSERT INTO interface_messages (merchant_id, call_ref, attempt_no, at, activity, order_id, protocol, method, url,
			outcome, error_class, error_detail, response_status) VALUES (?, ?, ?, ?, 'newInstance', 'ORD-M1', 'v2', 'POST', 'https://globex.example/produce', ?, ?, ?, 0)`,
			merchant, id, i+2, w.clock.Now().Add(time.Duration(i+1)*time.Minute), o.outcome, o.class, o.detail); err != nil {
			t.Fatal(err)
		}
	}
	g := w.loggedIn("owner@globex.test")
	d := g.get(fmt.Sprintf("/interface-messages/%d", id))
	rows := testid(d, "attempt-row")
	var got []string
	for i := range rows.Length() {
		got = append(got, rows.Eq(i).AttrOr("data-attempt", "")+":"+rows.Eq(i).AttrOr("data-outcome", ""))
	}
	if strings.Join(got, " ") != "1:error 2:interrupted 3:error 4:ok" {
		t.Fatalf("attempts %v", got)
	}
	if !strings.Contains(rows.Eq(2).Text(), "无响应") || strings.Contains(d.body, "HTTP 0") {
		t.Fatalf("no-answer attempt shows %q", rows.Eq(2).Text())
	}
	a3 := g.get(fmt.Sprintf("/interface-messages/%d?attempt=3", id))
	if testid(a3, "attempt-detail").AttrOr("data-attempt", "") != "3" || !strings.Contains(testid(a3, "ilog-result").Text(), "无响应") {
		t.Fatalf("attempt 3 result %q", testid(a3, "ilog-result").Text())
	}
	errCell := testid(a3, "ilog-error")
	if !strings.Contains(errCell.Text(), "连接失败") || testid(a3, "ilog-error-technical").Length() != 1 {
		t.Fatalf("error cell %q", errCell.Text())
	}
	for _, secret := range []string{"5e884898da28", "c0ffee"} {
		if strings.Contains(a3.body, secret) {
			t.Fatalf("%s shown unmasked", secret)
		}
	}
	if tech := testid(a3, "ilog-error-technical").Text(); !strings.Contains(tech, "signature=***") || !strings.Contains(tech, "connection refused") {
		t.Fatalf("technical text %q", tech)
	}
}
