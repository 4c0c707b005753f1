package provisioning

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
)

// The signing keys are read with the call on every attempt: a rotation, its
// overlap running out and a revocation each apply from the next attempt.
func TestKeyRotationOverlapAndRevocationApplyToTheNextAttempt(t *testing.T) {
	e := newEnv(t, "v1")
	ops := models.SystemActor("test")
	// The merchant still runs merchantKey; the new key is unknown to it.
	k, err := e.cat.RotateKey(context.Background(), ops, e.acme.ID, "a-key-the-merchant-lacks-01", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	e.accept(e.order("ORD-K1", models.OrderNew, LineInput{OrderLineID: "ORD-K1-1"}))
	e.runDue()
	if got, _ := e.svc.Order(context.Background(), "ORD-K1"); got.Status != "completed" {
		t.Fatalf("during the overlap the retiring key should have signed: %+v", got)
	}
	if e.merchant.requests.Load() != 2 {
		t.Fatalf("requests %d, want 2 (new key refused, retiring key accepted)", e.merchant.requests.Load())
	}

	e.clock.Advance(2 * time.Hour) // the overlap is over
	e.accept(e.order("ORD-K2", models.OrderNew, LineInput{OrderLineID: "ORD-K2-1"}))
	e.runDue()
	var last models.InterfaceMessage
	e.db.Gorm.Order("id DESC").First(&last)
	if last.OrderID != "ORD-K2" || last.Outcome != models.OutcomeError || last.ErrorClass == ClassConfig {
		t.Fatalf("after the overlap the merchant should refuse the new key: %+v", last)
	}

	if err := e.cat.RevokeKey(context.Background(), ops, e.acme.ID, k.Key.ID, true); err != nil {
		t.Fatal(err)
	}
	sent := e.merchant.requests.Load()
	at, _ := e.sched.next()
	e.clock.Set(at)
	e.runDue()
	last = models.InterfaceMessage{}
	e.db.Gorm.Order("id DESC").First(&last)
	if last.AttemptNo != 2 || last.ErrorClass != ClassConfig || e.merchant.requests.Load() != sent {
		t.Fatalf("with no active key nothing is sent and the attempt fails as configuration: %+v", last)
	}
}

// A restart pressed while an attempt is in flight is refused: its job could
// run before the answer, log the live attempt as interrupted and send a
// second one. The attempt's success then ends the call as any success does.
func TestRestartDuringAnAttemptIsRefused(t *testing.T) {
	e := newEnv(t, "v1")
	e.merchant.fail.Store(true)
	e.accept(e.order("ORD-RF", models.OrderNew, LineInput{OrderLineID: "ORD-RF-1"}))
	e.runDue()
	var c models.Call
	e.db.Gorm.First(&c)
	if c.State != models.CallRetrying {
		t.Fatalf("after a failed attempt: %s", c.State)
	}
	e.merchant.fail.Store(false)
	var restartErr error
	e.svc.crashAfterSend = func() bool {
		restartErr = e.svc.Restart(context.Background(), e.owner, c.ID)
		return false
	}
	at, _ := e.sched.next()
	e.clock.Set(at)
	for _, j := range e.sched.due(at) {
		if err := e.svc.RunCall(context.Background(), j.CallID, j.At); err != nil {
			t.Fatal(err)
		}
	}
	e.svc.crashAfterSend = nil
	var ve *models.ValidationError
	if !errors.As(restartErr, &ve) || ve.Form == nil || ve.Form.ID != "err.restart_in_flight" {
		t.Fatalf("restart during the attempt: %v", restartErr)
	}
	c = models.Call{}
	e.db.Gorm.First(&c)
	if c.State != models.CallSucceeded || c.NextAt != nil || c.InflightAt != nil {
		t.Fatalf("call after its attempt succeeded: %s next %v in flight %v", c.State, c.NextAt, c.InflightAt)
	}
	sent := e.merchant.requests.Load()
	e.runDue()
	if e.merchant.requests.Load() != sent || e.count("instances", "") != 1 || e.count("audit_log", "action = 'call.restarted'") != 0 {
		t.Fatal("the refused restart made another attempt or was recorded")
	}
}

// The attempt's context is read before its transaction: a restart landing
// between the two moves the call, so the job in hand must step aside (the
// restart's own job makes the attempt) and nothing is sent or logged twice.
func TestCallMovedBetweenReadAndTransactionIsLeftToItsNewJob(t *testing.T) {
	e := newEnv(t, "v1")
	e.merchant.fail.Store(true)
	e.accept(e.order("ORD-RR", models.OrderNew, LineInput{OrderLineID: "ORD-RR-1"}))
	e.runDue()
	var c models.Call
	e.db.Gorm.First(&c)
	if c.State != models.CallRetrying || c.Attempts != 1 {
		t.Fatalf("after a failed attempt: %s, %d attempts", c.State, c.Attempts)
	}
	e.merchant.fail.Store(false)
	at, _ := e.sched.next()
	e.clock.Set(at)
	jobs := e.sched.due(at)
	e.svc.afterRead = func() {
		e.svc.afterRead = nil
		if err := e.svc.Restart(context.Background(), e.owner, c.ID); err != nil {
			t.Errorf("restart: %v", err)
		}
	}
	sent := e.merchant.requests.Load()
	for _, j := range jobs {
		if err := e.svc.RunCall(context.Background(), j.CallID, j.At); err != nil {
			t.Fatal(err)
		}
	}
	if e.merchant.requests.Load() != sent || e.count("interface_messages", "") != 1 {
		t.Fatalf("the moved call's old job sent %d requests, log has %d rows",
			e.merchant.requests.Load()-sent, e.count("interface_messages", ""))
	}
	// The restart's job makes the one attempt.
	e.runDue()
	c = models.Call{}
	e.db.Gorm.First(&c)
	if c.Attempts != 2 || e.count("interface_messages", "") != 2 || e.count("instances", "") != 1 {
		t.Fatalf("after the restart's job: %s, %d attempts, %d log rows, %d instances",
			c.State, c.Attempts, e.count("interface_messages", ""), e.count("instances", ""))
	}
}
