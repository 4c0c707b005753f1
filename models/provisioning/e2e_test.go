package provisioning

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/catalog"
	"github.com/sellercenter/sellercenter/models/vault"
	"github.com/sellercenter/sellercenter/web/koogallery"
	"github.com/sellercenter/sellercenter/web/koogallery/sandbox"
)

// liveEnv runs the real job runner (River) on the real clock against the
// reference seller endpoint, in process on a free port.
type liveEnv struct {
	*env
	sb *sandbox.Server
}

func newLiveEnv(t *testing.T, protocol string, pol Policy) *liveEnv {
	t.Helper()
	e := newEnv(t, protocol)
	sb, err := sandbox.New(sandbox.Config{Key: merchantKey, DBPath: t.TempDir() + "/sandbox.db"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	// Real time from here on: River schedules by the wall clock.
	v, _ := vault.New(make([]byte, vault.KeySize))
	cat := catalog.New(e.db.Gorm, bizclock.System, v, catalog.URLPolicy{AllowPrivate: true})
	pols := map[string]Policy{}
	for a := range DefaultPolicies {
		pols[a] = pol
	}
	e.svc = New(e.db.Gorm, bizclock.System, v, cat, Config{AllowPrivate: true, PollInterval: 300 * time.Millisecond, Policies: pols})
	e.cat = cat
	if _, err := cat.SetEndpoint(context.Background(), models.SystemActor("t"), e.acme.ID,
		catalog.EndpointInput{URL: srv.URL + "/produce", Protocol: protocol, TimeoutMS: 1000}); err != nil {
		t.Fatal(err)
	}
	jd, release, err := e.db.JobDriver(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	client, err := e.svc.StartRiver(ctx, jd, RiverOptions{PollInterval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sctx, c2 := context.WithTimeout(context.Background(), 10*time.Second)
		defer c2()
		_ = client.Stop(sctx)
		cancel()
		release()
	})
	e.clock.Set(time.Now())
	return &liveEnv{env: e, sb: sb}
}

func (e *liveEnv) orderNow(id, typ string, l LineInput) {
	e.t.Helper()
	in := e.order(id, typ, l)
	in.CreateTime = time.Now().Add(-time.Minute)
	if _, _, err := e.svc.AcceptOrder(context.Background(), in); err != nil {
		e.t.Fatalf("accept %s: %v", id, err)
	}
}

// waitFor polls until cond holds or the deadline passes.
func (e *liveEnv) waitFor(what string, cond func() bool) {
	e.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	e.t.Fatalf("timed out waiting for %s", what)
}

func (e *liveEnv) orderStatus(id string) string {
	v, err := e.svc.Order(context.Background(), id)
	if err != nil {
		return ""
	}
	return v.Status
}

func (e *liveEnv) instanceStatus(id string) models.InstanceStatus {
	var inst models.Instance
	e.db.Gorm.Where("instance_id = ?", id).First(&inst)
	return inst.Status
}

func TestEndToEndAgainstTheSandbox(t *testing.T) {
	for _, proto := range []string{"v1", "v2"} {
		t.Run(proto, func(t *testing.T) {
			e := newLiveEnv(t, proto, Policy{Interval: 300 * time.Millisecond, Window: 5 * time.Second})
			e.orderNow("E2E-1", models.OrderNew, LineInput{OrderLineID: "E2E-1-1"})
			e.waitFor("completion", func() bool { return e.orderStatus("E2E-1") == "completed" })
			v, _ := e.svc.Order(context.Background(), "E2E-1")
			inst := v.Lines[0].InstanceID
			sbInst, err := e.sb.Instance(context.Background(), inst)
			if err != nil {
				t.Fatalf("the sandbox does not know %s: %v", inst, err)
			}
			exp := time.Now().Add(90 * 24 * time.Hour).UTC().Truncate(time.Second)
			e.orderNow("E2E-2", models.OrderRenew, LineInput{OrderLineID: "E2E-2-1", InstanceID: inst, ExpireTime: &exp})
			e.waitFor("renewal", func() bool { return e.orderStatus("E2E-2") == "completed" })
			if after, _ := e.sb.Instance(context.Background(), inst); after.ExpireTime != koogallery.FormatExpireTime(exp) || after.ExpireTime == sbInst.ExpireTime {
				t.Fatalf("the sandbox's expiry did not move: %v → %v", sbInst.ExpireTime, after.ExpireTime)
			}
			for _, step := range []struct {
				ev   string
				want models.InstanceStatus
			}{{EventFreeze, models.InstanceFrozen}, {EventUnfreeze, models.InstanceNormal}, {EventRelease, models.InstanceReleased}} {
				if _, err := e.svc.InstanceEvent(context.Background(), inst, step.ev); err != nil {
					t.Fatal(err)
				}
				e.waitFor(step.ev, func() bool { return e.instanceStatus(inst) == step.want })
			}
			if got, _ := e.sb.Instance(context.Background(), inst); got.Status != sandbox.StatusReleased {
				t.Fatalf("sandbox instance after release: %s", got.Status)
			}
		})
	}
}

func TestAsyncCreateIsPolledUntilReady(t *testing.T) {
	e := newLiveEnv(t, "v2", Policy{Interval: 300 * time.Millisecond, Window: 10 * time.Second})
	if err := e.sb.SetFaults(sandbox.Faults{Async: true, AsyncDelay: time.Second}); err != nil {
		t.Fatal(err)
	}
	e.orderNow("ASYNC-1", models.OrderNew, LineInput{OrderLineID: "ASYNC-1-1"})
	e.waitFor("completion", func() bool { return e.orderStatus("ASYNC-1") == "completed" })
	if e.count("interface_messages", "activity = 'newInstance' AND result_code = '000004'") != 1 {
		t.Fatal("the 000004 answer is not in the log")
	}
	if e.count("interface_messages", "activity = 'queryInstance' AND result_code = '000000'") != 1 {
		t.Fatal("the credentials did not come through queryInstance")
	}
}

func TestFaultKnobsAreClassified(t *testing.T) {
	cases := []struct {
		name   string
		faults sandbox.Faults
		class  koogallery.ErrorClass
	}{
		{"latency beyond the timeout", sandbox.Faults{Latency: 3 * time.Second}, koogallery.ClassTimeout},
		{"fail rate", sandbox.Faults{FailRate: 1}, koogallery.ClassBusinessCode},
		{"forced result code", sandbox.Faults{ResultCode: "000100"}, koogallery.ClassBusinessCode},
		{"bad body sign", sandbox.Faults{BadBodySign: true}, koogallery.ClassBadBodySign},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newLiveEnv(t, "v1", Policy{Interval: time.Minute, Window: time.Hour})
			if err := e.sb.SetFaults(tc.faults); err != nil {
				t.Fatal(err)
			}
			e.orderNow("F-1", models.OrderNew, LineInput{OrderLineID: "F-1-1"})
			e.waitFor("a failed attempt", func() bool { return e.count("interface_messages", "outcome = 'error'") == 1 })
			var m models.InterfaceMessage
			e.db.Gorm.First(&m)
			if m.ErrorClass != string(tc.class) {
				t.Fatalf("class %q, want %q (%s)", m.ErrorClass, tc.class, m.ErrorDetail)
			}
			if tc.faults.ResultCode != "" && m.ResultCode != tc.faults.ResultCode {
				t.Fatalf("result code %q", m.ResultCode)
			}
			var c models.Call
			e.db.Gorm.First(&c)
			if c.State != models.CallRetrying {
				t.Fatalf("call state %s", c.State)
			}
		})
	}
	t.Run("connection refused", func(t *testing.T) {
		e := newLiveEnv(t, "v1", Policy{Interval: time.Minute, Window: time.Hour})
		dead := httptest.NewServer(nil)
		url := dead.URL
		dead.Close()
		if _, err := e.cat.SetEndpoint(context.Background(), models.SystemActor("t"), e.acme.ID,
			catalog.EndpointInput{URL: url + "/produce", Protocol: "v1"}); err != nil {
			t.Fatal(err)
		}
		e.orderNow("F-2", models.OrderNew, LineInput{OrderLineID: "F-2-1"})
		e.waitFor("a failed attempt", func() bool { return e.count("interface_messages", "outcome = 'error'") == 1 })
		var m models.InterfaceMessage
		e.db.Gorm.First(&m)
		if m.ErrorClass != string(koogallery.ClassConnection) {
			t.Fatalf("class %q (%s)", m.ErrorClass, m.ErrorDetail)
		}
	})
}
