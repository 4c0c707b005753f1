package demands

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
)

// A pending demand closes exactly 5 natural days after its assignment: a
// second before, neither its job nor the sweep does anything; at the
// deadline the job closes it once, and running it again changes nothing.
func TestAutoCloseExactlyAtFiveDays(t *testing.T) {
	e := newTEnv(t)
	d := e.assign("acme", "私有化部署")
	if want := t0.Add(5 * 24 * time.Hour); !d.DueAt.Equal(want) || d.WindowMode != models.WindowNatural {
		t.Fatalf("due %s (%s), want %s natural", d.DueAt, d.WindowMode, want)
	}
	var closeAt time.Time
	for _, tm := range e.q.Timers() {
		if tm.ID == d.ID && tm.Kind == TimerClose {
			closeAt = tm.At
		}
	}
	if !closeAt.Equal(d.DueAt) {
		t.Fatalf("close timer at %s, want the deadline %s", closeAt, d.DueAt)
	}

	e.clock.Set(d.DueAt.Add(-time.Second))
	if wait := e.fire(d.ID, TimerClose); wait != time.Second {
		t.Fatalf("early job: wait %s, want 1s", wait)
	}
	// Both reminder instants have passed by now (the 1-day one supersedes
	// the 3-day one); the close has not.
	if e.sweep() != 1 {
		t.Fatal("sweep a second before the deadline")
	}
	if got := e.demand(d.ID); got.State != models.DemandPending {
		t.Fatalf("closed a second early: %s", got.State)
	}

	e.clock.Set(d.DueAt)
	if wait := e.fire(d.ID, TimerClose); wait != 0 {
		t.Fatalf("wait %s at the deadline", wait)
	}
	got := e.demand(d.ID)
	if got.State != models.DemandClosed || got.CloseReason != models.DemandClosedTimeout || !got.ClosedAt.Equal(d.DueAt) {
		t.Fatalf("at the deadline: %s/%s at %v", got.State, got.CloseReason, got.ClosedAt)
	}
	events := e.count("demand_events", "demand_id = ?", d.ID)
	notes := e.count("notifications", "msg_id = 'demands.notify.timed_out' AND type_code = 901")
	if notes != 1 || e.count("audit_log", "action = ? AND target_id = ?", models.AuditDemandClosed, d.ID) != 1 {
		t.Fatalf("%d timeout notifications", notes)
	}
	e.clock.Advance(time.Hour)
	e.fire(d.ID, TimerClose)
	e.fire(d.ID, TimerRemind1)
	if e.sweep() != 0 || e.count("demand_events", "demand_id = ?", d.ID) != events ||
		e.count("notifications", "msg_id LIKE 'demands.notify.%' AND link = ?", link(d.ID)) != 3 { // assigned, 1 day left, timed out
		t.Fatal("the timer was not idempotent")
	}
}

// The sweep alone (a job lost) closes an overdue demand, once.
func TestSweepClosesWhatTheJobMissed(t *testing.T) {
	e := newTEnv(t)
	a := e.assign("acme", "A")
	e.clock.Advance(time.Hour)
	b := e.assign("globex", "B")
	e.clock.Set(a.DueAt)
	e.sweep()
	if e.demand(a.ID).State != models.DemandClosed || e.demand(b.ID).State != models.DemandPending {
		t.Fatal("sweep at the first deadline")
	}
	e.clock.Set(b.DueAt.Add(time.Minute))
	if n := e.sweep(); n != 1 || e.demand(b.ID).State != models.DemandClosed {
		t.Fatalf("sweep fired %d", n)
	}
	if e.sweep() != 0 {
		t.Fatal("second sweep fired again")
	}
}

// In working-day mode the window counts working days on the holiday
// calendar: assigned on Wednesday 30 September, the 1–7 October break does
// not count and the make-up Saturday does, so 5 working days end on Tuesday
// 13 October at the same wall time. The change applies to new demands only.
func TestWorkingDayWindowAcrossAHoliday(t *testing.T) {
	e := newTEnv(t)
	at := time.Date(2026, 9, 30, 10, 0, 0, 0, shanghai)
	e.clock.Set(at)
	before := e.assign("acme", "自然日")
	if err := e.svc.SetWindowMode(context.Background(), e.ops(), models.WindowWorking); err != nil {
		t.Fatal(err)
	}
	d := e.assign("acme", "工作日")
	if d.WindowMode != models.WindowWorking || e.demand(before.ID).WindowMode != models.WindowNatural {
		t.Fatal("the setting must apply to demands assigned after the change only")
	}
	want := Window{
		Remind3: time.Date(2026, 10, 9, 10, 0, 0, 0, shanghai),  // 2 working days: 8th, 9th
		Remind1: time.Date(2026, 10, 12, 10, 0, 0, 0, shanghai), // 10th (make-up Sat), 12th
		Due:     time.Date(2026, 10, 13, 10, 0, 0, 0, shanghai),
	}
	if !d.DueAt.Equal(want.Due) || !d.Remind3At.Equal(want.Remind3) || !d.Remind1At.Equal(want.Remind1) {
		t.Fatalf("window %s / %s / %s, want %+v", d.Remind3At.In(shanghai), d.Remind1At.In(shanghai), d.DueAt.In(shanghai), want)
	}
	if !before.DueAt.Equal(at.Add(120 * time.Hour)) {
		t.Fatalf("natural demand due %s", before.DueAt.In(shanghai))
	}
	e.clock.Set(want.Due.Add(-time.Second))
	e.sweep()
	if e.demand(d.ID).State != models.DemandPending {
		t.Fatal("closed before its working-day deadline")
	}
	e.clock.Set(want.Due)
	if e.fire(d.ID, TimerClose) != 0 || e.demand(d.ID).State != models.DemandClosed {
		t.Fatal("not closed at the working-day deadline")
	}
	if e.count("audit_log", "action = ?", models.AuditDemandWindowChanged) != 1 {
		t.Fatal("window change not audited")
	}
}

// Reminders go out at 3 days and at 1 day left, each once, and not to a
// demand that was answered.
func TestRemindersFireOnceAtThreeAndOneDayLeft(t *testing.T) {
	e := newTEnv(t)
	d := e.assign("acme", "提醒")
	answered := e.assign("acme", "已接收")
	if err := e.svc.Accept(context.Background(), e.acme(), answered.ID); err != nil {
		t.Fatal(err)
	}
	reminders := func(days int) int64 {
		return e.count("notifications", "msg_id = 'demands.notify.reminder' AND type_code = 501 AND json_extract(msg_args, '$.Days') = ?", days)
	}
	if !d.Remind3At.Equal(d.DueAt.Add(-72*time.Hour)) || !d.Remind1At.Equal(d.DueAt.Add(-24*time.Hour)) {
		t.Fatalf("reminders at %s and %s for due %s", d.Remind3At, d.Remind1At, d.DueAt)
	}
	e.clock.Set(d.Remind3At.Add(-time.Second))
	if w := e.fire(d.ID, TimerRemind3); w != time.Second || e.sweep() != 0 || reminders(3) != 0 {
		t.Fatalf("3-day reminder a second early (wait %s)", w)
	}
	e.clock.Set(d.Remind3At)
	e.fire(d.ID, TimerRemind3)
	e.fire(d.ID, TimerRemind3)
	e.sweep()
	if reminders(3) != 1 || e.demand(d.ID).Reminded3At == nil {
		t.Fatalf("%d 3-day reminders", reminders(3))
	}
	e.clock.Set(d.Remind1At.Add(-time.Second))
	if e.sweep() != 0 || reminders(1) != 0 {
		t.Fatal("1-day reminder early")
	}
	e.clock.Set(d.Remind1At)
	if e.sweep() != 1 {
		t.Fatal("sweep did not send the 1-day reminder")
	}
	e.fire(d.ID, TimerRemind1)
	if reminders(1) != 1 || reminders(3) != 1 {
		t.Fatalf("reminders: %d×1 day, %d×3 days", reminders(1), reminders(3))
	}
	if n := e.count("notifications", "msg_id = 'demands.notify.reminder' AND link = ?", link(answered.ID)); n != 0 {
		t.Fatalf("an accepted demand got %d reminders", n)
	}
}

// A service that was down past both reminder instants sends only the
// 1-day reminder; the stale 3-day one is marked, not sent.
func TestLateStartSendsOnlyTheLatestReminder(t *testing.T) {
	e := newTEnv(t)
	d := e.assign("acme", "停机")
	e.clock.Set(d.Remind1At.Add(time.Hour))
	e.fire(d.ID, TimerRemind3)
	e.sweep()
	got := e.demand(d.ID)
	if got.Reminded3At == nil || got.Reminded1At == nil {
		t.Fatal("markers not set")
	}
	if n := e.count("notifications", "msg_id = 'demands.notify.reminder'"); n != 1 {
		t.Fatalf("%d reminders sent", n)
	}
}

// A day off added inside an open working-day window moves its deadline
// later (recomputed from the assignment); the job at the old instant waits.
func TestHolidayEditExtendsAnOpenWindow(t *testing.T) {
	e := newTEnv(t)
	if err := e.svc.SetWindowMode(context.Background(), e.ops(), models.WindowWorking); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(time.Date(2026, 11, 23, 10, 0, 0, 0, shanghai)) // Monday
	d := e.assign("acme", "延长")
	if want := time.Date(2026, 11, 30, 10, 0, 0, 0, shanghai); !d.DueAt.Equal(want) {
		t.Fatalf("due %s", d.DueAt.In(shanghai))
	}
	e.hol.replace(withDayOff(goldenWeek(), date("2026-11-26")))
	n := len(e.q.Timers())
	e.clock.Set(d.DueAt)
	if w := e.fire(d.ID, TimerClose); w != 24*time.Hour {
		t.Fatalf("wait %s after the window grew a day", w)
	}
	got := e.demand(d.ID)
	if got.State != models.DemandPending || !got.DueAt.Equal(d.DueAt.Add(24*time.Hour)) {
		t.Fatalf("%s due %s", got.State, got.DueAt.In(shanghai))
	}
	if len(e.q.Timers()) <= n {
		t.Fatal("no timers for the new instants")
	}
}

// The River worker snoozes a job that comes early by the application clock
// and completes one that is due.
func TestTimerWorkerSnoozesWhenEarly(t *testing.T) {
	e := newTEnv(t)
	d := e.assign("acme", "River")
	w := e.svc.TimerWorker()
	job := &river.Job[TimerArgs]{JobRow: &rivertype.JobRow{}, Args: TimerArgs{ID: d.ID, Timer: TimerClose, At: d.DueAt}}
	e.clock.Set(d.DueAt.Add(-time.Minute))
	err := w.Work(context.Background(), job)
	var snooze *rivertype.JobSnoozeError
	if !errors.As(err, &snooze) || snooze.Duration != time.Minute {
		t.Fatalf("early job: %v", err)
	}
	e.clock.Set(d.DueAt)
	if err := w.Work(context.Background(), job); err != nil || e.demand(d.ID).State != models.DemandClosed {
		t.Fatalf("due job: %v, %s", err, e.demand(d.ID).State)
	}
	if err := w.Work(context.Background(), job); err != nil {
		t.Fatalf("repeated job: %v", err)
	}
}

// The calendar's change hook extends open working-day windows at once,
// leaves natural-day ones alone, and never shrinks a window.
func TestExtendOpenOnAHolidayEdit(t *testing.T) {
	e := newTEnv(t)
	ctx := context.Background()
	e.clock.Set(time.Date(2026, 11, 23, 10, 0, 0, 0, shanghai))
	natural := e.assign("acme", "自然日")
	if err := e.svc.SetWindowMode(ctx, e.ops(), models.WindowWorking); err != nil {
		t.Fatal(err)
	}
	working := e.assign("acme", "工作日")
	grown := withDayOff(goldenWeek(), date("2026-11-25"))
	if err := e.db.Gorm.Transaction(func(tx *gorm.DB) error { return e.svc.ExtendOpen(ctx, tx, grown) }); err != nil {
		t.Fatal(err)
	}
	if got := e.demand(working.ID); !got.DueAt.Equal(working.DueAt.Add(24 * time.Hour)) {
		t.Fatalf("working window due %s, want a day later than %s", got.DueAt.In(shanghai), working.DueAt.In(shanghai))
	}
	if got := e.demand(natural.ID); !got.DueAt.Equal(natural.DueAt) {
		t.Fatal("a natural-day window moved")
	}
	// Back to the original calendar: the grown window stays.
	if err := e.db.Gorm.Transaction(func(tx *gorm.DB) error { return e.svc.ExtendOpen(ctx, tx, goldenWeek()) }); err != nil {
		t.Fatal(err)
	}
	if got := e.demand(working.ID); !got.DueAt.Equal(working.DueAt.Add(24 * time.Hour)) {
		t.Fatal("a window shrank")
	}
}

// The hook reads the set through the edit's transaction and extends with it.
func TestHolidaysHookExtendsWithWhatItReads(t *testing.T) {
	e := newTEnv(t)
	ctx := context.Background()
	e.clock.Set(time.Date(2026, 11, 23, 10, 0, 0, 0, shanghai))
	if err := e.svc.SetWindowMode(ctx, e.ops(), models.WindowWorking); err != nil {
		t.Fatal(err)
	}
	d := e.assign("acme", "工作日")
	var readIn *gorm.DB
	hook := e.svc.HolidaysHook(func(tx *gorm.DB) (*bizclock.HolidaySet, error) {
		readIn = tx
		return withDayOff(goldenWeek(), date("2026-11-25")), nil
	})
	var edit *gorm.DB
	if err := e.db.Gorm.Transaction(func(tx *gorm.DB) error { edit = tx; return hook(ctx, tx) }); err != nil {
		t.Fatal(err)
	}
	if readIn != edit {
		t.Fatal("the set was not read through the edit's transaction")
	}
	if got := e.demand(d.ID); !got.DueAt.Equal(d.DueAt.Add(24 * time.Hour)) {
		t.Fatalf("due %s, want a day later than %s", got.DueAt.In(shanghai), d.DueAt.In(shanghai))
	}
}
