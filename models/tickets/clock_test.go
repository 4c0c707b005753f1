package tickets

import (
	"context"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
)

func TestWarningAndBreachFireOnceAtTheirInstant(t *testing.T) {
	e := newTEnv(t, Config{})
	tk := e.open("TK-1", time.Time{}) // Monday 10:00, reception open
	if !at(tk.WarnAt).Equal(sh(0, 10, 12, 0)) || !at(tk.DueAt).Equal(sh(0, 10, 15, 0)) {
		t.Fatalf("warn %v due %v, want 10:12 and 10:15 Shanghai", tk.WarnAt, tk.DueAt)
	}
	steps := []struct {
		now              time.Time
		warned, breached int
	}{
		{sh(0, 10, 11, 59), 0, 0},
		{sh(0, 10, 12, 0), 1, 0},
		{sh(0, 10, 12, 0), 0, 0},
		{sh(0, 10, 14, 59), 0, 0},
		{sh(0, 10, 15, 0), 0, 1},
		{sh(0, 10, 15, 0), 0, 0},
		{sh(0, 11, 0, 0), 0, 0},
	}
	for _, st := range steps {
		e.clock.Set(st.now)
		if r := e.sweep(); r.Warned != st.warned || r.Breached != st.breached {
			t.Fatalf("at %s: %+v, want warned %d breached %d", st.now.In(shanghai).Format("15:04:05"), r, st.warned, st.breached)
		}
	}
	if n := e.count("notifications", "merchant_id = ? AND type_code = 501", e.acme); n != 2 {
		t.Fatalf("%d in-app notifications, want 2 (warning, breach)", n)
	}
	if n := e.count("notifications", "msg_id = 'tickets.notify.warning'"); n != 1 {
		t.Fatalf("%d warnings", n)
	}
	// Unassigned: the SMS goes to Acme's owner, once per alert.
	owner := e.owner.UserID
	if n := e.count("notification_channel_messages", "channel = 'sms' AND status = 'pending' AND recipient_user_id = ? AND notification_ref IS NOT NULL", owner); n != 2 {
		t.Fatalf("%d SMS rows for the owner, want 2", n)
	}
	if n := e.count("ticket_events", "kind IN ('warned', 'breached')"); n != 2 {
		t.Fatalf("%d fired events", n)
	}
	tk = e.ticket("TK-1")
	if !at(tk.WarnedAt).Equal(sh(0, 10, 12, 0)) || !at(tk.BreachedAt).Equal(sh(0, 10, 15, 0)) || tk.NextAlertAt != nil {
		t.Fatalf("markers warned %v breached %v next %v", tk.WarnedAt, tk.BreachedAt, tk.NextAlertAt)
	}
}

func TestAnAssignedTicketAlertsItsAssignee(t *testing.T) {
	e := newTEnv(t, Config{})
	tk := e.open("TK-1", time.Time{})
	if err := e.svc.Assign(context.Background(), e.owner, tk.ID, e.staff.UserID); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(sh(0, 10, 12, 0))
	e.sweep()
	if n := e.count("notification_channel_messages", "recipient_user_id = ?", e.staff.UserID); n != 1 {
		t.Fatalf("assignee got %d SMS rows", n)
	}
	if n := e.count("notification_channel_messages", "recipient_user_id <> ?", e.staff.UserID); n != 0 {
		t.Fatalf("%d SMS rows to others", n)
	}
}

func TestTheClockCountsReceptionTimeOnly(t *testing.T) {
	e := newTEnv(t, Config{})
	cases := []struct {
		name      string
		created   time.Time
		now       time.Time
		warn, due time.Time
	}{
		// Before the lunch break: 10 minutes before it, the rest after it.
		{"lunch", sh(0, 11, 50, 0), sh(0, 11, 50, 0), sh(0, 13, 32, 0), sh(0, 13, 35, 0)},
		// In the evening: the clock starts at the next opening.
		{"night", sh(0, 19, 0, 0), sh(0, 19, 0, 0), sh(1, 9, 12, 0), sh(1, 9, 15, 0)},
		// Friday at closing: Monday morning.
		{"weekend", sh(4, 18, 30, 0), sh(4, 18, 30, 0), sh(7, 9, 12, 0), sh(7, 9, 15, 0)},
		// Created at the exact opening.
		{"opening", sh(1, 9, 0, 0), sh(1, 9, 0, 0), sh(1, 9, 12, 0), sh(1, 9, 15, 0)},
		// Opened on the marketplace two hours ago, handed over now: the
		// clock started when the buyer opened it and is long breached.
		{"late", sh(1, 10, 0, 0), sh(1, 12, 0, 0), sh(1, 10, 12, 0), sh(1, 10, 15, 0)},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.clock.Set(c.now)
			created := c.created
			if created.Equal(c.now) {
				created = time.Time{}
			}
			tk := e.open("TK-C"+string(rune('0'+i)), created)
			if !at(tk.WarnAt).Equal(c.warn) || !at(tk.DueAt).Equal(c.due) {
				t.Fatalf("warn %s due %s, want %s %s", at(tk.WarnAt).In(shanghai), at(tk.DueAt).In(shanghai),
					c.warn.In(shanghai), c.due.In(shanghai))
			}
		})
	}
}

func TestATicketHandedOverLateBreachesAtOnce(t *testing.T) {
	e := newTEnv(t, Config{})
	e.clock.Set(sh(1, 12, 0, 0))
	e.open("TK-LATE", sh(1, 10, 0, 0))
	// Its warning was overtaken by the breach: marked, but only the breach
	// is sent.
	if r := e.sweep(); r.Breached != 1 || r.Warned != 0 {
		t.Fatalf("sweep of the late ticket: %+v", r)
	}
	if n := e.count("notifications", ""); n != 1 {
		t.Fatalf("%d notifications for the late ticket", n)
	}
	if tk := e.ticket("TK-LATE"); tk.WarnedAt == nil || tk.BreachedAt == nil || tk.NextAlertAt != nil {
		t.Fatalf("markers: %+v", tk)
	}
}

func TestWaitingOnTheBuyerPausesTheClock(t *testing.T) {
	e := newTEnv(t, Config{})
	ctx := context.Background()
	tk := e.open("TK-1", time.Time{}) // due 10:15
	e.clock.Set(sh(0, 10, 5, 0))
	for _, a := range []models.TicketAction{models.TicketStart, models.TicketAskConfirm} {
		if err := e.svc.Act(ctx, e.staff, tk.ID, a); err != nil {
			t.Fatal(a, err)
		}
	}
	tk = e.ticket("TK-1")
	if tk.State != models.TicketAwaiting || tk.DueAt != nil || tk.NextAlertAt != nil {
		t.Fatalf("paused: state %s due %v next %v", tk.State, tk.DueAt, tk.NextAlertAt)
	}
	e.clock.Set(sh(0, 10, 20, 0))
	if r := e.sweep(); r != (SweepResult{}) {
		t.Fatalf("a paused clock fired: %+v", r)
	}
	// The buyer answers at 10:30 before any reply: the same clock resumes,
	// shifted by the 25 minutes it waited.
	e.clock.Set(sh(0, 10, 30, 0))
	if err := e.svc.BuyerWrite(ctx, e.buyer, tk.ID, "补充：账号是 zhangsan。", false); err != nil {
		t.Fatal(err)
	}
	tk = e.ticket("TK-1")
	if tk.State != models.TicketProcessing || tk.Round != 1 {
		t.Fatalf("after the buyer's answer: %s round %d", tk.State, tk.Round)
	}
	if !at(tk.WarnAt).Equal(sh(0, 10, 37, 0)) || !at(tk.DueAt).Equal(sh(0, 10, 40, 0)) {
		t.Fatalf("resumed warn %s due %s, want 10:37 and 10:40", at(tk.WarnAt).In(shanghai), at(tk.DueAt).In(shanghai))
	}
	e.clock.Set(sh(0, 10, 36, 59))
	if r := e.sweep(); r.Warned != 0 {
		t.Fatal("warned before the shifted instant")
	}
	e.clock.Set(sh(0, 10, 37, 0))
	if r := e.sweep(); r.Warned != 1 {
		t.Fatal("no warning at the shifted instant")
	}
}

func TestAPublicReplyStopsTheClockAnInternalNoteDoesNot(t *testing.T) {
	e := newTEnv(t, Config{})
	ctx := context.Background()
	tk := e.open("TK-1", time.Time{})
	e.clock.Set(sh(0, 10, 4, 0))
	if err := e.svc.Reply(ctx, e.staff, tk.ID, ReplyInput{Kind: models.TicketMsgNote, Body: "先查一下日志"}); err != nil {
		t.Fatal(err)
	}
	tk = e.ticket("TK-1")
	if tk.FirstResponseAt != nil || !at(tk.NextAlertAt).Equal(sh(0, 10, 12, 0)) || tk.State != models.TicketPending {
		t.Fatalf("after a note: first response %v next %v state %s", tk.FirstResponseAt, tk.NextAlertAt, tk.State)
	}
	e.clock.Set(sh(0, 10, 6, 0))
	if err := e.svc.Reply(ctx, e.staff, tk.ID, ReplyInput{Kind: models.TicketMsgReply, Body: "您好，已为您重置密码。"}); err != nil {
		t.Fatal(err)
	}
	tk = e.ticket("TK-1")
	if !at(tk.FirstResponseAt).Equal(sh(0, 10, 6, 0)) || tk.NextAlertAt != nil || tk.State != models.TicketProcessing ||
		tk.FirstResponseS == nil || *tk.FirstResponseS != 360 || tk.FirstResponseBy == nil || *tk.FirstResponseBy != e.staff.UserID {
		t.Fatalf("after a reply: %+v", tk)
	}
	e.clock.Set(sh(0, 11, 0, 0))
	if r := e.sweep(); r != (SweepResult{}) {
		t.Fatalf("a stopped clock fired: %+v", r)
	}
	if c := ClockOf(tk, acmeHours(t), e.clock.Now()); c.Status != models.ClockMet || c.Response != 6*time.Minute {
		t.Fatalf("clock shows %+v", c)
	}
	// A second reply is just a message.
	if err := e.svc.Reply(ctx, e.owner, tk.ID, ReplyInput{Kind: models.TicketMsgReply, Body: "还有问题请随时联系。"}); err != nil {
		t.Fatal(err)
	}
	if n := e.count("ticket_events", "kind = 'responded'"); n != 1 {
		t.Fatalf("%d responded events", n)
	}
}

func TestAReplyAfterTheDeadlineRecordsTheBreachWithoutAlerting(t *testing.T) {
	e := newTEnv(t, Config{})
	tk := e.open("TK-1", time.Time{})
	e.clock.Set(sh(0, 10, 20, 0)) // nobody swept since creation
	if err := e.svc.Reply(context.Background(), e.staff, tk.ID, ReplyInput{Kind: models.TicketMsgReply, Body: "抱歉久等。"}); err != nil {
		t.Fatal(err)
	}
	tk = e.ticket("TK-1")
	if tk.BreachedAt == nil || e.count("ticket_events", "kind = 'responded' AND breached = 1 AND elapsed_sec = 1200") != 1 {
		t.Fatalf("late reply not recorded as a breach: %+v", tk)
	}
	if r := e.sweep(); r != (SweepResult{}) || e.count("notifications", "") != 0 {
		t.Fatalf("alerts after the answer: %+v", r)
	}
	if c := ClockOf(tk, acmeHours(t), e.clock.Now()); c.Status != models.ClockLate {
		t.Fatalf("clock %s", c.Status)
	}
}

func TestAReopenedTicketGetsANewClock(t *testing.T) {
	e := newTEnv(t, Config{})
	ctx := context.Background()
	tk := e.open("TK-1", time.Time{})
	e.clock.Set(sh(0, 10, 14, 0))
	if err := e.svc.Reply(ctx, e.staff, tk.ID, ReplyInput{Kind: models.TicketMsgReply, Body: "已处理。"}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Act(ctx, e.staff, tk.ID, models.TicketAskConfirm); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.BuyerAct(ctx, e.buyer, tk.ID, models.TicketConfirm); err != nil {
		t.Fatal(err)
	}
	if tk = e.ticket("TK-1"); tk.State != models.TicketDone || tk.ClosedAt == nil {
		t.Fatalf("confirmed: %s", tk.State)
	}
	// After lunch the buyer reopens it: round 2 starts at 14:00.
	e.clock.Set(sh(0, 14, 0, 0))
	if err := e.svc.BuyerWrite(ctx, e.buyer, tk.ID, "问题又出现了。", true); err != nil {
		t.Fatal(err)
	}
	tk = e.ticket("TK-1")
	if tk.State != models.TicketPending || tk.Round != 2 || tk.FirstResponseAt != nil || tk.ClosedAt != nil ||
		!at(tk.DueAt).Equal(sh(0, 14, 15, 0)) || !at(tk.NextAlertAt).Equal(sh(0, 14, 12, 0)) {
		t.Fatalf("reopened: %+v", tk)
	}
	e.clock.Set(sh(0, 14, 15, 0))
	if r := e.sweep(); r.Breached != 1 {
		t.Fatalf("round 2 did not breach: %+v", r)
	}
	// Answered, asked to confirm, and the buyer writes again instead: a new
	// question, a third clock.
	e.clock.Set(sh(0, 14, 20, 0))
	if err := e.svc.Reply(ctx, e.staff, tk.ID, ReplyInput{Kind: models.TicketMsgReply, Body: "请再试一次。"}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Act(ctx, e.staff, tk.ID, models.TicketAskConfirm); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(sh(0, 15, 0, 0))
	if err := e.svc.BuyerWrite(ctx, e.buyer, tk.ID, "还是不行。", false); err != nil {
		t.Fatal(err)
	}
	tk = e.ticket("TK-1")
	if tk.State != models.TicketProcessing || tk.Round != 3 || tk.BreachedAt != nil || !at(tk.DueAt).Equal(sh(0, 15, 15, 0)) {
		t.Fatalf("third clock: %+v", tk)
	}
	if n := e.count("ticket_events", "kind = 'clock_started'"); n != 3 {
		t.Fatalf("%d clocks started", n)
	}
}

func TestReceptionChangesRecomputeOpenDeadlines(t *testing.T) {
	e := newTEnv(t, Config{})
	ctx := context.Background()
	open := e.open("TK-OPEN", time.Time{}) // due 10:15
	answered := e.open("TK-ANSWERED", time.Time{})
	if err := e.svc.Reply(ctx, e.staff, answered.ID, ReplyInput{Kind: models.TicketMsgReply, Body: "好的"}); err != nil {
		t.Fatal(err)
	}
	answered = e.ticket("TK-ANSWERED")
	// The merchant now opens only from 10:10: the open clock has run 0
	// minutes of the new hours, so it is due at 10:25.
	e.clock.Set(sh(0, 10, 1, 0))
	var w = acmeHours(t).Week()
	for d := time.Monday; d <= time.Friday; d++ {
		w[d][0].From = 10*60 + 10
	}
	later := mustCal(t, w)
	e.cals.set(e.acme, later)
	var n int
	err := e.db.Gorm.Transaction(func(tx *gormDB) error {
		var err error
		n, err = e.svc.Recompute(tx, e.acme, later)
		return err
	})
	if err != nil || n != 1 {
		t.Fatalf("recomputed %d, %v", n, err)
	}
	got := e.ticket("TK-OPEN")
	if !at(got.DueAt).Equal(sh(0, 10, 25, 0)) || !at(got.NextAlertAt).Equal(sh(0, 10, 22, 0)) {
		t.Fatalf("recomputed due %s next %s", at(got.DueAt).In(shanghai), at(got.NextAlertAt).In(shanghai))
	}
	if a := e.ticket("TK-ANSWERED"); !at(a.DueAt).Equal(at(answered.DueAt)) {
		t.Fatal("an answered ticket's deadline moved")
	}
	e.clock.Set(sh(0, 10, 15, 0))
	if r := e.sweep(); r != (SweepResult{}) {
		t.Fatalf("fired on the old deadline: %+v", r)
	}
	// No reception at all: no deadline until there is one again.
	e.cals.set(e.acme, nil)
	if err := e.db.Gorm.Transaction(func(tx *gormDB) error { _, err := e.svc.Recompute(tx, e.acme, nil); return err }); err != nil {
		t.Fatal(err)
	}
	if got := e.ticket("TK-OPEN"); got.DueAt != nil || got.NextAlertAt != nil {
		t.Fatalf("without reception: due %v next %v", got.DueAt, got.NextAlertAt)
	}
	if n := e.count("ticket_events", "kind = 'recomputed' AND ticket_ref = ?", open.ID); n != 2 {
		t.Fatalf("%d recomputed events", n)
	}
}

// A clock that stopped with its alert still set (here behind the service's
// back) fires nothing, and the sweep clears the alert: left due, a full batch
// of such rows would be fetched again by every round of the sweep's loop.
func TestASweepClearsTheDueAlertOfAStoppedClock(t *testing.T) {
	e := newTEnv(t, Config{})
	tk := e.open("TK-1", time.Time{})
	if _, err := e.db.SQL.Exec(`UPDATE tickets SET state = 'done', closed_at = updated_at WHERE id = ?`, tk.ID); err != nil {
		t.Fatal(err)
	}
	// More than a batch of them, so the sweep must get past its first batch.
	if _, err := e.db.SQL.Exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		INSERT INTO tickets (merchant_id, ticket_id, product_ref, buyer_ref, customer_name_enc, title, content, state,
			source, created_at, received_at, updated_at, closed_at, clock_start_at, warn_at, due_at, next_alert_at)
		SELECT merchant_id, 'STOPPED-' || i, product_ref, buyer_ref, customer_name_enc, title, content, state,
			source, created_at, received_at, updated_at, closed_at, clock_start_at, warn_at, due_at, next_alert_at
		FROM tickets, n WHERE id = ?`, sweepBatch, tk.ID); err != nil {
		t.Fatal(err)
	}
	stuck := "next_alert_at IS NOT NULL"
	if n := e.count("tickets", stuck); n != sweepBatch+1 {
		t.Fatalf("%d tickets with an alert set, want %d", n, sweepBatch+1)
	}
	e.clock.Set(sh(0, 11, 0, 0)) // past the warning and the deadline
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r, err := e.svc.Sweep(ctx)
	if err != nil || r != (SweepResult{}) {
		t.Fatalf("sweep: %+v, %v; want nothing fired", r, err)
	}
	if n := e.count("tickets", stuck); n != 0 {
		t.Fatalf("%d stopped clocks still have an alert set", n)
	}
	if tk = e.ticket("TK-1"); tk.NextAlertAt != nil || tk.WarnedAt != nil || tk.BreachedAt != nil {
		t.Fatalf("TK-1: next %v warned %v breached %v", tk.NextAlertAt, tk.WarnedAt, tk.BreachedAt)
	}
	if n := e.count("notifications", ""); n != 0 {
		t.Fatalf("%d notifications for stopped clocks", n)
	}
}
