package demands

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/dbtest"
)

func TestRejectionNeedsAReason(t *testing.T) {
	e := newTEnv(t)
	ctx := context.Background()
	d := e.assign("acme", "拒绝")
	for _, tc := range []struct{ reason, want string }{
		{"", "demands.err.reason_required"},
		{"   \n ", "demands.err.reason_required"},
		{"太忙了", "demands.err.reason_length"}, // 3 characters
		{strings.Repeat("忙", models.DemandReasonMax+1), "demands.err.reason_length"},
		{"bad\x00text", "err.invalid_text"},
	} {
		err := e.svc.Reject(ctx, e.acme(), d.ID, tc.reason, true)
		if got := dbtest.FieldErr(err, "reason"); got != tc.want {
			t.Errorf("reason %q: %v (field %q), want %s", tc.reason, err, got, tc.want)
		}
	}
	if got := e.demand(d.ID); got.State != models.DemandPending || got.DecidedAt != nil ||
		e.count("demand_events", "demand_id = ?", d.ID) != 1 || e.count("audit_log", "action = ?", models.AuditDemandRejected) != 0 {
		t.Fatal("a refused rejection changed something")
	}
	if err := e.svc.Reject(ctx, e.staff(), d.ID, "  不在我们的服务范围内  ", true); err != nil {
		t.Fatal(err)
	}
	got := e.demand(d.ID)
	if got.State != models.DemandRejected || got.RejectReason != "不在我们的服务范围内" || got.DecidedBy != "staff@acme.test" {
		t.Fatalf("%s %q by %s", got.State, got.RejectReason, got.DecidedBy)
	}
	if e.count("audit_log", "action = ? AND target_id = ?", models.AuditDemandRejected, d.ID) != 1 {
		t.Fatal("rejection not audited")
	}
	if err := e.svc.Accept(ctx, e.acme(), d.ID); !dbtest.IsConflict(err, "demands.err.state.rejected") {
		t.Fatalf("accept after reject: %v", err)
	}
}

// From the deadline on, answers are refused even though the closing job has
// not run yet, and nothing changes.
func TestActingAfterTheDeadlineIsRefused(t *testing.T) {
	e := newTEnv(t)
	ctx := context.Background()
	d := e.assign("acme", "过期")
	e.clock.Set(d.DueAt.Add(-time.Second))
	ok := e.assign("acme", "未过期")
	e.clock.Set(d.DueAt)
	if err := e.svc.Accept(ctx, e.acme(), d.ID); !dbtest.IsConflict(err, "demands.err.expired") {
		t.Fatalf("accept at the deadline: %v", err)
	}
	if err := e.svc.Reject(ctx, e.acme(), d.ID, "来不及处理了", true); !dbtest.IsConflict(err, "demands.err.expired") {
		t.Fatalf("reject at the deadline: %v", err)
	}
	if got := e.demand(d.ID); got.State != models.DemandPending || got.DecidedAt != nil ||
		e.count("demand_events", "demand_id = ?", d.ID) != 1 {
		t.Fatal("refused answers changed the demand")
	}
	// One second before its own deadline another demand may still be accepted.
	if err := e.svc.Accept(ctx, e.acme(), ok.ID); err != nil {
		t.Fatal(err)
	}
	e.fire(d.ID, TimerClose)
	if err := e.svc.Accept(ctx, e.acme(), d.ID); !dbtest.IsConflict(err, "demands.err.expired") {
		t.Fatalf("accept after the auto-close: %v", err)
	}
}

func TestTenancyAndRoles(t *testing.T) {
	e := newTEnv(t)
	ctx := context.Background()
	d := e.assign("acme", "租户")
	globex := e.actor("owner@globex.test")
	if _, err := e.svc.Get(ctx, globex, d.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("globex get: %v", err)
	}
	for name, err := range map[string]error{
		"accept": e.svc.Accept(ctx, globex, d.ID),
		"reject": e.svc.Reject(ctx, globex, d.ID, "不是我们的需求", true),
		"note":   e.svc.AddNote(ctx, globex, d.ID, "x"),
		"link":   e.svc.LinkOrder(ctx, globex, d.ID, "ORD-X"),
		"close":  e.svc.Close(ctx, globex, d.ID),
	} {
		if !errors.Is(err, models.ErrNotFound) {
			t.Errorf("globex %s: %v", name, err)
		}
	}
	if p, err := e.svc.List(ctx, globex, Filter{}); err != nil || len(p.Rows) != 0 {
		t.Fatalf("globex list: %v %d", err, len(p.Rows))
	}
	// Roles: finance has no demands; operations managers do not answer for
	// merchants; merchants do not assign.
	if err := e.svc.Accept(ctx, e.actor("finance@acme.test"), d.ID); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("finance accept: %v", err)
	}
	if err := e.svc.Accept(ctx, e.ops(), d.ID); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("ops accept: %v", err)
	}
	if _, err := e.svc.Assign(ctx, e.acme(), AssignInput{Merchant: "acme", Title: "x", CustomerName: "y"}); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("merchant assign: %v", err)
	}
	if _, err := e.svc.ListAll(ctx, e.acme(), Filter{}); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("merchant list all: %v", err)
	}
	if e.demand(d.ID).State != models.DemandPending {
		t.Fatal("changed by someone not allowed")
	}

	// Linking: only the merchant's own orders.
	e.order("acme", "ORD-ACME-9")
	e.order("globex", "ORD-GLOBEX-9")
	if err := e.svc.Accept(ctx, e.acme(), d.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.LinkOrder(ctx, e.acme(), d.ID, "ORD-GLOBEX-9"); dbtest.FieldErr(err, "order") != "demands.err.order_unknown" {
		t.Fatalf("link another merchant's order: %v", err)
	}
	if e.demand(d.ID).OrderRef != nil {
		t.Fatal("another merchant's order was linked")
	}
	if err := e.svc.LinkOrder(ctx, e.acme(), d.ID, "ORD-ACME-9"); err != nil {
		t.Fatal(err)
	}
	det, err := e.svc.Get(ctx, e.acme(), d.ID)
	if err != nil || det.OrderCode != "ORD-ACME-9" {
		t.Fatalf("linked order %q: %v", det.OrderCode, err)
	}
}

// An accepted demand keeps notes and an order link until the merchant
// closes it; before acceptance and after closing, neither is allowed.
func TestAcceptedDemandNotesLinkAndClose(t *testing.T) {
	e := newTEnv(t)
	ctx := context.Background()
	d := e.assign("acme", "跟进")
	e.order("acme", "ORD-ACME-1")
	if err := e.svc.AddNote(ctx, e.acme(), d.ID, "先记一笔"); !dbtest.IsConflict(err, "demands.err.state.pending") {
		t.Fatalf("note on a pending demand: %v", err)
	}
	if err := e.svc.Close(ctx, e.acme(), d.ID); !dbtest.IsConflict(err, "demands.err.state.pending") {
		t.Fatalf("close a pending demand: %v", err)
	}
	if err := e.svc.Accept(ctx, e.staff(), d.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Accept(ctx, e.acme(), d.ID); !dbtest.IsConflict(err, "demands.err.state.accepted") {
		t.Fatalf("second accept: %v", err)
	}
	if err := e.svc.AddNote(ctx, e.acme(), d.ID, "  "); dbtest.FieldErr(err, "note") != "err.required" {
		t.Fatalf("empty note: %v", err)
	}
	if err := e.svc.AddNote(ctx, e.acme(), d.ID, strings.Repeat("长", models.DemandNoteMax+1)); dbtest.FieldErr(err, "note") != "err.too_long" {
		t.Fatalf("long note: %v", err)
	}
	if err := e.svc.AddNote(ctx, e.acme(), d.ID, "已电话沟通，客户需要报价"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.LinkOrder(ctx, e.acme(), d.ID, ""); dbtest.FieldErr(err, "order") != "err.required" {
		t.Fatalf("empty order: %v", err)
	}
	if err := e.svc.LinkOrder(ctx, e.acme(), d.ID, "ORD-ACME-1"); err != nil {
		t.Fatal(err)
	}
	// Past the acceptance deadline an accepted demand is still worked on.
	e.clock.Set(d.DueAt.Add(48 * time.Hour))
	if err := e.svc.AddNote(ctx, e.acme(), d.ID, "合同已签"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Close(ctx, e.acme(), d.ID); err != nil {
		t.Fatal(err)
	}
	got := e.demand(d.ID)
	if got.State != models.DemandClosed || got.CloseReason != models.DemandClosedMerchant {
		t.Fatalf("%s/%s", got.State, got.CloseReason)
	}
	if err := e.svc.AddNote(ctx, e.acme(), d.ID, "再记一笔"); !dbtest.IsConflict(err, "demands.err.state.closed") {
		t.Fatalf("note after close: %v", err)
	}
	det, err := e.svc.Get(ctx, e.acme(), d.ID)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, ev := range det.Events {
		kinds = append(kinds, ev.Kind)
	}
	if strings.Join(kinds, ",") != "assigned,accepted,noted,linked,noted,closed" || len(det.Notes) != 2 {
		t.Fatalf("history %v, %d notes", kinds, len(det.Notes))
	}
	for _, a := range []string{models.AuditDemandAccepted, models.AuditDemandNoted, models.AuditDemandLinked, models.AuditDemandClosed} {
		if e.count("audit_log", "action = ? AND target_id = ?", a, d.ID) == 0 {
			t.Errorf("%s not audited", a)
		}
	}
}

func TestAssignValidatesAndStoresNothingOnBadInput(t *testing.T) {
	e := newTEnv(t)
	ctx := context.Background()
	cases := []struct {
		in    AssignInput
		field string
		want  string
	}{
		{AssignInput{Title: "t", CustomerName: "c"}, "merchant", "err.required"},
		{AssignInput{Merchant: "nope", Title: "t", CustomerName: "c"}, "merchant", "err.merchant_unknown"},
		{AssignInput{Merchant: "acme", CustomerName: "c"}, "title", "err.required"},
		{AssignInput{Merchant: "acme", Title: strings.Repeat("标", models.DemandTitleMax+1), CustomerName: "c"}, "title", "err.too_long"},
		{AssignInput{Merchant: "acme", Title: "two\nlines", CustomerName: "c"}, "title", "err.invalid_text"},
		{AssignInput{Merchant: "acme", Title: "t"}, "customer_name", "err.required"},
		{AssignInput{Merchant: "acme", Title: "t", CustomerName: "c", Description: strings.Repeat("x", models.DemandDescMax+1)}, "description", "err.too_long"},
		{AssignInput{Merchant: "acme", Title: "t", CustomerName: "c", ProductID: "00302-200001-0--0"}, "product", "demands.err.product_not_merchants"},
		{AssignInput{Merchant: "acme", Title: "t", CustomerName: "c", ProductID: "no-such"}, "product", "demands.err.product_not_merchants"},
	}
	for _, tc := range cases {
		_, err := e.svc.Assign(ctx, e.ops(), tc.in)
		if got := dbtest.FieldErr(err, tc.field); got != tc.want {
			t.Errorf("%+v: %v (field %s: %q), want %s", tc.in, err, tc.field, got, tc.want)
		}
	}
	if e.count("demands", "") != 0 || e.count("notifications", "") != 0 || len(e.q.Timers()) != 0 {
		t.Fatal("bad input stored something")
	}
	d, err := e.svc.Assign(ctx, e.ops(), AssignInput{Merchant: "acme", Title: " 数据迁移 ", CustomerName: "深圳星河数据",
		ProductID: "00301-100003-0--0"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "数据迁移" || d.ProductRef == nil || len(e.q.Timers()) != 3 {
		t.Fatalf("%+v, %d timers", d, len(e.q.Timers()))
	}
	if e.count("notifications", "msg_id = 'demands.notify.assigned' AND type_code = 501 AND link = ?", link(d.ID)) != 1 ||
		e.count("audit_log", "action = ? AND target_id = ?", models.AuditDemandAssigned, d.ID) != 1 {
		t.Fatal("assignment not notified or audited")
	}
	if err := e.svc.SetWindowMode(ctx, e.ops(), "lunar"); dbtest.FieldErr(err, "window_mode") != "err.enum" {
		t.Fatalf("bad window mode: %v", err)
	}
	if err := e.svc.SetWindowMode(ctx, e.acme(), models.WindowWorking); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("merchant sets window: %v", err)
	}
	if m, _ := e.svc.WindowMode(ctx); m != models.WindowNatural {
		t.Fatalf("mode %s", m)
	}
}

func TestRatesAndPendingCount(t *testing.T) {
	e := newTEnv(t)
	ctx := context.Background()
	var ids []int64
	for i := 0; i < 5; i++ {
		ids = append(ids, e.assign("acme", "rate").ID)
	}
	g := e.assign("globex", "g")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(e.svc.Accept(ctx, e.acme(), ids[0]))
	must(e.svc.Accept(ctx, e.acme(), ids[1]))
	must(e.svc.Close(ctx, e.acme(), ids[1])) // accepted, then closed: still an acceptance
	must(e.svc.Reject(ctx, e.acme(), ids[2], "超出服务范围", true))
	if n, _ := e.svc.PendingCount(ctx, e.acme()); n != 2 {
		t.Fatalf("acme pending %d", n)
	}
	if n, _ := e.svc.PendingCount(ctx, e.ops()); n != 3 {
		t.Fatalf("all pending %d", n)
	}
	e.clock.Set(g.DueAt.Add(time.Second)) // every window has ended
	if n, _ := e.svc.PendingCount(ctx, e.acme()); n != 0 {
		t.Fatalf("expired demands counted as to-do: %d", n)
	}
	e.sweep()
	rs, err := e.svc.Rates(ctx, e.ops())
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]Rate{}
	for _, r := range rs {
		by[r.MerchantSlug] = r
	}
	a := by["acme"]
	if a.Accepted != 2 || a.Rejected != 1 || a.TimedOut != 2 || a.Pending != 0 {
		t.Fatalf("acme %+v", a)
	}
	if pm, ok := a.Permille(); !ok || pm != 400 {
		t.Fatalf("acme rate %d‰", pm)
	}
	if gl := by["globex"]; gl.TimedOut != 1 || gl.Accepted != 0 {
		t.Fatalf("globex %+v", gl)
	}
	if _, err := e.svc.Rates(ctx, e.acme()); !errors.Is(err, models.ErrForbidden) {
		t.Fatal("a merchant read the rates")
	}
}

// A pending demand joins the board's live clocks for its last day only.
func TestOverviewClocksShowTheLastDay(t *testing.T) {
	e := newTEnv(t)
	ctx := context.Background()
	d := e.assign("acme", "最后一天")
	e.assign("globex", "别人的")
	e.clock.Set(d.Remind1At.Add(-time.Second))
	if cs, err := e.svc.OverviewClocks(ctx, e.acme()); err != nil || len(cs) != 0 {
		t.Fatalf("before the last day: %v %d", err, len(cs))
	}
	e.clock.Set(d.Remind1At.Add(time.Hour))
	cs, err := e.svc.OverviewClocks(ctx, e.acme())
	if err != nil || len(cs) != 1 || cs[0].Left != 23*time.Hour || cs[0].Link.To != models.ScreenDemand || cs[0].Link.ID != d.ID || cs[0].Status != models.ClockWarning {
		t.Fatalf("last day: %v %+v", err, cs)
	}
	e.clock.Set(d.DueAt)
	if cs, _ := e.svc.OverviewClocks(ctx, e.acme()); len(cs) != 0 {
		t.Fatal("an ended window is still on the board")
	}
	if cs, _ := e.svc.OverviewClocks(ctx, e.ops()); len(cs) != 0 {
		t.Fatal("operations got a merchant's clocks")
	}
}

// A working-day window's last day runs from its 1-day reminder, over the
// weekend: the board shows it then, though the deadline is days away.
func TestOverviewClocksFollowWorkingDayReminder(t *testing.T) {
	e := newTEnv(t)
	ctx := context.Background()
	if err := e.svc.SetWindowMode(ctx, e.ops(), models.WindowWorking); err != nil {
		t.Fatal(err)
	}
	d := e.assign("acme", "工作日") // Monday: reminded Friday, due Monday
	if last := d.DueAt.Sub(d.Remind1At); last <= 24*time.Hour {
		t.Fatalf("the last day is %v: the window spans no weekend", last)
	}
	e.clock.Set(d.Remind1At.Add(-time.Second))
	if cs, err := e.svc.OverviewClocks(ctx, e.acme()); err != nil || len(cs) != 0 {
		t.Fatalf("before the reminder: %v %d", err, len(cs))
	}
	e.clock.Set(d.Remind1At.Add(time.Hour))
	cs, err := e.svc.OverviewClocks(ctx, e.acme())
	if err != nil || len(cs) != 1 {
		t.Fatalf("after the reminder: %v %+v", err, cs)
	}
	if left := d.DueAt.Sub(e.clock.Now()); cs[0].Left != left || left <= 24*time.Hour || cs[0].WarnLeft != d.DueAt.Sub(d.Remind1At) {
		t.Fatalf("clock %+v", cs[0])
	}
}

// The detail offers exactly the actions act would take: answers while the
// window is open, follow-up once accepted, nothing after an outcome.
func TestDetailActions(t *testing.T) {
	e := newTEnv(t)
	ctx := context.Background()
	actions := func(id int64) string {
		t.Helper()
		det, err := e.svc.Get(ctx, e.acme(), id)
		if err != nil {
			t.Fatal(err)
		}
		var as []string
		for _, a := range det.Actions {
			as = append(as, string(a))
		}
		return strings.Join(as, ",")
	}
	open := e.assign("acme", "待接收")
	late := e.assign("acme", "超时")
	if got := actions(open.ID); got != "accept,reject" {
		t.Fatalf("pending: %s", got)
	}
	if err := e.svc.Accept(ctx, e.acme(), open.ID); err != nil {
		t.Fatal(err)
	}
	if got := actions(open.ID); got != "close,note,link" {
		t.Fatalf("accepted: %s", got)
	}
	// At the deadline, before the closing job has run.
	e.clock.Set(late.DueAt)
	if got := actions(late.ID); got != "" {
		t.Fatalf("pending past the deadline: %s", got)
	}
	if got := actions(open.ID); got != "close,note,link" {
		t.Fatalf("accepted past the deadline: %s", got)
	}
	if err := e.svc.Close(ctx, e.acme(), open.ID); err != nil {
		t.Fatal(err)
	}
	if got := actions(open.ID); got != "" {
		t.Fatalf("closed: %s", got)
	}
}
