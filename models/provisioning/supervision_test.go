package provisioning

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/catalog"
	"github.com/sellercenter/sellercenter/models/supervision"
	"github.com/sellercenter/sellercenter/web/koogallery/sandbox"
)

// The supervising hook on the real create path: an order for a supervised
// product, sent to the reference seller endpoint, starts the line's flow in
// the transaction that records the answer — once, whether the create was
// refused first, crashed after sending, or its job and its order are
// delivered again.
func TestSupervisedCreateStartsOneFlow(t *testing.T) {
	e := newEnv(t, "v1")
	ctx := context.Background()
	e.db.Gorm.Model(&e.product).Update("supervised", true)
	sb, err := sandbox.New(sandbox.Config{Key: merchantKey, DBPath: t.TempDir() + "/sandbox.db", Now: e.clock.Now,
		Faults: sandbox.Faults{FailRate: 1}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb)
	t.Cleanup(func() { srv.Close(); _ = sb.Close() })
	if _, err := e.cat.SetEndpoint(ctx, models.SystemActor("test"), e.acme.ID,
		catalog.EndpointInput{URL: srv.URL + "/produce", Protocol: "v1"}); err != nil {
		t.Fatal(err)
	}
	sup, err := supervision.New(e.db.Gorm, e.clock, nil, supervision.Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	timers := &supervision.TimerLog{}
	sup.SetQueue(timers)
	sup.SetCore(e.svc)
	e.svc.OnSupervising(sup.StartTx)
	flows := func() int64 { return e.count("supervision_flows", "1 = 1") }
	started := func() int64 { return e.count("supervision_events", "kind = ?", models.SupEvStarted) }

	in := e.order("ORD-SUP", models.OrderNew, LineInput{OrderLineID: "ORD-SUP-1"})
	e.accept(in)
	e.runDue()
	if flows() != 0 || e.count("interface_messages", "outcome <> 'ok'") == 0 {
		t.Fatalf("a refused create started %d flows", flows())
	}

	// The next attempt reaches the seller, which creates the instance, and
	// the process dies before recording the answer.
	if err := sb.SetFaults(sandbox.Faults{}); err != nil {
		t.Fatal(err)
	}
	at, _ := e.sched.next()
	e.clock.Set(at)
	jobs := e.sched.due(at)
	e.svc.crashAfterSend = func() bool { return true }
	if err := e.svc.RunCall(ctx, jobs[0].CallID, jobs[0].At); !errors.Is(err, errCrashed) {
		t.Fatalf("crashed attempt: %v", err)
	}
	e.svc.crashAfterSend = nil
	if flows() != 0 {
		t.Fatal("a crashed attempt started a flow")
	}
	// River delivers the job again once the dead attempt's time is up; the
	// resend finds the instance the seller made and records it.
	e.clock.Advance(models.AttemptLimit)
	if err := e.svc.RunCall(ctx, jobs[0].CallID, jobs[0].At); err != nil {
		t.Fatal(err)
	}
	e.runUntilIdle(20)
	if got, _ := e.svc.Order(ctx, "ORD-SUP"); got.Status != "supervising" {
		t.Fatalf("order %s", got.Status)
	}
	if e.count("interface_messages", "outcome = 'interrupted'") != 1 {
		t.Fatal("the crashed attempt is not logged as interrupted")
	}
	if flows() != 1 || started() != 1 || len(timers.Timers()) == 0 {
		t.Fatalf("%d flows, %d started events, %d timers", flows(), started(), len(timers.Timers()))
	}

	// The same job delivered again, and the marketplace sending the order
	// again, change nothing.
	if err := e.svc.RunCall(ctx, jobs[0].CallID, jobs[0].At); err != nil {
		t.Fatal(err)
	}
	if _, created, err := e.svc.AcceptOrder(ctx, in); err != nil || created {
		t.Fatalf("repeated order: created %v, %v", created, err)
	}
	e.runUntilIdle(20)
	if flows() != 1 || started() != 1 || e.count("audit_log", "action = ?", models.AuditSupStarted) != 1 {
		t.Fatalf("after repeats: %d flows, %d started events", flows(), started())
	}
	var f models.SupFlow
	if err := e.db.Gorm.Take(&f).Error; err != nil || f.Node != models.SupRequirements || f.MerchantID != e.acme.ID {
		t.Fatalf("flow %+v: %v", f, err)
	}
}

// Whether a line is supervised is fixed when it arrives: switching the
// product's flag while its create is still under way changes nothing for
// it (it still ends in supervision, or still completes), and the lines
// received after the change follow the flag.
func TestSupervisedFlagIsFixedWhenTheLineArrives(t *testing.T) {
	e := newEnv(t, "v1")
	ctx := context.Background()
	setFlag := func(on bool) { e.db.Gorm.Model(&e.product).Update("supervised", on) }
	supOf := func(lineID string) models.Supervision {
		var l models.OrderLine
		if err := e.db.Gorm.Where("order_line_id = ?", lineID).Take(&l).Error; err != nil {
			t.Fatal(err)
		}
		return l.Supervision
	}
	setFlag(true)
	e.accept(e.order("ORD-ON", models.OrderNew, LineInput{OrderLineID: "ORD-ON-1"}))
	setFlag(false)
	e.accept(e.order("ORD-OFF", models.OrderNew, LineInput{OrderLineID: "ORD-OFF-1"}))
	e.runDue()
	if got, _ := e.svc.Order(ctx, "ORD-ON"); got.Status != "supervising" || supOf("ORD-ON-1") != models.SupervisionInProgress {
		t.Fatalf("a line received supervised: %s / %s", got.Status, supOf("ORD-ON-1"))
	}
	if got, _ := e.svc.Order(ctx, "ORD-OFF"); got.Status != "completed" || supOf("ORD-OFF-1") != models.SupervisionNone {
		t.Fatalf("a line received after the switch-off: %s / %s", got.Status, supOf("ORD-OFF-1"))
	}
	// The supervised line ends its supervision as 已完成 though the flag is off.
	var l models.OrderLine
	if err := e.db.Gorm.Where("order_line_id = ?", "ORD-ON-1").Take(&l).Error; err != nil {
		t.Fatal(err)
	}
	if err := e.db.Gorm.Transaction(func(tx *gorm.DB) error {
		return e.svc.MoveLineTx(tx, l.ID, models.LineCompleted, "")
	}); err != nil {
		t.Fatal(err)
	}
	if s := supOf("ORD-ON-1"); s != models.SupervisionDone {
		t.Fatalf("a finished supervised line shows %s", s)
	}
	// Switched on again: an unsupervised line completing later stays 不涉及.
	e.accept(e.order("ORD-OFF2", models.OrderNew, LineInput{OrderLineID: "ORD-OFF2-1"}))
	setFlag(true)
	e.runDue()
	if got, _ := e.svc.Order(ctx, "ORD-OFF2"); got.Status != "completed" || supOf("ORD-OFF2-1") != models.SupervisionNone {
		t.Fatalf("a line received unsupervised: %s / %s", got.Status, supOf("ORD-OFF2-1"))
	}
}
