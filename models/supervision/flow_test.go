package supervision

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
)

// The whole manual story: the order completes with its last line, the
// validity moves to start at acceptance, the endpoint is told through a
// queued refreshInstance, and the merchant is notified (101).
func TestManualFlowToDone(t *testing.T) {
	e := newTEnv(t)
	lineID, f := e.acmeLine()
	if f.Node != models.SupRequirements || f.WarnDueAt == nil || !f.WarnDueAt.Equal(t0.Add(days(180))) {
		t.Fatalf("started: %+v", f)
	}
	// Starting again (a repeated create) changes nothing.
	if err := e.svc.Start(context.Background(), f.LineRef); err != nil || e.count("supervision_flows", "") != 1 {
		t.Fatalf("restart: %v", err)
	}
	e.toDelivery(lineID, f.ID)
	if g := e.flow(f.ID); g.Node != models.SupDelivery || g.SLADueAt == nil || !g.SLADueAt.Equal(t0.Add(days(30))) {
		t.Fatalf("delivery: node %s sla %v", g.Node, g.SLADueAt)
	}
	if err := e.svc.Act(context.Background(), e.acme, f.ID, MerchantInput{Action: models.SupDeliver}); fieldErr(err, "files") == "" {
		t.Fatalf("deliver without document: %v", err)
	}
	e.act(e.acme, f.ID, MerchantInput{Action: models.SupDeliver, Files: []Upload{pdf("验收报告.pdf")}})
	e.clock.Set(time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC))
	calls := len(e.calls.ids)
	e.mustBuyer(lineID, EvAccept, "")
	g := e.flow(f.ID)
	if g.Node != models.SupDone || g.AcceptedAt == nil || g.SLADueAt != nil || g.SLALeftS != nil || g.WarnDueAt != nil {
		t.Fatalf("done: %+v", g)
	}
	var line models.OrderLine
	e.db.Gorm.Take(&line, f.LineRef)
	want := time.Date(2027, 1, 1, 2, 0, 0, 0, time.UTC)
	if line.Status != models.LineCompleted || line.Supervision != models.SupervisionDone || !line.ExpireAt.Equal(want) {
		t.Fatalf("line: %s %s %v, want completed, done, %v", line.Status, line.Supervision, line.ExpireAt, want)
	}
	if n := e.count("orders", "id = ? AND status = 'completed'", f.OrderRef); n != 1 {
		t.Fatal("order not completed")
	}
	if len(e.calls.ids) != calls+1 || e.count("calls", "activity = 'refreshInstance' AND order_line_ref = ?", f.LineRef) != 1 {
		t.Fatal("no refreshInstance queued")
	}
	if e.count("notifications", "type_code = 101 AND msg_id = 'supervision.notify.accepted'") != 1 {
		t.Fatal("merchant not told of the acceptance")
	}
	if e.count("supervision_documents", "flow_ref = ?", f.ID) != 2 || e.count("supervision_events", "flow_ref = ?", f.ID) != 6 {
		t.Fatalf("docs %d events %d", e.count("supervision_documents", "flow_ref = ?", f.ID),
			e.count("supervision_events", "flow_ref = ?", f.ID))
	}
	if _, err := e.db.SQL.Exec(`UPDATE supervision_events SET text = 'x' WHERE flow_ref = ?`, f.ID); err == nil {
		t.Fatal("an event was edited")
	}
}

// The same eventId is one event, whatever the marketplace resends.
func TestBuyerEventIdempotent(t *testing.T) {
	e := newTEnv(t)
	lineID, f := e.acmeLine()
	ctx := context.Background()
	r1, created, err := e.svc.BuyerEvent(ctx, lineID, "evt-1", EvSubmitRequirements, "需求说明", nil)
	if err != nil || !created || r1.Node != models.SupConfirm {
		t.Fatalf("first: %+v %v %v", r1, created, err)
	}
	events := e.count("supervision_events", "flow_ref = ?", f.ID)
	r2, created, err := e.svc.BuyerEvent(ctx, lineID, "evt-1", EvSubmitRequirements, "需求说明", []Upload{pdf("a.pdf")})
	if err != nil || created || r2 != r1 {
		t.Fatalf("repeat: %+v %v %v", r2, created, err)
	}
	if e.count("supervision_events", "flow_ref = ?", f.ID) != events || e.count("supervision_documents", "") != 0 {
		t.Fatal("a repeat recorded something")
	}
	if _, _, err := e.svc.BuyerEvent(ctx, lineID, "evt-1", EvAccept, "", nil); !isConflict(err) {
		t.Fatalf("reused id for another event: %v", err)
	}
	// Not allowed at confirm: the merchant has not delivered.
	if _, _, err := e.svc.BuyerEvent(ctx, lineID, "evt-2", EvAccept, "", nil); !isConflict(err) || IsAppealOpen(err) {
		t.Fatalf("accept at confirm: %v", err)
	}
	if _, _, err := e.svc.BuyerEvent(ctx, "NO-SUCH-LINE", "evt-3", EvAccept, "", nil); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("unknown line: %v", err)
	}
	if _, _, err := e.svc.BuyerEvent(ctx, lineID, "evt-4", "dance", "", nil); fieldErr(err, "event") == "" {
		t.Fatalf("unknown event: %v", err)
	}
}

// An open appeal freezes the flow for both parties, with its own message.
func TestAppealFreezesBothParties(t *testing.T) {
	e := newTEnv(t)
	lineID, f := e.acmeLine()
	e.toDelivery(lineID, f.ID)
	e.act(e.acme, f.ID, MerchantInput{Action: models.SupDeliver, Files: []Upload{pdf("交付.pdf")}})
	e.mustBuyer(lineID, EvReject, "功能与需求不符，缺少报表模块")
	if g := e.flow(f.ID); g.Node != models.SupDelivery || g.RejectCount != 1 {
		t.Fatalf("after reject: %s %d", g.Node, g.RejectCount)
	}
	ctx := context.Background()
	a, err := e.svc.Appeal(ctx, e.acme, f.ID, AppealInput{Reason: "已按需求交付，客户拒绝验收", Outcome: models.SupOutcomeAccept,
		Files: []Upload{pdf("证据.pdf")}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Act(ctx, e.acme, f.ID, MerchantInput{Action: models.SupDeliver, Files: []Upload{pdf("x.pdf")}}); !IsAppealOpen(err) {
		t.Fatalf("merchant while open: %v", err)
	}
	if _, err := e.buyerEv(lineID, EvAccept, ""); !IsAppealOpen(err) {
		t.Fatalf("buyer while open: %v", err)
	}
	if _, err := e.svc.Appeal(ctx, e.buyer, f.ID, AppealInput{Reason: "商家未交付报表模块"}); !IsAppealOpen(err) {
		t.Fatalf("second appeal: %v", err)
	}
	if e.count("supervision_documents", "kind = 'evidence'") != 1 {
		t.Fatal("evidence not stored (or a refused action's file kept)")
	}
	if err := e.svc.Rule(ctx, e.acme, a.ID, models.SupRuleAccept, "证据充分，判定验收"); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("merchant ruling: %v", err)
	}
	if err := e.svc.Rule(ctx, e.ops, a.ID, models.SupRuleAccept, "证据充分，判定验收"); err != nil {
		t.Fatal(err)
	}
	g := e.flow(f.ID)
	if g.Node != models.SupDone || g.Appeal != models.SupAppealRuled || g.PausedAt != nil {
		t.Fatalf("after ruling: %s %s", g.Node, g.Appeal)
	}
	if e.count("orders", "id = ? AND status = 'completed'", f.OrderRef) != 1 {
		t.Fatal("order not completed")
	}
	if err := e.svc.Rule(ctx, e.ops, a.ID, models.SupRuleDismiss, "重复提交的裁决请求"); !isConflict(err) {
		t.Fatalf("ruled twice: %v", err)
	}
	if e.count("notifications", "type_code = 501 AND msg_id = 'supervision.notify.ruled'") != 1 {
		t.Fatal("ruling not notified")
	}
}

// An appeal pauses every running timer; a dismissal resumes each with
// exactly the time it had left, however long the appeal took.
func TestAppealPausesAndResumesExactly(t *testing.T) {
	e := newTEnv(t)
	lineID, f := e.acmeLine()
	e.toDelivery(lineID, f.ID)
	slaDue := *e.flow(f.ID).SLADueAt
	warnDue := *e.flow(f.ID).WarnDueAt
	e.clock.Advance(3*24*time.Hour + 17*time.Minute + 5*time.Second)
	ctx := context.Background()
	a, err := e.svc.Appeal(ctx, e.buyer, f.ID, AppealInput{Reason: "商家长时间未开始实施"})
	if err != nil {
		t.Fatal(err)
	}
	paused := e.flow(f.ID)
	leftSLA := slaDue.Sub(e.clock.Now())
	if paused.SLADueAt != nil || paused.SLALeftS == nil || time.Duration(*paused.SLALeftS)*time.Second != leftSLA {
		t.Fatalf("paused: due %v left %v, want left %v", paused.SLADueAt, paused.SLALeftS, leftSLA)
	}
	// Nothing fires while paused, even long after the original instant.
	e.clock.Advance(40 * 24 * time.Hour)
	e.sweep() // fires the appeal's own warning and escalation only
	if e.flow(f.ID).SLAOverdueAt != nil || e.count("supervision_events", "kind IN ('sla_overdue', 'long_running')") != 0 {
		t.Fatal("a paused timer fired")
	}
	if err := e.svc.Rule(ctx, e.ops, a.ID, models.SupRuleDismiss, "商家在SLA内，驳回申诉"); err != nil {
		t.Fatal(err)
	}
	g := e.flow(f.ID)
	now := e.clock.Now()
	if g.Node != models.SupDelivery || g.SLADueAt == nil || !g.SLADueAt.Equal(now.Add(leftSLA)) {
		t.Fatalf("resumed SLA %v, want %v", g.SLADueAt, now.Add(leftSLA))
	}
	if !g.WarnDueAt.Equal(now.Add(warnDue.Sub(paused.UpdatedAt))) {
		t.Fatalf("resumed warning %v", g.WarnDueAt)
	}
	var seen bool
	for _, tm := range e.q.Timers() {
		seen = seen || (tm.ID == f.ID && tm.Kind == TimerSLA && tm.At.Equal(*g.SLADueAt))
	}
	if !seen {
		t.Fatal("resumed SLA timer not scheduled")
	}
}

// 3 working days on the mainland calendar: filed the day before National
// Day 2026 (1–7 October off, Saturday 10 October a make-up workday), the
// ruling is due on that Saturday; the warning at 80 % of the working time.
func TestRulingDeadlineAcrossNationalDay(t *testing.T) {
	e := newTEnv(t)
	e.clock.Set(time.Date(2026, 9, 30, 2, 0, 0, 0, time.UTC)) // Wednesday 10:00 Beijing
	_, f := e.acmeLine()
	a, err := e.svc.Appeal(context.Background(), e.acme, f.ID, AppealInput{Reason: "客户迟迟不提交需求"})
	if err != nil {
		t.Fatal(err)
	}
	wantDue := time.Date(2026, 10, 10, 2, 0, 0, 0, time.UTC)
	wantWarn := time.Date(2026, 10, 9, 11, 36, 0, 0, time.UTC) // Friday 19:36 Beijing
	if !a.DueAt.Equal(wantDue) || !a.WarnAt.Equal(wantWarn) {
		t.Fatalf("due %v warn %v, want %v and %v", a.DueAt, a.WarnAt, wantDue, wantWarn)
	}
	e.clock.Set(wantWarn.Add(-time.Second))
	if w := e.fire(a.ID, TimerAppealWarn); w != time.Second {
		t.Fatalf("early warning waits %v", w)
	}
	e.clock.Set(wantDue)
	if n := e.sweep(); n != 2 {
		t.Fatalf("sweep fired %d, want warning and escalation", n)
	}
	var got models.SupAppealRow
	e.db.Gorm.Take(&got, a.ID)
	if got.WarnedAt == nil || got.EscalatedAt == nil || e.sweep() != 0 {
		t.Fatalf("marks: %v %v", got.WarnedAt, got.EscalatedAt)
	}
	q, err := e.svc.AppealQueue(context.Background(), e.ops)
	if err != nil || len(q) != 1 || q[0].Left != 0 {
		t.Fatalf("queue: %+v %v", q, err)
	}
}

// Overdue against 交付SLA: flagged once and notified.
func TestSLAOverdue(t *testing.T) {
	e := newTEnv(t)
	lineID, f := e.acmeLine()
	e.toDelivery(lineID, f.ID)
	due := *e.flow(f.ID).SLADueAt
	e.clock.Set(due.Add(-time.Minute))
	if e.sweep() != 0 || e.fire(f.ID, TimerSLA) != time.Minute {
		t.Fatal("fired early")
	}
	e.clock.Set(due)
	if e.sweep() != 1 || e.sweep() != 0 {
		t.Fatal("SLA not fired exactly once")
	}
	g := e.flow(f.ID)
	if g.SLAOverdueAt == nil || g.SLADueAt != nil || !g.Overdue() {
		t.Fatalf("not flagged: %+v", g)
	}
	if e.count("notifications", "type_code = 501 AND msg_id = 'supervision.notify.sla_overdue'") != 1 {
		t.Fatal("not notified")
	}
}

func hardwareEnv(t *testing.T) (*tenv, string, *models.SupFlow) {
	e := newTEnv(t)
	e.exec(`INSERT INTO supervision_settings (product_ref, merchant_id, variant, sla_days, acceptance_mode, updated_at)
		SELECT id, merchant_id, 'hardware', 15, 'auto', '2026-01-01 00:00:00+00:00' FROM products WHERE product_id = '00301-100004-0--0'`)
	lineID, f := e.line("acme", "00301-100004-0--0", "c-acme-1")
	e.toDelivery(lineID, f.ID)
	if err := e.svc.Act(context.Background(), e.acme, f.ID, MerchantInput{Action: models.SupDeliver,
		Files: []Upload{pdf("x.pdf")}}); !isConflict(err) {
		t.Fatalf("document delivery of hardware: %v", err)
	}
	e.act(e.acme, f.ID, MerchantInput{Action: models.SupShip, Carrier: "顺丰", TrackingNo: "SF1234567890"})
	return e, lineID, f
}

// Hardware: 10 days after the parcel was signed for, accepted automatically.
func TestHardwareAutoAccept(t *testing.T) {
	e, lineID, f := hardwareEnv(t)
	e.clock.Advance(2 * time.Hour)
	e.mustBuyer(lineID, EvParcelSigned, "")
	due := e.clock.Now().Add(10 * 24 * time.Hour)
	if g := e.flow(f.ID); g.AcceptDueAt == nil || !g.AcceptDueAt.Equal(due) || g.Node != models.SupAcceptance {
		t.Fatalf("accept due %v, want %v", g.AcceptDueAt, due)
	}
	e.clock.Set(due.Add(-time.Second))
	if e.fire(f.ID, TimerAccept) != time.Second {
		t.Fatal("accepted early")
	}
	e.clock.Set(due)
	if e.sweep() != 1 {
		t.Fatal("not accepted at 10 days")
	}
	if g := e.flow(f.ID); g.Node != models.SupDone {
		t.Fatalf("node %s", g.Node)
	}
	if e.count("supervision_events", "flow_ref = ? AND kind = 'auto_accepted' AND party = 'system'", f.ID) != 1 {
		t.Fatal("no system acceptance event")
	}
}

// A recipient phone that did not match the tracking data: no automatic
// acceptance, however long the buyer waits.
func TestHardwarePhoneMismatch(t *testing.T) {
	e, _, f := hardwareEnv(t)
	e.act(e.acme, f.ID, MerchantInput{Action: models.SupParcelSigned, PhoneMismatch: true})
	if g := e.flow(f.ID); g.AcceptDueAt != nil || !g.PhoneMismatch {
		t.Fatalf("armed despite mismatch: %v", g.AcceptDueAt)
	}
	e.clock.Advance(30 * 24 * time.Hour)
	e.sweep()
	if g := e.flow(f.ID); g.Node != models.SupAcceptance {
		t.Fatalf("node %s", g.Node)
	}
}

// 180 days unaccepted, then weekly: each warning once, to the merchant (501).
func TestLongRunningWeeklyWarnings(t *testing.T) {
	e := newTEnv(t)
	_, f := e.acmeLine()
	e.clock.Set(t0.Add(days(180) - time.Second))
	if e.sweep() != 0 {
		t.Fatal("warned before 180 days")
	}
	e.clock.Set(t0.Add(days(180)))
	if e.sweep() != 1 || e.sweep() != 0 {
		t.Fatal("first warning not exactly once")
	}
	e.clock.Set(t0.Add(days(187) - time.Second))
	if e.sweep() != 0 {
		t.Fatal("second warning early")
	}
	e.clock.Set(t0.Add(days(187)))
	e.sweep()
	g := e.flow(f.ID)
	if g.WarnedCount != 2 || !g.WarnDueAt.Equal(t0.Add(days(194))) {
		t.Fatalf("warned %d next %v", g.WarnedCount, g.WarnDueAt)
	}
	if e.count("notifications", "type_code = 501 AND msg_id = 'supervision.notify.long_running'") != 2 {
		t.Fatal("warnings not notified")
	}
	// The old rule is off by default: at 365 days nothing closes.
	e.clock.Set(t0.Add(days(366)))
	e.sweep()
	if e.flow(f.ID).Node != models.SupRequirements {
		t.Fatal("closed without the old rule")
	}
	if e.count("notifications", "type_code = 901 AND msg_id = 'supervision.notify.summary'") == 0 {
		t.Fatal("no weekly summary")
	}
}

// The old rule, switched on: a line without an invoice is unsubscribed and
// its instance released through the core.
func TestOldRuleUnsubscribes(t *testing.T) {
	e := newTEnv(t)
	_, f := e.acmeLine()
	if err := e.svc.SetPolicy(context.Background(), e.ops, PolicyInput{OldRuleEnabled: true}); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(t0.Add(days(365)))
	e.sweep()
	if g := e.flow(f.ID); g.Node != models.SupClosed {
		t.Fatalf("node %s", g.Node)
	}
	if e.count("order_lines", "id = ? AND status = 'unsubscribed'", f.LineRef) != 1 ||
		e.count("calls", "activity = 'releaseInstance'") != 1 {
		t.Fatal("line not unsubscribed or instance not released")
	}
	if e.count("notifications", "type_code = 101 AND msg_id = 'supervision.notify.old_rule_unsubscribed'") != 1 {
		t.Fatal("not notified")
	}
}

// A merchant never reaches another merchant's flow, documents or appeals;
// a buyer only its own.
func TestTenancy(t *testing.T) {
	e := newTEnv(t)
	lineID, f := e.acmeLine()
	e.mustBuyer(lineID, EvSubmitRequirements, "需求", pdf("需求.pdf"))
	_, g := e.line("globex", "00302-200003-0--0", "c-globex-1")
	ctx := context.Background()
	if err := e.svc.Act(ctx, e.globex, f.ID, MerchantInput{Action: models.SupConfirmReq}); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("globex acts on acme: %v", err)
	}
	if _, err := e.svc.Appeal(ctx, e.globex, f.ID, AppealInput{Reason: "不相干的申诉"}); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("globex appeals acme: %v", err)
	}
	if _, err := e.svc.Detail(ctx, e.globex, f.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("globex reads acme: %v", err)
	}
	var doc models.SupDocument
	e.db.Gorm.Where("flow_ref = ?", f.ID).Take(&doc)
	if _, _, err := e.svc.OpenDocument(ctx, e.globex, doc.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("globex opens acme's document: %v", err)
	}
	if _, _, err := e.svc.OpenDocument(ctx, e.acme, doc.ID); err != nil {
		t.Fatalf("acme opens its document: %v", err)
	}
	p, err := e.svc.List(ctx, e.globex, Filter{})
	if err != nil || len(p.Rows) != 1 || p.Rows[0].ID != g.ID {
		t.Fatalf("globex list: %+v %v", p.Rows, err)
	}
	if _, err := e.svc.Detail(ctx, e.buyer, g.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("buyer reads another customer's flow: %v", err)
	}
	if d, err := e.svc.Detail(ctx, e.buyer, f.ID); err != nil || len(d.Documents) != 1 {
		t.Fatalf("buyer reads its flow: %v", err)
	}
	a, err := e.svc.Appeal(ctx, e.acme, f.ID, AppealInput{Reason: "客户需求超出范围"})
	if err != nil {
		t.Fatal(err)
	}
	if q, err := e.svc.AppealQueue(ctx, e.globex); !errors.Is(err, models.ErrForbidden) || len(q) != 0 {
		t.Fatalf("globex sees the queue: %v", err)
	}
	if d, err := e.svc.Detail(ctx, e.ops, f.ID); err != nil || d.Appeal == nil || d.Appeal.ID != a.ID {
		t.Fatalf("ops detail: %v", err)
	}
	ro := e.actor("ro@acme.test")
	if err := e.svc.Act(ctx, ro, f.ID, MerchantInput{Action: models.SupConfirmReq}); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("read-only acts: %v", err)
	}
	if d, err := e.svc.Detail(ctx, ro, f.ID); err != nil || len(d.Actions) != 0 || d.CanAppeal {
		t.Fatalf("read-only detail: %+v %v", d, err)
	}
}

// Uploads: type by extension and bytes, 10 MiB each; nothing refused stays.
// The marketplace's events name the field as their JSON does: documents.
func TestUploadLimits(t *testing.T) {
	e := newTEnv(t)
	lineID, _ := e.acmeLine()
	exe := Upload{Name: "需求.pdf", R: bytesOf("MZ\x90\x00 not a pdf")}
	if _, err := e.buyerEv(lineID, EvSubmitRequirements, "需求", exe); fieldErr(err, "documents") != "supervision.err.file_type" {
		t.Fatalf("renamed executable: %v", err)
	}
	big := Upload{Name: "big.txt", R: bytesOf(repeat('a', DefaultMaxFile+1))}
	if _, err := e.buyerEv(lineID, EvSubmitRequirements, "需求", big); fieldErr(err, "documents") != "supervision.err.too_large" {
		t.Fatalf("oversized: %v", err)
	}
	ole := Upload{Name: "需求.doc", R: bytesOf("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 word 97")}
	if _, err := e.buyerEv(lineID, EvSubmitRequirements, "需求", ole); err != nil {
		t.Fatalf("a .doc: %v", err)
	}
	if n := countFiles(t, e.svc.Dir()); n != 1 {
		t.Fatalf("%d files on disk, want 1", n)
	}
}
