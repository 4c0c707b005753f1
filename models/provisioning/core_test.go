package provisioning

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
)

func TestNewOrderProvisionsAnInstance(t *testing.T) {
	for _, proto := range []string{"v1", "v2"} {
		t.Run(proto, func(t *testing.T) {
			e := newEnv(t, proto)
			v := e.accept(e.order("ORD-1", models.OrderNew, LineInput{OrderLineID: "ORD-1-000001"}))
			if v.Status != "processing" || v.Lines[0].InstanceID != "" {
				t.Fatalf("before dispatch: %+v", v)
			}
			if proto == "v1" {
				e.runDue()
			} else {
				// V2 create answers only an instanceId; credentials come from queryInstance.
				e.runUntilIdle(5)
			}
			got, err := e.svc.Order(context.Background(), "ORD-1")
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != "completed" || got.Lines[0].Status != "completed" || got.Lines[0].InstanceID == "" {
				t.Fatalf("after dispatch: %+v", got)
			}
			var inst models.Instance
			if err := e.db.Gorm.Where("instance_id = ?", got.Lines[0].InstanceID).First(&inst).Error; err != nil {
				t.Fatal(err)
			}
			if inst.Status != models.InstanceNormal {
				t.Fatalf("instance %s", inst.Status)
			}
			if proto == "v1" {
				plain, err := e.svc.vault.Open(inst.AppInfoEnc, appInfoPurpose)
				if err != nil {
					t.Fatal(err)
				}
				var ai models.AppInfo
				_ = json.Unmarshal(plain, &ai)
				if ai.UserName != "buyer-admin" || ai.Password != "s3cret-pw" || ai.Memo != "欢迎" {
					t.Fatalf("credentials not decrypted: %+v", ai)
				}
			}
			if e.count("interface_messages", "outcome = 'ok'") < 1 || e.count("interface_messages", "outcome <> 'ok'") != 0 {
				t.Fatal("message log does not show a clean success")
			}
			// The answered create's row names the instance it made.
			var logged string
			if err := e.db.SQL.QueryRow(`SELECT instance_id FROM interface_messages WHERE outcome = 'ok' ORDER BY id DESC LIMIT 1`).Scan(&logged); err != nil {
				t.Fatal(err)
			}
			if logged != got.Lines[0].InstanceID {
				t.Fatalf("log row instance %q, want %q", logged, got.Lines[0].InstanceID)
			}
		})
	}
}

func TestSupervisedProductEndsInSupervision(t *testing.T) {
	e := newEnv(t, "v1")
	e.db.Gorm.Model(&e.product).Update("supervised", true)
	e.accept(e.order("ORD-S", models.OrderNew, LineInput{OrderLineID: "ORD-S-1"}))
	e.runDue()
	if got, _ := e.svc.Order(context.Background(), "ORD-S"); got.Status != "supervising" {
		t.Fatalf("status %s", got.Status)
	}
}

func TestRetryWindowEndsInAutoUnsubscribe(t *testing.T) {
	e := newEnv(t, "v1")
	e.merchant.fail.Store(true)
	start := e.clock.Now()
	e.accept(e.order("ORD-F", models.OrderNew, LineInput{OrderLineID: "ORD-F-1"}))
	e.runUntilIdle(100)

	var msgs []models.InterfaceMessage
	e.db.Gorm.Order("attempt_no").Find(&msgs)
	if len(msgs) != 61 {
		t.Fatalf("attempts: %d, want 61 (every 2 min for 2 h, both ends)", len(msgs))
	}
	for i, m := range msgs {
		if want := start.Add(time.Duration(i) * 2 * time.Minute); !m.At.Equal(want) {
			t.Fatalf("attempt %d at %s, want %s", i+1, m.At, want)
		}
		if m.Outcome != models.OutcomeError || m.ErrorClass != "http_status" || m.ResponseStatus != 503 {
			t.Fatalf("attempt %d: %+v", i+1, m)
		}
		if i < 60 && (m.NextRetryAt == nil || !m.NextRetryAt.Equal(m.At.Add(2*time.Minute))) {
			t.Fatalf("attempt %d next retry %v", i+1, m.NextRetryAt)
		}
	}
	if msgs[60].NextRetryAt != nil {
		t.Fatal("the last attempt announces another")
	}
	got, _ := e.svc.Order(context.Background(), "ORD-F")
	if got.Status != "provisioning_failed" || got.Lines[0].Status != "provisioning_failed" {
		t.Fatalf("after the window: %+v", got)
	}
	var c models.Call
	e.db.Gorm.First(&c)
	if c.State != models.CallFailed || c.Attempts != 61 {
		t.Fatalf("call: %s after %d", c.State, c.Attempts)
	}
	if n := e.count("notifications", "type_code = 101 AND msg_id = 'notify.call_failed'"); n != 60 {
		t.Fatalf("failure notifications: %d, want 60", n)
	}
	if e.count("notifications", "msg_id = 'notify.auto_unsubscribed'") != 1 {
		t.Fatal("auto-unsubscribe not notified")
	}
	if e.count("order_lines", "status_reason = 'auto_unsubscribed'") != 1 {
		t.Fatal("auto-unsubscribe reason not recorded")
	}

	if c.ClosedAt == nil || !c.ClosedAt.Equal(e.clock.Now()) || c.OrderID != "ORD-F" || c.OrderLineID != "ORD-F-1" {
		t.Fatalf("the auto-unsubscribe did not close the call: %+v", c)
	}
	if c.View() != models.ViewClosed || c.Restartable(e.clock.Now()) {
		t.Fatalf("closed call shows %s, restartable %v", c.View(), c.Restartable(e.clock.Now()))
	}

	// 重新启动 after 自动退订 is refused, however the endpoint answers now:
	// the buyer was refunded, so no instance may be created for the line.
	e.merchant.fail.Store(false)
	err := e.svc.Restart(context.Background(), e.owner, c.ID)
	var ve *models.ValidationError
	if !errors.As(err, &ve) || ve.Form == nil || ve.Form.ID != "err.restart_closed" {
		t.Fatalf("restart after auto-unsubscribe: %v", err)
	}
	e.clock.Advance(time.Hour)
	if n := e.runDue(); n != 0 {
		t.Fatalf("%d jobs ran after a refused restart", n)
	}
	got, _ = e.svc.Order(context.Background(), "ORD-F")
	if got.Status != "provisioning_failed" || got.Lines[0].InstanceID != "" || e.count("instances", "") != 0 {
		t.Fatalf("after the refused restart: %+v", got)
	}
	e.db.Gorm.First(&c, c.ID)
	if c.State != models.CallFailed || c.Attempts != 61 || e.count("interface_messages", "") != 61 {
		t.Fatalf("the refused restart changed the call: %s after %d", c.State, c.Attempts)
	}
	if e.count("audit_log", "action = 'call.restarted'") != 0 {
		t.Fatal("a refused restart was audited as done")
	}
}

// A call whose line is still open (a renewal's refreshInstance that ran out
// of its window leaves the line processing) keeps 重新启动: a restart that
// fails again stays failed, one that succeeds recovers and completes the line.
func TestRestartOfAFailedCallWhoseLineIsOpen(t *testing.T) {
	e := newEnv(t, "v1")
	e.accept(e.order("ORD-N", models.OrderNew, LineInput{OrderLineID: "ORD-N-1"}))
	e.runUntilIdle(10)
	created, _ := e.svc.Order(context.Background(), "ORD-N")
	inst := created.Lines[0].InstanceID
	e.merchant.fail.Store(true)
	exp := e.clock.Now().Add(60 * 24 * time.Hour).Truncate(time.Second)
	e.accept(e.order("ORD-RN", models.OrderRenew, LineInput{OrderLineID: "ORD-RN-1", InstanceID: inst, ExpireTime: &exp}))
	e.runUntilIdle(100)
	var c models.Call
	e.db.Gorm.Where("order_id = ?", "ORD-RN").First(&c)
	if c.State != models.CallFailed || c.ClosedAt != nil || c.View() != models.ViewFailed || c.Attempts != c.MaxAttempts() {
		t.Fatalf("renewal after its window: %s closed %v, %d of %d", c.State, c.ClosedAt, c.Attempts, c.MaxAttempts())
	}
	got, _ := e.svc.Order(context.Background(), "ORD-RN")
	if got.Lines[0].Status != "processing" {
		t.Fatalf("renewal line: %s", got.Lines[0].Status)
	}
	e.clock.Advance(time.Hour)
	if err := e.svc.Restart(context.Background(), e.owner, c.ID); err != nil {
		t.Fatal(err)
	}
	e.runUntilIdle(10)
	e.db.Gorm.First(&c, c.ID)
	if c.State != models.CallFailed || c.Attempts != c.MaxAttempts()+1 {
		t.Fatalf("after a failed restart: %s, %d attempts", c.State, c.Attempts)
	}
	if n, max, extra := c.AttemptsShown(); n != max || extra != 1 {
		t.Fatalf("attempts shown %d / %d + %d", n, max, extra)
	}
	e.merchant.fail.Store(false)
	e.clock.Advance(time.Minute)
	if err := e.svc.Restart(context.Background(), e.owner, c.ID); err != nil {
		t.Fatal(err)
	}
	e.runUntilIdle(10)
	e.db.Gorm.First(&c, c.ID)
	got, _ = e.svc.Order(context.Background(), "ORD-RN")
	if c.State != models.CallRecovered || got.Lines[0].Status != "completed" {
		t.Fatalf("after a restart that succeeded: %s, line %s", c.State, got.Lines[0].Status)
	}
	var last models.InterfaceMessage
	e.db.Gorm.Order("id DESC").First(&last)
	if !last.Manual || last.ActorEmail != "owner@acme.test" || last.Outcome != models.OutcomeOK {
		t.Fatalf("restart attempt: %+v", last)
	}
	if e.count("audit_log", "action = 'call.restarted'") != 2 {
		t.Fatal("restarts not audited")
	}
	if err := e.svc.Restart(context.Background(), e.owner, c.ID); err == nil {
		t.Fatal("a recovered call restarted again")
	}
}

func TestCrashBetweenSendAndRecordLeavesOneInstanceAndACompleteLog(t *testing.T) {
	e := newEnv(t, "v1")
	e.accept(e.order("ORD-C", models.OrderNew, LineInput{OrderLineID: "ORD-C-1"}))
	jobs := e.sched.due(e.clock.Now())
	if len(jobs) != 1 {
		t.Fatalf("jobs: %d", len(jobs))
	}
	crashed := false
	e.svc.crashAfterSend = func() bool {
		if crashed {
			return false
		}
		crashed = true
		return true
	}
	if err := e.svc.RunCall(context.Background(), jobs[0].CallID, jobs[0].At); !errors.Is(err, errCrashed) {
		t.Fatalf("first run: %v", err)
	}
	if e.merchant.requests.Load() != 1 || e.count("instances", "") != 0 {
		t.Fatal("the call should have reached the merchant and nothing been recorded")
	}
	// The job runner delivers the same job again after the crash.
	e.clock.Advance(3 * time.Minute)
	if err := e.svc.RunCall(context.Background(), jobs[0].CallID, jobs[0].At); err != nil {
		t.Fatal(err)
	}
	if n := e.count("instances", ""); n != 1 {
		t.Fatalf("instances: %d", n)
	}
	var msgs []models.InterfaceMessage
	e.db.Gorm.Order("attempt_no").Find(&msgs)
	if len(msgs) != 2 || msgs[0].Outcome != models.OutcomeInterrupted || msgs[1].Outcome != models.OutcomeOK {
		t.Fatalf("log: %+v", msgs)
	}
	// Both deliveries carried the same businessId, and the seller answered the same instance.
	if len(e.merchant.byOrder) != 1 {
		t.Fatalf("merchant made %d instances", len(e.merchant.byOrder))
	}
	// A third, stale delivery changes nothing.
	if err := e.svc.RunCall(context.Background(), jobs[0].CallID, jobs[0].At); err != nil {
		t.Fatal(err)
	}
	if e.count("interface_messages", "") != 2 || e.merchant.requests.Load() != 2 {
		t.Fatal("a stale job made another attempt")
	}
}

func TestRenewFreezeUnfreezeRelease(t *testing.T) {
	for _, proto := range []string{"v1", "v2"} {
		t.Run(proto, func(t *testing.T) {
			e := newEnv(t, proto)
			e.accept(e.order("ORD-N", models.OrderNew, LineInput{OrderLineID: "ORD-N-1"}))
			e.runUntilIdle(10)
			created, _ := e.svc.Order(context.Background(), "ORD-N")
			inst := created.Lines[0].InstanceID
			exp := e.clock.Now().Add(60 * 24 * time.Hour).Truncate(time.Second)
			e.accept(e.order("ORD-RN", models.OrderRenew, LineInput{OrderLineID: "ORD-RN-1", InstanceID: inst, ExpireTime: &exp}))
			e.runUntilIdle(10)
			var row models.Instance
			e.db.Gorm.Where("instance_id = ?", inst).First(&row)
			if row.ExpireAt == nil || !row.ExpireAt.Equal(exp) {
				t.Fatalf("expiry after renewal: %v", row.ExpireAt)
			}
			for _, step := range []struct {
				event string
				want  models.InstanceStatus
			}{{EventFreeze, models.InstanceFrozen}, {EventUnfreeze, models.InstanceNormal}, {EventExpire, models.InstanceFrozen}, {EventRelease, models.InstanceReleased}} {
				if _, err := e.svc.InstanceEvent(context.Background(), inst, step.event); err != nil {
					t.Fatalf("%s: %v", step.event, err)
				}
				e.runUntilIdle(10)
				e.db.Gorm.Where("instance_id = ?", inst).First(&row)
				if row.Status != step.want {
					t.Fatalf("after %s: %s, want %s", step.event, row.Status, step.want)
				}
			}
			if got, _ := e.svc.Order(context.Background(), "ORD-N"); got.Status != "unsubscribed" {
				t.Fatalf("creating order after release: %s", got.Status)
			}
			if _, err := e.svc.InstanceEvent(context.Background(), inst, EventFreeze); err == nil {
				t.Fatal("event on a released instance accepted")
			}
			wantActs := map[string]bool{"expireInstance": proto == "v1", "instanceStatus": proto == "v1", "updateInstanceStatus": proto == "v2"}
			for act, want := range wantActs {
				if got := e.count("interface_messages", "activity = ?", act) > 0; got != want {
					t.Errorf("%s: activity %s used=%v, want %v", proto, act, got, want)
				}
			}
		})
	}
}

func TestAcceptOrderIsIdempotentAndRefusesConflicts(t *testing.T) {
	e := newEnv(t, "v1")
	in := e.order("ORD-I", models.OrderNew, LineInput{OrderLineID: "ORD-I-1"})
	first, created, err := e.svc.AcceptOrder(context.Background(), in)
	if err != nil || !created {
		t.Fatalf("first: %v %v", created, err)
	}
	again, created, err := e.svc.AcceptOrder(context.Background(), in)
	if err != nil || created || again.OrderID != first.OrderID {
		t.Fatalf("repeat: %v %v", created, err)
	}
	if e.count("orders", "") != 1 || e.count("calls", "") != 1 {
		t.Fatal("a repeat created rows")
	}
	in.Lines[0].Amount = "1.00"
	var ce *models.ConflictError
	if _, _, err := e.svc.AcceptOrder(context.Background(), in); !errors.As(err, &ce) {
		t.Fatalf("changed repeat: %v", err)
	}
	other := e.order("ORD-J", models.OrderNew, LineInput{OrderLineID: "ORD-I-1"})
	if _, _, err := e.svc.AcceptOrder(context.Background(), other); !errors.As(err, &ce) {
		t.Fatalf("reused line id: %v", err)
	}
}

func TestBadOrdersChangeNothing(t *testing.T) {
	e := newEnv(t, "v1")
	frozen := e.product
	frozen.ID, frozen.ProductID, frozen.Status = 0, "00301-100009-0--0", models.ProductFrozen
	e.db.Gorm.Create(&frozen)
	cases := []struct {
		name  string
		in    OrderInput
		field string
	}{
		{"unknown product", e.order("B1", models.OrderNew, LineInput{OrderLineID: "B1-1", ProductID: "nope"}), "lines[0].productId"},
		{"frozen product", e.order("B2", models.OrderNew, LineInput{OrderLineID: "B2-1", ProductID: frozen.ProductID}), "lines[0].productId"},
		{"negative amount", e.order("B3", models.OrderNew, LineInput{OrderLineID: "B3-1", Amount: "-5.00"}), "lines[0].amount"},
		{"three decimals", e.order("B4", models.OrderNew, LineInput{OrderLineID: "B4-1", Amount: "1.005"}), "lines[0].amount"},
		{"absurd period", e.order("B5", models.OrderNew, LineInput{OrderLineID: "B5-1", ChargingMode: models.ChargingPeriod, PeriodType: "month", PeriodNumber: 999}), "lines[0].periodNumber"},
		{"unknown type", e.order("B6", "GIFT", LineInput{OrderLineID: "B6-1"}), "orderType"},
		{"renew unknown instance", e.order("B7", models.OrderRenew, LineInput{OrderLineID: "B7-1", InstanceID: "ghost"}), "lines[0].instanceId"},
		{"no lines", e.order("B8", models.OrderNew), "lines"},
		{"bad order id", e.order("B 9", models.OrderNew, LineInput{OrderLineID: "B9-1"}), "orderId"},
		{"charging mismatch", e.order("B10", models.OrderNew, LineInput{OrderLineID: "B10-1", ChargingMode: models.ChargingOneTime}), "lines[0].chargingMode"},
	}
	for _, tc := range cases {
		_, _, err := e.svc.AcceptOrder(context.Background(), tc.in)
		var v *models.ValidationError
		if !errors.As(err, &v) {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if _, ok := v.Fields[tc.field]; !ok {
			t.Errorf("%s: fields %v, want %s", tc.name, v.Fields, tc.field)
		}
	}
	if e.count("orders", "") != 0 || e.count("buyers", "") != 0 || e.count("calls", "") != 0 {
		t.Fatal("a refused order left rows behind")
	}
	// A renewal cancellation is the one negative amount allowed.
	e.accept(e.order("OK1", models.OrderNew, LineInput{OrderLineID: "OK1-1"}))
	e.runDue()
	got, _ := e.svc.Order(context.Background(), "OK1")
	if _, _, err := e.svc.AcceptOrder(context.Background(), e.order("OK2", models.OrderRenew,
		LineInput{OrderLineID: "OK2-1", InstanceID: got.Lines[0].InstanceID, Amount: "-30.00"})); err != nil {
		t.Fatalf("renewal cancellation refused: %v", err)
	}
	var c models.Call
	e.db.Gorm.Order("id DESC").First(&c)
	if c.Params != `{"scene":"UNSUBSCRIBE_RENEWAL_PERIOD"}` {
		t.Fatalf("renewal cancellation scene: %s", c.Params)
	}
}

func TestAmountParsing(t *testing.T) {
	good := map[string]int64{"0": 0, "1": 100, "1.5": 150, "12.34": 1234, "-30.00": -3000, "0.01": 1}
	for s, want := range good {
		if got, ok := ParseAmount(s); !ok || got != want {
			t.Errorf("%q → %d %v, want %d", s, got, ok, want)
		}
	}
	for _, s := range []string{"", "1.", ".5", "1.234", "abc", "1e5", "--1", "1,00", "99999999999999999999"} {
		if _, ok := ParseAmount(s); ok {
			t.Errorf("%q accepted", s)
		}
	}
	if FormatAmount(-3005) != "-30.05" || FormatAmount(7) != "0.07" {
		t.Fatal("format")
	}
}

func TestAsyncCreatePollsEveryIntervalUntilReady(t *testing.T) {
	e := newEnv(t, "v2")
	e.merchant.notReady.Store(3)
	start := e.clock.Now()
	e.accept(e.order("ORD-A", models.OrderNew, LineInput{OrderLineID: "ORD-A-1"}))
	e.runUntilIdle(20)
	var msgs []models.InterfaceMessage
	e.db.Gorm.Order("id").Find(&msgs)
	// create (000004) → 3 polls not ready → 1 ready, each poll 30 s apart.
	if len(msgs) != 5 || msgs[0].Activity != "newInstance" || msgs[0].ResultCode != "000004" || msgs[0].Outcome != models.OutcomeOK {
		t.Fatalf("log: %d rows, first %+v", len(msgs), msgs[0])
	}
	for i, m := range msgs[1:] {
		if m.Activity != "queryInstance" || !m.At.Equal(start.Add(time.Duration(i+1)*30*time.Second)) {
			t.Fatalf("poll %d: %s at %s", i+1, m.Activity, m.At)
		}
	}
	if msgs[4].Outcome != models.OutcomeOK {
		t.Fatalf("last poll: %+v", msgs[4])
	}
	if got, _ := e.svc.Order(context.Background(), "ORD-A"); got.Status != "completed" {
		t.Fatalf("order %s", got.Status)
	}
	if e.count("notifications", "") != 0 {
		t.Fatal("waiting for an asynchronous create is not a failure to notify")
	}
}

// A restart while an attempt is out would send a second one beside it and
// log the live one as interrupted: refused until the attempt is answered or
// outlived the attempt limit (its process died).
func TestRestartWaitsForTheAttemptInFlight(t *testing.T) {
	e := newEnv(t, "v1")
	e.merchant.fail.Store(true)
	e.accept(e.order("ORD-F", models.OrderNew, LineInput{OrderLineID: "ORD-F-1"}))
	e.runDue() // attempt 1 fails: the call is retrying
	var c models.Call
	e.db.Gorm.First(&c)
	if c.State != models.CallRetrying {
		t.Fatalf("state %s", c.State)
	}
	e.clock.Advance(2 * time.Minute)
	jobs := e.sched.due(e.clock.Now())
	e.svc.crashAfterSend = func() bool { return true }
	if err := e.svc.RunCall(context.Background(), jobs[len(jobs)-1].CallID, jobs[len(jobs)-1].At); !errors.Is(err, errCrashed) {
		t.Fatalf("attempt 2: %v", err)
	}
	e.svc.crashAfterSend = nil
	err := e.svc.Restart(context.Background(), e.owner, c.ID)
	var ve *models.ValidationError
	if !errors.As(err, &ve) || ve.Form == nil || ve.Form.ID != "err.restart_in_flight" {
		t.Fatalf("restart with an attempt out: %v", err)
	}
	e.clock.Advance(models.AttemptLimit)
	if err := e.svc.Restart(context.Background(), e.owner, c.ID); err != nil {
		t.Fatalf("restart after the attempt limit: %v", err)
	}
	e.merchant.fail.Store(false)
	e.runUntilIdle(5)
	e.db.Gorm.First(&c, c.ID)
	if c.State != models.CallRecovered || e.count("interface_messages", "outcome = 'interrupted'") != 1 {
		t.Fatalf("after the restart: %s, %d interrupted", c.State, e.count("interface_messages", "outcome = 'interrupted'"))
	}
}
