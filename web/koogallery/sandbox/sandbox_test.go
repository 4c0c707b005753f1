package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	kg "github.com/sellercenter/sellercenter/web/koogallery"
)

const key = "sandbox-test-key-0001"

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type harness struct {
	t      *testing.T
	sb     *Server
	srv    *httptest.Server
	clock  *clock
	client *kg.Client
}

func start(t *testing.T, cfg Config) *harness {
	t.Helper()
	c := &clock{t: time.Date(2024, 1, 1, 8, 0, 0, 0, time.UTC)}
	if cfg.Key == "" {
		cfg.Key = key
	}
	cfg.Now = c.Now
	sb, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb)
	t.Cleanup(func() {
		srv.Close()
		if err := sb.Close(); err != nil {
			t.Error(err)
		}
	})
	return &harness{t: t, sb: sb, srv: srv, clock: c, client: &kg.Client{Now: c.Now, Timeout: 5 * time.Second}}
}

func (h *harness) ep(v kg.Version) kg.Endpoint {
	return kg.Endpoint{URL: h.srv.URL + "/produce", Key: key, Version: v}
}

func (h *harness) call(v kg.Version, req kg.Request) *kg.Outcome {
	h.t.Helper()
	out, _ := h.client.Call(context.Background(), h.ep(v), req)
	return out
}

// mustOK fails unless the call succeeded in every respect.
func (h *harness) mustOK(v kg.Version, req kg.Request) *kg.Outcome {
	h.t.Helper()
	out := h.call(v, req)
	if !out.OK() {
		h.t.Fatalf("%s %s: %s %v\nresponse: %s", v, req.Activity(), out.Class, out.Err, out.Exchange.ResponseBody)
	}
	return out
}

// mustCode fails unless the call was answered, correctly signed, with code.
func (h *harness) mustCode(v kg.Version, req kg.Request, code kg.ResultCode) *kg.Outcome {
	h.t.Helper()
	out := h.call(v, req)
	if out.ResultCode != code || out.Exchange.BodySign != kg.BodySignOK {
		h.t.Fatalf("%s %s: code %q sign %s (%s %v), want %s", v, req.Activity(), out.ResultCode, out.Exchange.BodySign, out.Class, out.Err, code)
	}
	return out
}

func (h *harness) instance(id string) Instance {
	h.t.Helper()
	inst, err := h.sb.Instance(context.Background(), id)
	if err != nil {
		h.t.Fatalf("instance %s: %v", id, err)
	}
	return inst
}

func (h *harness) decrypt(et kg.EncryptType, v string) string {
	h.t.Helper()
	pt, err := kg.Decrypt(key, v, et)
	if err != nil {
		h.t.Fatalf("decrypt %q: %v", v, err)
	}
	return pt
}

func TestV1AllActivities(t *testing.T) {
	for _, v := range []kg.Version{kg.V1, kg.V1Post} {
		t.Run(string(v), func(t *testing.T) {
			h := start(t, Config{EncryptType: kg.EncryptAES128})
			out := h.mustOK(v, &kg.NewInstanceRequest{CustomerID: "c1", BusinessID: "biz-1", OrderID: "CS1", ProductID: "p1",
				SKUCode: "s1", ChargingMode: "1", ExpireTime: "20250101080000", TrialFlag: "1", TestFlag: "1"})
			ni := out.NewInstance()
			if ni.InstanceID != "biz-1" || ni.EncryptType != kg.EncryptAES128 {
				t.Fatalf("instanceId %q encryptType %q: the first businessId is the suggested id", ni.InstanceID, ni.EncryptType)
			}
			inst := h.instance(ni.InstanceID)
			if h.decrypt(kg.EncryptAES128, ni.AppInfo.UserName) != inst.AdminUser || h.decrypt(kg.EncryptAES128, ni.AppInfo.Password) != inst.Password {
				t.Error("appInfo credentials do not decrypt to the stored ones")
			}
			if !strings.Contains(out.Exchange.ResponseBody, `\u6c99\u7bb1`) || !strings.Contains(ni.AppInfo.Memo, "沙箱") {
				t.Errorf("memo must travel as \\u escapes: %s", out.Exchange.ResponseBody)
			}
			if !inst.Trial || inst.ExpireTime != "20250101080000" {
				t.Errorf("stored %+v", inst)
			}

			h.mustOK(v, &kg.RefreshInstanceRequest{OrderID: "CS2", InstanceID: "biz-1", ExpireTime: "20260101080000", TrialToFormal: "1"})
			if inst := h.instance("biz-1"); inst.ExpireTime != "20260101080000" || inst.Trial || inst.Refreshes != 1 {
				t.Errorf("after refresh %+v", inst)
			}
			h.mustOK(v, &kg.ExpireInstanceRequest{InstanceID: "biz-1", OrderID: "CS1"})
			if h.instance("biz-1").Status != StatusFrozen {
				t.Error("expireInstance must freeze")
			}
			h.mustOK(v, &kg.InstanceStatusRequest{InstanceID: "biz-1", InstanceStatus: kg.StatusNormal})
			if h.instance("biz-1").Status != StatusActive {
				t.Error("instanceStatus NORMAL must unfreeze")
			}
			h.mustOK(v, &kg.InstanceStatusRequest{InstanceID: "biz-1", InstanceStatus: kg.StatusFreeze})
			if h.instance("biz-1").Status != StatusFrozen {
				t.Error("instanceStatus FREEZE must freeze")
			}
			h.mustOK(v, &kg.UpgradeRequest{InstanceID: "biz-1", OrderID: "CS3", SKUCode: "s2", ProductID: "p2"})
			if inst := h.instance("biz-1"); inst.SKUCode != "s2" || inst.Upgrades != 1 {
				t.Errorf("after upgrade %+v", inst)
			}
			q := h.mustOK(v, &kg.QueryInstanceRequest{InstanceID: "biz-1"}).QueryInstance()
			if len(q.Info) != 1 || q.Info[0].InstanceID != "biz-1" || q.Info[0].AppInfo.FrontEndURL == "" {
				t.Errorf("query %+v", q)
			}
			h.mustOK(v, &kg.ReleaseInstanceRequest{InstanceID: "biz-1", OrderID: "CS1"})
			h.mustOK(v, &kg.ReleaseInstanceRequest{InstanceID: "biz-1", OrderID: "CS1"}) // repeat succeeds
			if h.instance("biz-1").Status != StatusReleased {
				t.Error("release")
			}
			h.mustCode(v, &kg.RefreshInstanceRequest{OrderID: "CS4", InstanceID: "biz-1", ExpireTime: "20270101080000"}, kg.ResultInstanceNotFound)
			h.mustCode(v, &kg.QueryInstanceRequest{InstanceID: "biz-1"}, kg.ResultInstanceNotFound)
		})
	}
}

func TestV2AllActivities(t *testing.T) {
	h := start(t, Config{})
	out := h.mustOK(kg.V2, &kg.NewInstanceRequest{BusinessID: "b-1", OrderID: "CS9", OrderLineID: "CS9-000001", TestFlag: "1"})
	id := out.NewInstance().InstanceID
	if out.NewInstance().AppInfo != nil {
		t.Error("V2 newInstance answers only instanceId")
	}
	q := h.mustOK(kg.V2, &kg.QueryInstanceRequest{InstanceID: id}).QueryInstance()
	if q.EncryptType != kg.EncryptAES256 || h.decrypt(kg.EncryptAES256, q.Info[0].AppInfo.UserName) != h.instance(id).AdminUser {
		t.Errorf("query %+v", q)
	}
	for i, scene := range []string{kg.SceneTrialToFormal, kg.SceneRenewal, kg.SceneRenewalChange, kg.SceneUnsubscribeRenewalPeriod} {
		h.mustOK(kg.V2, &kg.RefreshInstanceRequest{Scene: scene, OrderID: "R" + strconv.Itoa(i), OrderLineID: "R-1", InstanceID: id,
			ExpireTime: "2026010108000" + strconv.Itoa(i) + "123"})
	}
	if inst := h.instance(id); inst.Refreshes != 4 || inst.ExpireTime != "20260101080003" {
		t.Errorf("after refreshes %+v", inst)
	}
	h.mustOK(kg.V2, &kg.UpdateInstanceStatusRequest{InstanceID: id, Status: kg.StatusFreeze})
	if h.instance(id).Status != StatusFrozen {
		t.Error("FREEZE")
	}
	h.mustOK(kg.V2, &kg.UpdateInstanceStatusRequest{InstanceID: id, Status: kg.StatusUnfreeze})
	if h.instance(id).Status != StatusActive {
		t.Error("UNFREEZE")
	}
	h.mustOK(kg.V2, &kg.UpgradeInstanceRequest{InstanceID: id, OrderID: "U1", OrderLineID: "U1-1"})
	h.mustOK(kg.V2, &kg.ChangeInstanceCheckRequest{InstanceID: id, ProductInfo: json.RawMessage(`{"skuCode":"s"}`)})
	h.mustOK(kg.V2, &kg.GetLicenseAsyncRequest{InstanceID: id, EffectiveTime: "2023-10-27 10:30:15 z", EventID: "e1", DeviceFingerprint: "fp"})
	h.mustCode(kg.V2, &kg.GetLicenseAsyncRequest{InstanceID: id, EffectiveTime: "2023-10-27 10:30:15 z", EventID: "e2"}, kg.ResultLicenseFingerprintMissing)
	h.mustOK(kg.V2, &kg.OrderNotifyRequest{OrderID: "CS9", OrderLineID: "CS9-000001", TestFlag: "1"})
	h.mustOK(kg.V2, &kg.OrderNotifyRequest{OrderID: "CS9", OrderLineID: "CS9-000001", TestFlag: "1"})
	if n, _ := h.sb.Notifications(context.Background(), "CS9", "CS9-000001"); n != 2 {
		t.Errorf("notifications %d", n)
	}
	h.mustOK(kg.V2, &kg.ReleaseInstanceRequest{InstanceID: id})
	h.mustOK(kg.V2, &kg.ReleaseInstanceRequest{InstanceID: id})
}

func TestRichV2NewInstance(t *testing.T) {
	h := start(t, Config{})
	out := h.mustOK(kg.V2, &kg.NewInstanceRequest{
		BuyerInfo: &kg.BuyerInfo{CustomerID: "cust", CustomerName: "买家"},
		OrderInfo: []kg.OrderInfo{{BusinessID: "rich-b", OrderID: "RICH", ChargingMode: "ON_DEMAND", OrderAmount: "12.78",
			ProductInfo: []kg.ProductInfo{{SKUCode: "sku", ProductID: "p", LinearValue: "20"}}}},
		TestFlag: "1",
	})
	inst := h.instance(out.NewInstance().InstanceID)
	if inst.CustomerID != "cust" || inst.SKUCode != "sku" || inst.OrderID != "RICH" || inst.BusinessID != "rich-b" {
		t.Errorf("stored %+v", inst)
	}
	q := h.mustOK(kg.V2, &kg.QueryInstanceRequest{InstanceID: inst.InstanceID}).QueryInstance()
	if len(q.Info[0].UsageInfo) != 1 {
		t.Errorf("pay-per-use instance without usageInfo: %+v", q.Info[0])
	}
}

func TestIdempotency(t *testing.T) {
	h := start(t, Config{})
	// V1: the same order with a new businessId on every call.
	first := h.mustOK(kg.V1, &kg.NewInstanceRequest{CustomerID: "c", BusinessID: "b1", OrderID: "O1", ProductID: "p"}).NewInstance()
	again := h.mustOK(kg.V1, &kg.NewInstanceRequest{CustomerID: "c", BusinessID: "b2", OrderID: "O1", ProductID: "p"}).NewInstance()
	if again.InstanceID != first.InstanceID ||
		h.decrypt(kg.EncryptAES256, again.AppInfo.UserName) != h.decrypt(kg.EncryptAES256, first.AppInfo.UserName) ||
		h.decrypt(kg.EncryptAES256, again.AppInfo.Password) != h.decrypt(kg.EncryptAES256, first.AppInfo.Password) ||
		again.AppInfo.FrontEndURL != first.AppInfo.FrontEndURL {
		t.Errorf("repeat of order O1 gave %+v, first %+v", again, first)
	}
	// Pay-per-use: one order, two products, two instances.
	other := h.mustOK(kg.V1, &kg.NewInstanceRequest{CustomerID: "c", BusinessID: "b3", OrderID: "O1", ProductID: "p-2"}).NewInstance()
	if other.InstanceID == first.InstanceID {
		t.Error("(orderId, productId) must key pay-per-use instances")
	}
	// A businessId reused by a different order must not share the instance.
	clash := h.mustOK(kg.V1, &kg.NewInstanceRequest{CustomerID: "c", BusinessID: "b1", OrderID: "O2", ProductID: "p"}).NewInstance()
	if clash.InstanceID == first.InstanceID {
		t.Error("two orders share an instanceId")
	}

	// V2: (orderId, orderLineId).
	v2a := h.mustOK(kg.V2, &kg.NewInstanceRequest{BusinessID: "x1", OrderID: "O3", OrderLineID: "L1"}).NewInstance()
	v2b := h.mustOK(kg.V2, &kg.NewInstanceRequest{BusinessID: "x2", OrderID: "O3", OrderLineID: "L1"}).NewInstance()
	v2c := h.mustOK(kg.V2, &kg.NewInstanceRequest{BusinessID: "x3", OrderID: "O3", OrderLineID: "L2"}).NewInstance()
	if v2a.InstanceID != v2b.InstanceID || v2a.InstanceID == v2c.InstanceID {
		t.Errorf("V2 ids %s %s %s", v2a.InstanceID, v2b.InstanceID, v2c.InstanceID)
	}

	// Renewal and upgrade repeats by orderId apply once.
	id := first.InstanceID
	for range 3 {
		h.mustOK(kg.V1, &kg.RefreshInstanceRequest{OrderID: "R1", InstanceID: id, ExpireTime: "20250101080000"})
		h.mustOK(kg.V1, &kg.UpgradeRequest{InstanceID: id, OrderID: "U1", SKUCode: "s2", ProductID: "p"})
	}
	if inst := h.instance(id); inst.Refreshes != 1 || inst.Upgrades != 1 {
		t.Errorf("repeats applied twice: refreshes %d upgrades %d", inst.Refreshes, inst.Upgrades)
	}
	h.mustOK(kg.V1, &kg.RefreshInstanceRequest{OrderID: "R2", InstanceID: id, ExpireTime: "20260101080000"})
	if inst := h.instance(id); inst.Refreshes != 2 || inst.ExpireTime != "20260101080000" {
		t.Errorf("a new renewal order must apply: %+v", inst)
	}
	// After a refresh the original order still maps to the same instance.
	if again := h.mustOK(kg.V1, &kg.NewInstanceRequest{CustomerID: "c", BusinessID: "b9", OrderID: "O1", ProductID: "p"}).NewInstance(); again.InstanceID != id {
		t.Error("late retry of the original order created a new instance")
	}
}

func TestConcurrentDuplicateCreates(t *testing.T) {
	h := start(t, Config{})
	ids := make(chan string, 12)
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := h.client.Call(context.Background(), h.ep(kg.V2),
				&kg.NewInstanceRequest{BusinessID: "cb-" + strconv.Itoa(i), OrderID: "CONC", OrderLineID: "L"})
			if err != nil {
				t.Error(err)
				return
			}
			ids <- out.NewInstance().InstanceID
		}()
	}
	wg.Wait()
	close(ids)
	seen := map[string]bool{}
	for id := range ids {
		seen[id] = true
	}
	if len(seen) != 1 {
		t.Errorf("concurrent duplicates created %d instances: %v", len(seen), seen)
	}
}

func TestUnknownInstance(t *testing.T) {
	h := start(t, Config{})
	for _, tc := range []struct {
		v   kg.Version
		req kg.Request
	}{
		{kg.V1, &kg.RefreshInstanceRequest{OrderID: "o", InstanceID: "nope", ExpireTime: "20250101080000"}},
		{kg.V1, &kg.ExpireInstanceRequest{InstanceID: "nope"}},
		{kg.V1, &kg.ReleaseInstanceRequest{InstanceID: "nope", OrderID: "o"}},
		{kg.V1, &kg.UpgradeRequest{InstanceID: "nope", OrderID: "o", SKUCode: "s", ProductID: "p"}},
		{kg.V1, &kg.InstanceStatusRequest{InstanceID: "nope", InstanceStatus: kg.StatusFreeze}},
		{kg.V1, &kg.QueryInstanceRequest{InstanceID: "nope,nada"}},
		{kg.V2, &kg.UpdateInstanceStatusRequest{InstanceID: "nope", Status: kg.StatusUnfreeze}},
		{kg.V2, &kg.UpgradeInstanceRequest{InstanceID: "nope", OrderID: "o", OrderLineID: "l"}},
		{kg.V2, &kg.ChangeInstanceCheckRequest{InstanceID: "nope", ProductInfo: json.RawMessage(`{}`)}},
		{kg.V2, &kg.GetLicenseAsyncRequest{InstanceID: "nope", EffectiveTime: "x", EventID: "e", DeviceFingerprint: "f"}},
	} {
		out := h.mustCode(tc.v, tc.req, kg.ResultInstanceNotFound)
		if out.Class != kg.ClassBusinessCode {
			t.Errorf("%s: class %s", tc.req.Activity(), out.Class)
		}
	}
}

func TestAuthFailures(t *testing.T) {
	h := start(t, Config{})
	// Wrong key: the sandbox answers 000001 signed with its own key, so the
	// caller's Body-Sign check (with the wrong key) fails too.
	for _, v := range []kg.Version{kg.V1, kg.V1Post, kg.V2} {
		ep := h.ep(v)
		ep.Key = "wrong-key"
		req := kg.Request(&kg.QueryInstanceRequest{InstanceID: "x"})
		out, _ := h.client.Call(context.Background(), ep, req)
		body := []byte(out.Exchange.ResponseBody)
		if out.Class != kg.ClassBadBodySign || !bytes.Contains(body, []byte(`"resultCode":"000001"`)) {
			t.Errorf("%s: class %s body %s", v, out.Class, body)
		}
		if _, err := kg.VerifyBodySign(key, out.Exchange.ResponseHeaders.Get(kg.HeaderBodySign), body); err != nil {
			t.Errorf("%s: 000001 answer not signed with the sandbox key: %v", v, err)
		}
	}

	// Stale V2 timestamp.
	stale := &kg.Client{Now: func() time.Time { return h.clock.Now().Add(-61 * time.Second) }}
	out, _ := stale.Call(context.Background(), h.ep(kg.V2), &kg.QueryInstanceRequest{InstanceID: "x"})
	if out.ResultCode != kg.ResultAuthFailed || out.Exchange.BodySign != kg.BodySignOK {
		t.Errorf("stale timestamp: %s %s", out.ResultCode, out.Exchange.ResponseBody)
	}

	// Replayed nonce.
	replay := &kg.Client{Now: h.clock.Now, Nonce: func() string { return "FIXED-NONCE" }}
	req := &kg.OrderNotifyRequest{OrderID: "o", OrderLineID: "l", TestFlag: "1"}
	if out, err := replay.Call(context.Background(), h.ep(kg.V2), req); err != nil {
		t.Fatalf("first use of the nonce: %v", err)
	} else if out.ResultCode != kg.ResultSuccess {
		t.Fatal(out.ResultCode)
	}
	out, _ = replay.Call(context.Background(), h.ep(kg.V2), req)
	if out.ResultCode != kg.ResultAuthFailed {
		t.Errorf("replayed nonce: %s", out.ResultCode)
	}
	if n, _ := h.sb.Notifications(context.Background(), "o", "l"); n != 1 {
		t.Errorf("the replay had an effect: %d notifications", n)
	}
}

func TestInvalidParameters(t *testing.T) {
	h := start(t, Config{})
	// The client refuses to send invalid calls, so sign one by hand.
	body := []byte(`{"activity":"newInstance","businessId":"b","orderId":"o"}`)
	ts := strconv.FormatInt(h.clock.Now().UnixMilli(), 10)
	q := url.Values{"signature": {kg.V2Signature(key, "n1", ts, body)}, "timestamp": {ts}, "nonce": {"n1"}}
	resp, err := http.Post(h.srv.URL+"/produce?"+q.Encode(), "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !bytes.Contains(got, []byte(`"resultCode":"000002"`)) || !bytes.Contains(got, []byte("orderLineId")) {
		t.Errorf("status %d body %s", resp.StatusCode, got)
	}
	if _, err := kg.VerifyBodySign(key, resp.Header.Get(kg.HeaderBodySign), got); err != nil {
		t.Error(err)
	}

	req, _ := http.NewRequest(http.MethodDelete, h.srv.URL+"/produce", nil)
	resp2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	if resp2.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("DELETE: %d", resp2.StatusCode)
	}
}

func TestFaultLatency(t *testing.T) {
	h := start(t, Config{Faults: Faults{Latency: 300 * time.Millisecond}})
	fast := &kg.Client{Now: h.clock.Now, Timeout: 50 * time.Millisecond}
	out, _ := fast.Call(context.Background(), h.ep(kg.V2), &kg.OrderNotifyRequest{OrderID: "o", OrderLineID: "l", TestFlag: "1"})
	if out.Class != kg.ClassTimeout {
		t.Errorf("class %s", out.Class)
	}
	if err := h.sb.SetFaults(Faults{Latency: 40 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	// The client's clock is frozen; the recorded latency must still be real.
	out = h.mustOK(kg.V2, &kg.OrderNotifyRequest{OrderID: "o", OrderLineID: "l", TestFlag: "1"})
	if d := out.Exchange.Latency; d < 40*time.Millisecond {
		t.Errorf("latency %s recorded, the fault is 40ms", d)
	}
}

func TestFaultFailRateIsSeeded(t *testing.T) {
	run := func() string {
		h := start(t, Config{Seed: 7, Faults: Faults{FailRate: 0.5}})
		var pattern strings.Builder
		for range 40 {
			out := h.call(kg.V2, &kg.OrderNotifyRequest{OrderID: "o", OrderLineID: "l", TestFlag: "1"})
			switch out.ResultCode {
			case kg.ResultSuccess:
				pattern.WriteByte('.')
			case kg.ResultInternalError:
				pattern.WriteByte('F')
			default:
				t.Fatalf("code %s", out.ResultCode)
			}
		}
		return pattern.String()
	}
	a, b := run(), run()
	if a != b {
		t.Errorf("same seed, different failures:\n%s\n%s", a, b)
	}
	if n := strings.Count(a, "F"); n < 8 || n > 32 {
		t.Errorf("%d of 40 failed at rate 0.5: %s", n, a)
	}

	h := start(t, Config{Faults: Faults{FailRate: 1}})
	out := h.mustCode(kg.V1, &kg.ExpireInstanceRequest{InstanceID: "x"}, kg.ResultInternalError)
	if out.Class != kg.ClassBusinessCode {
		t.Errorf("class %s", out.Class)
	}
}

func TestFaultResultCode(t *testing.T) {
	h := start(t, Config{Faults: Faults{ResultCode: "000100"}})
	h.mustCode(kg.V1, &kg.NewInstanceRequest{CustomerID: "c", BusinessID: "b", OrderID: "o", ProductID: "p"}, kg.ResultNoResources)
	if _, err := h.sb.Instance(context.Background(), "b"); err == nil {
		t.Error("a forced failure must not provision")
	}
	_ = h.sb.SetFaults(Faults{ResultCode: "000000"})
	h.mustOK(kg.V1, &kg.NewInstanceRequest{CustomerID: "c", BusinessID: "b", OrderID: "o", ProductID: "p"})
}

func TestFaultBadBodySign(t *testing.T) {
	h := start(t, Config{Faults: Faults{BadBodySign: true}})
	out := h.call(kg.V1, &kg.QueryInstanceRequest{InstanceID: "x"})
	if out.Class != kg.ClassBadBodySign || out.Exchange.BodySign != kg.BodySignMismatch {
		t.Errorf("class %s sign %s", out.Class, out.Exchange.BodySign)
	}
}

func TestFaultAsync(t *testing.T) {
	h := start(t, Config{Faults: Faults{Async: true, AsyncDelay: time.Minute}})
	req := &kg.NewInstanceRequest{BusinessID: "async-1", OrderID: "A", OrderLineID: "A-1"}
	out := h.mustCode(kg.V2, req, kg.ResultProcessing)
	id := out.NewInstance().InstanceID
	if id == "" {
		t.Fatal("000004 must carry the instanceId to poll")
	}
	h.mustCode(kg.V2, &kg.QueryInstanceRequest{InstanceID: id}, kg.ResultProcessing)
	h.mustCode(kg.V2, req, kg.ResultProcessing) // a retry while pending

	h.clock.Advance(time.Minute)
	q := h.mustOK(kg.V2, &kg.QueryInstanceRequest{InstanceID: id}).QueryInstance()
	if q.Info[0].InstanceID != id || q.Info[0].AppInfo == nil {
		t.Errorf("query after the delay %+v", q)
	}
	if again := h.mustOK(kg.V2, req).NewInstance(); again.InstanceID != id {
		t.Errorf("newInstance after the delay gave %s", again.InstanceID)
	}
}

func TestFaultsEndpoint(t *testing.T) {
	h := start(t, Config{})
	get := func() map[string]any {
		resp, err := http.Get(h.srv.URL + "/sandbox/faults")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	post := func(body string) int {
		resp, err := http.Post(h.srv.URL+"/sandbox/faults", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if m := get(); m["latency"] != "0s" || m["async-delay"] != "2s" || m["fail-rate"] != 0.0 {
		t.Errorf("defaults %v", m)
	}
	if code := post(`{"latency":"25ms","fail-rate":0.25,"result-code":"000005","bad-body-sign":true,"async":true,"async-delay":"1s"}`); code != 200 {
		t.Fatalf("POST: %d", code)
	}
	want := Faults{Latency: 25 * time.Millisecond, FailRate: 0.25, ResultCode: "000005", BadBodySign: true, Async: true, AsyncDelay: time.Second}
	if got := h.sb.Faults(); got != want {
		t.Errorf("faults %+v, want %+v", got, want)
	}
	// Partial update keeps the rest.
	if code := post(`{"bad-body-sign":false}`); code != 200 {
		t.Fatal(code)
	}
	if f := h.sb.Faults(); f.BadBodySign || f.ResultCode != "000005" {
		t.Errorf("partial update: %+v", f)
	}
	for _, bad := range []string{`{"fail-rate":2}`, `{"latency":"soon"}`, `{"result-code":"12"}`, `{"nope":1}`, `[]`, `{"latency":"-1s"}`} {
		if code := post(bad); code != 400 {
			t.Errorf("%s: %d, want 400", bad, code)
		}
	}
	if f := h.sb.Faults(); f.FailRate != 0.25 {
		t.Errorf("a rejected patch changed the faults: %+v", f)
	}
	// The knobs set at run time act on /produce.
	if code := post(`{"result-code":"","fail-rate":0,"async":false,"latency":"0s"}`); code != 200 {
		t.Fatal(code)
	}
	h.mustOK(kg.V2, &kg.OrderNotifyRequest{OrderID: "o", OrderLineID: "l", TestFlag: "1"})
}

func TestInspectionAndPersistence(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sb.db")
	h := start(t, Config{DBPath: path})
	id := h.mustOK(kg.V1, &kg.NewInstanceRequest{CustomerID: "c", BusinessID: "keep", OrderID: "P", ProductID: "p"}).NewInstance().InstanceID
	resp, err := http.Get(h.srv.URL + "/sandbox/instances/" + id)
	if err != nil {
		t.Fatal(err)
	}
	var inst map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&inst)
	resp.Body.Close()
	if inst["instanceId"] != id || inst["status"] != StatusActive || inst["Password"] != nil {
		t.Errorf("inspection %v", inst)
	}
	if resp, _ := http.Get(h.srv.URL + "/sandbox/instances/none"); resp.StatusCode != 404 {
		t.Errorf("unknown instance: %d", resp.StatusCode)
	}

	h2 := start(t, Config{DBPath: path})
	if again := h2.mustOK(kg.V1, &kg.NewInstanceRequest{CustomerID: "c", BusinessID: "new", OrderID: "P", ProductID: "p"}).NewInstance(); again.InstanceID != id {
		t.Errorf("after reopening: %s, want %s", again.InstanceID, id)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	for _, cfg := range []Config{
		{},
		{Key: "k", EncryptType: "3"},
		{Key: "k", Faults: Faults{FailRate: -1}},
		{Key: "k", DBPath: "/nonexistent-dir/x/y.db"},
	} {
		if sb, err := New(cfg); err == nil {
			sb.Close()
			t.Errorf("%+v accepted", cfg)
		}
	}
}
