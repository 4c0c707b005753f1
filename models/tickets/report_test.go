package tickets

import (
	"context"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
)

func TestReportFirstResponseTimesAndBreachRates(t *testing.T) {
	e := newTEnv(t, Config{})
	ctx := context.Background()
	// Last week: one ticket answered in 5 minutes.
	e.clock.Set(sh(-7, 10, 0, 0))
	old := e.open("TK-OLD", time.Time{})
	e.clock.Set(sh(-7, 10, 5, 0))
	e.reply(old, e.owner)
	// This week, one after the other: answered in 2, 4 (staff), 6 (owner)
	// and 20 minutes (staff, late); one breached unanswered (assigned to
	// staff); one still running.
	start := sh(0, 10, 0, 0)
	for i, c := range []struct {
		took time.Duration
		by   models.Actor
	}{{2 * time.Minute, e.staff}, {4 * time.Minute, e.staff}, {6 * time.Minute, e.owner}, {20 * time.Minute, e.staff}} {
		e.clock.Set(start)
		tk := e.open("TK-"+string(rune('A'+i)), time.Time{})
		start = start.Add(c.took)
		e.clock.Set(start)
		e.reply(tk, c.by)
	}
	unanswered := e.open("TK-E", time.Time{}) // at 10:32
	if err := e.svc.Assign(ctx, e.owner, unanswered.ID, e.staff.UserID); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(start.Add(15 * time.Minute))
	if r := e.sweep(); r.Breached != 1 {
		t.Fatalf("sweep %+v", r)
	}
	e.open("TK-F", time.Time{})
	e.clock.Advance(3 * time.Minute)

	rep, err := e.svc.Report(ctx, e.owner, shanghai)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Weeks) != ReportWeeks || !rep.Weeks[ReportWeeks-1].Week.Equal(time.Date(2026, 11, 23, 0, 0, 0, 0, shanghai)) ||
		!rep.Weeks[ReportWeeks-2].Week.Equal(time.Date(2026, 11, 16, 0, 0, 0, 0, shanghai)) {
		t.Fatalf("weeks from %v", rep.From)
	}
	this, last := rep.Weeks[ReportWeeks-1], rep.Weeks[ReportWeeks-2]
	if this.Clocks != 6 || this.Answered != 4 || this.Breached != 2 || this.Decided() != 5 ||
		this.Median != 4*time.Minute || this.P90 != 20*time.Minute || this.BreachRate() != 0.4 {
		t.Fatalf("this week %+v rate %v", this, this.BreachRate())
	}
	if last.Clocks != 1 || last.Answered != 1 || last.Median != 5*time.Minute || last.BreachRate() != 0 {
		t.Fatalf("last week %+v", last)
	}
	if rep.Total.Clocks != 7 || rep.Total.Answered != 5 || rep.Total.Median != 5*time.Minute {
		t.Fatalf("total %+v", rep.Total)
	}
	if len(rep.Staff) != 2 {
		t.Fatalf("staff rows %+v", rep.Staff)
	}
	staff, owner := rep.Staff[0], rep.Staff[1]
	if staff.Label != "王运营" || staff.Clocks != 4 || staff.Answered != 3 || staff.Breached != 2 || staff.Unanswered != 1 ||
		staff.Median != 4*time.Minute || staff.BreachRate() != 0.5 {
		t.Fatalf("staff %+v", staff)
	}
	if owner.Label != "Acme 管理员" || owner.Answered != 2 || owner.Median != 5*time.Minute || owner.P90 != 6*time.Minute || owner.Breached != 0 {
		t.Fatalf("owner %+v", owner)
	}
	if _, err := e.svc.Report(ctx, e.buyer, shanghai); err == nil {
		t.Fatal("a buyer read the report")
	}
	other, err := e.svc.Report(ctx, e.other, shanghai)
	if err != nil || other.Total.Clocks != 0 {
		t.Fatalf("globex's report counts acme's clocks: %+v", other.Total)
	}
}

func (e *tenv) reply(tk *models.Ticket, by models.Actor) {
	e.t.Helper()
	if err := e.svc.Reply(context.Background(), by, tk.ID, ReplyInput{Kind: models.TicketMsgReply, Body: "您好"}); err != nil {
		e.t.Fatal(err)
	}
}
