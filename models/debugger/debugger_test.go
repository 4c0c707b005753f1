package debugger_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/catalog"
	"github.com/sellercenter/sellercenter/models/db"
	"github.com/sellercenter/sellercenter/models/dbtest"
	"github.com/sellercenter/sellercenter/models/debugger"
	"github.com/sellercenter/sellercenter/models/demo"
	"github.com/sellercenter/sellercenter/models/provisioning"
	"github.com/sellercenter/sellercenter/models/vault"
	"github.com/sellercenter/sellercenter/web/koogallery"
	"github.com/sellercenter/sellercenter/web/koogallery/sandbox"
)

// recorder keeps the last request a sandbox received, byte for byte, so a
// test can recompute its signature independently of the debugger.
type recorder struct {
	mu    sync.Mutex
	query string
	body  []byte
	next  http.Handler
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.query, r.body = req.URL.RawQuery, b
	r.mu.Unlock()
	req.Body = io.NopCloser(bytes.NewReader(b))
	r.next.ServeHTTP(w, req)
}

func (r *recorder) last() (string, []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.query, r.body
}

type fixture struct {
	t      *testing.T
	db     *db.DB
	clock  *bizclock.Fake
	cat    *catalog.Service
	dbg    *debugger.Service
	acc    *accounts.Service
	core   *provisioning.Service
	acme   *sandbox.Server
	globex *sandbox.Server
	recA   *recorder
	recG   *recorder
}

type noSched struct{}

func (noSched) Schedule(context.Context, *sql.Tx, int64, time.Time) error { return nil }

// newFixture: the demo merchants, products, endpoints and keys; Acme speaks
// V2 and Globex V1, each to a reference sandbox started in-process.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	d := dbtest.Open(t)
	clock := bizclock.NewFake(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
	acc := accounts.New(d.Gorm, clock, accounts.TestHashParams, accounts.DefaultLimits)
	if err := demo.Seed(ctx, acc); err != nil {
		t.Fatal(err)
	}
	v, err := vault.New(make([]byte, vault.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	cat := catalog.New(d.Gorm, clock, v, catalog.URLPolicy{AllowPrivate: true})
	if err := demo.SeedCatalog(ctx, d.Gorm, cat); err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, db: d, clock: clock, cat: cat, acc: acc,
		dbg: debugger.New(d.Gorm, clock, cat, debugger.Config{AllowPrivate: true})}
	f.core = provisioning.New(d.Gorm, clock, v, cat, provisioning.Config{AllowPrivate: true})
	f.core.SetScheduler(noSched{})
	for _, sb := range []struct {
		slug, key string
		dst       **sandbox.Server
		rec       **recorder
	}{{"acme", demo.AcmeKey, &f.acme, &f.recA}, {"globex", demo.GlobexKey, &f.globex, &f.recG}} {
		srv, err := sandbox.New(sandbox.Config{Key: sb.key, Now: clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = srv.Close() })
		rec := &recorder{next: srv}
		hs := httptest.NewServer(rec)
		t.Cleanup(hs.Close)
		*sb.dst, *sb.rec = srv, rec
		m, err := cat.MerchantBySlug(ctx, sb.slug)
		if err != nil {
			t.Fatal(err)
		}
		ep, err := cat.Endpoint(ctx, models.SystemActor("test"), m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cat.SetEndpoint(ctx, models.SystemActor("test"), m.ID, catalog.EndpointInput{URL: hs.URL + "/produce",
			Protocol: ep.Protocol, EncryptType: ep.EncryptType, TimeoutMS: 5000}); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *fixture) actor(email string) models.Actor {
	f.t.Helper()
	u, err := f.acc.UserByEmail(context.Background(), email)
	if err != nil {
		f.t.Fatal(err)
	}
	return models.ActorOf(u, "127.0.0.1")
}

func (f *fixture) productRef(code string) int64 {
	f.t.Helper()
	var id int64
	if err := f.db.SQL.QueryRow(`SELECT id FROM products WHERE product_id = ?`, code).Scan(&id); err != nil {
		f.t.Fatal(err)
	}
	return id
}

func (f *fixture) count(q string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.db.SQL.QueryRow(q, args...).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func step(t *testing.T, steps []debugger.Step, label string) debugger.Step {
	t.Helper()
	for _, s := range steps {
		if s.Label == label {
			return s
		}
	}
	t.Fatalf("no step %s in %+v", label, steps)
	return debugger.Step{}
}

func TestSendV2NewInstanceChecksEverySignatureStep(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	owner := f.actor("owner@acme.test")
	res, err := f.dbg.Send(ctx, owner, debugger.Compose{Activity: "newInstance"})
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() || res.ResultCode != "000000" || res.MeaningZH != "成功" || res.Protocol != "v2" {
		t.Fatalf("result: class=%s code=%s detail=%s", res.Class, res.ResultCode, res.ErrorDetail)
	}
	// What the sandbox received, recomputed with the protocol package alone.
	rawQuery, body := f.recA.last()
	q, err := parseQuery(rawQuery)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(body), `"testFlag":"1"`) {
		t.Fatalf("not a test call: %s", body)
	}
	hash := koogallery.V2PayloadHash(demo.AcmeKey, body)
	sig := koogallery.V2Signature(demo.AcmeKey, q["nonce"], q["timestamp"], body)
	if s := step(t, res.Steps, "debug.step.v2_payload"); s.Value != string(body) {
		t.Errorf("payload step %q, sent %q", s.Value, body)
	}
	if s := step(t, res.Steps, "debug.step.v2_payload_hash"); s.Value != hash {
		t.Errorf("payload hash step %q, want %q", s.Value, hash)
	}
	if s := step(t, res.Steps, "debug.step.v2_string"); s.Value != debugger.KeyPlaceholder+q["nonce"]+q["timestamp"]+hash {
		t.Errorf("string-to-sign step %q", s.Value)
	}
	s := step(t, res.Steps, "debug.step.v2_signature")
	if s.Expected != sig || s.Received != q["signature"] || s.Verdict != "ok" {
		t.Errorf("signature step %+v, want %s", s, sig)
	}
	bs := step(t, res.ResponseSteps, "debug.step.body_sign")
	if bs.Verdict != "ok" || bs.Expected != bs.Received || bs.Expected == "" {
		t.Errorf("Body-Sign step %+v", bs)
	}
	// The key never appears; the exchange shown is masked.
	for _, text := range []string{res.URL, res.RequestText, res.ResponseText, fmt.Sprint(res.Steps), fmt.Sprint(res.ResponseSteps)} {
		if strings.Contains(text, demo.AcmeKey) {
			t.Fatal("the access key is shown")
		}
	}
	if strings.Contains(res.URL, q["signature"]) {
		t.Fatal("the exchange URL is not masked")
	}
	// A test call is not an order: no interface message; the send is audited.
	if n := f.count(`SELECT count(*) FROM interface_messages`); n != 0 {
		t.Fatalf("%d interface messages", n)
	}
	if n := f.count(`SELECT count(*) FROM audit_log WHERE action = ? AND actor_email = ?`, models.AuditDebugSent, "owner@acme.test"); n != 1 {
		t.Fatalf("%d audit lines", n)
	}
}

func parseQuery(raw string) (map[string]string, error) {
	params, token, err := koogallery.ParseV1Query(raw)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for k := range params {
		out[k] = params.Get(k)
	}
	if token != "" {
		out["authToken"] = token
	}
	return out, nil
}

func TestSendV1NewInstanceChecksEverySignatureStep(t *testing.T) {
	f := newFixture(t)
	res, err := f.dbg.Send(context.Background(), f.actor("owner@globex.test"), debugger.Compose{Activity: "newInstance",
		ProductRef: f.productRef("00302-200001-0--0"), OrderID: "CSDEBUG0001"})
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() || res.ResultCode != "000000" || res.Protocol != "v1" || res.Method != http.MethodGet {
		t.Fatalf("result: class=%s code=%s detail=%s", res.Class, res.ResultCode, res.ErrorDetail)
	}
	rawQuery, _ := f.recG.last()
	params, token, err := koogallery.ParseV1Query(rawQuery)
	if err != nil {
		t.Fatal(err)
	}
	if params.Get("testFlag") != "1" || params.Get("orderId") != "CSDEBUG0001" || params.Get("productId") != "00302-200001-0--0" {
		t.Fatalf("sent %v", params)
	}
	want, err := koogallery.V1Token(demo.GlobexKey, params)
	if err != nil {
		t.Fatal(err)
	}
	if s := step(t, res.Steps, "debug.step.v1_canonical"); s.Value != koogallery.V1CanonicalString(params) {
		t.Errorf("canonical step %q", s.Value)
	}
	if s := step(t, res.Steps, "debug.step.v1_hmac_key"); s.Value != debugger.KeyPlaceholder+params.Get("timeStamp") {
		t.Errorf("HMAC key step %q", s.Value)
	}
	if s := step(t, res.Steps, "debug.step.v1_token"); s.Expected != want || s.Received != token || s.Verdict != "ok" {
		t.Errorf("token step %+v, want %s", s, want)
	}
	if step(t, res.ResponseSteps, "debug.step.body_sign").Verdict != "ok" {
		t.Error("Body-Sign step failed")
	}
}

func TestWrongKeyAndBadBodySign(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	owner := f.actor("owner@acme.test")
	acme, _ := f.cat.MerchantBySlug(ctx, "acme")

	// The sandbox signs its answers right but with its key: the seller center
	// then sees 000001 and a Body-Sign it cannot verify.
	if _, err := f.cat.RotateKey(ctx, models.SystemActor("test"), acme.ID, "a-completely-different-key-123", 0); err != nil {
		t.Fatal(err)
	}
	res, err := f.dbg.Send(ctx, owner, debugger.Compose{Activity: "newInstance"})
	if err != nil {
		t.Fatal(err)
	}
	if res.ResultCode != "000001" || res.OK() || res.MeaningEN != "authentication failed" {
		t.Fatalf("wrong key: class=%s code=%s", res.Class, res.ResultCode)
	}
	if step(t, res.ResponseSteps, "debug.step.body_sign").Verdict != "bad" {
		t.Fatal("Body-Sign step passed with the wrong key")
	}

	// The right key again, and the sandbox's bad-body-sign fault: the answer
	// is 000000 but its Body-Sign step fails, and so does the call.
	if _, err := f.cat.RotateKey(ctx, models.SystemActor("test"), acme.ID, demo.AcmeKey, 0); err != nil {
		t.Fatal(err)
	}
	if err := f.acme.SetFaults(sandbox.Faults{BadBodySign: true}); err != nil {
		t.Fatal(err)
	}
	res, err = f.dbg.Send(ctx, owner, debugger.Compose{Activity: "newInstance"})
	if err != nil {
		t.Fatal(err)
	}
	bs := step(t, res.ResponseSteps, "debug.step.body_sign")
	if res.ResultCode != "000000" || res.Class != string(koogallery.ClassBadBodySign) || bs.Verdict != "bad" || bs.Expected == bs.Received {
		t.Fatalf("bad body sign: class=%s code=%s step=%+v", res.Class, res.ResultCode, bs)
	}
	if step(t, res.Steps, "debug.step.v2_signature").Verdict != "ok" {
		t.Fatal("the request signature should still be right")
	}
}

func fieldOf(t *testing.T, err error, field string) models.Msg {
	t.Helper()
	var v *models.ValidationError
	if !errors.As(err, &v) {
		t.Fatalf("want a validation error on %s, got %v", field, err)
	}
	if field == "" {
		if v.Form == nil {
			t.Fatalf("no form error: %v", v)
		}
		return *v.Form
	}
	m, ok := v.Fields[field]
	if !ok {
		t.Fatalf("no error on %s: %v", field, v)
	}
	return m
}

func TestBadInputIsAValidationError(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	owner := f.actor("owner@acme.test")
	cases := []struct {
		name  string
		c     debugger.Compose
		field string
		msg   string
	}{
		{"unknown activity", debugger.Compose{Activity: "dropDatabase"}, "activity", "err.debug_activity"},
		{"activity of the other protocol", debugger.Compose{Activity: "expireInstance", InstanceID: "x"}, "activity", "err.debug_activity_version"},
		{"invalid JSON", debugger.Compose{Activity: "newInstance", Extras: `{"customerId": `}, "extras", "err.debug_extras_json"},
		{"not an object", debugger.Compose{Activity: "newInstance", Extras: `["a"]`}, "extras", "err.json_object"},
		{"oversized", debugger.Compose{Activity: "newInstance", Extras: `{"x":"` + strings.Repeat("a", debugger.MaxParamsBytes) + `"}`}, "extras", "err.too_long"},
		{"reserved", debugger.Compose{Activity: "newInstance", Extras: `{"testFlag":"0"}`}, "extras", "err.debug_param_reserved"},
		{"a V1 field in V2", debugger.Compose{Activity: "newInstance", Extras: `{"customerId":"c"}`}, "extras", "err.debug_param_unknown"},
		{"not a parameter at all", debugger.Compose{Activity: "newInstance", Extras: `{"nonsense":"c"}`}, "extras", "err.debug_param_unknown"},
		{"wrong type", debugger.Compose{Activity: "queryInstance", Extras: `{"instanceId": 5}`}, "instance_id", "err.debug_param_type"},
		{"missing instance", debugger.Compose{Activity: "queryInstance"}, "instance_id", "err.required"},
		{"bad enum", debugger.Compose{Activity: "updateInstanceStatus", InstanceID: "i-1", Status: "MELT"}, "status", "err.debug_param_invalid"},
		{"same field twice", debugger.Compose{Activity: "queryInstance", InstanceID: "a", Extras: `{"instanceId":"b"}`}, "extras", "err.debug_param_twice"},
		{"another merchant's product", debugger.Compose{Activity: "newInstance", ProductRef: f.productRef("00302-200001-0--0")}, "product", "err.product_unknown"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.dbg.Send(ctx, owner, tc.c)
			if m := fieldOf(t, err, tc.field); m.ID != tc.msg {
				t.Fatalf("%s: %s, want %s", tc.field, m.ID, tc.msg)
			}
		})
	}
	// No active key: a form-wide message, not a failure.
	acme, _ := f.cat.MerchantBySlug(ctx, "acme")
	keys, _ := f.cat.Keys(ctx, models.SystemActor("test"), acme.ID)
	for _, k := range keys {
		_ = f.cat.RevokeKey(ctx, models.SystemActor("test"), acme.ID, k.ID, true)
	}
	_, err := f.dbg.Send(ctx, owner, debugger.Compose{Activity: "newInstance"})
	if m := fieldOf(t, err, ""); m.ID != "err.debug_no_key" {
		t.Fatalf("no key: %s", m.ID)
	}
	// Roles without the debugger are refused.
	if _, err := f.dbg.Send(ctx, f.actor("staff@acme.test"), debugger.Compose{Activity: "newInstance"}); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("operations role: %v", err)
	}
	if n := f.count(`SELECT count(*) FROM audit_log WHERE action = ?`, models.AuditDebugSent); n != 0 {
		t.Fatalf("refused sends were audited: %d", n)
	}
}

func TestCasesAreScopedToTheMerchant(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	acmeOwner, globexOwner := f.actor("owner@acme.test"), f.actor("owner@globex.test")
	tc, err := f.dbg.Save(ctx, acmeOwner, "  开通冒烟  ", debugger.Compose{Activity: "newInstance", ProductRef: f.productRef("00301-100001-0--0")})
	if err != nil {
		t.Fatal(err)
	}
	if tc.Name != "开通冒烟" || tc.ProductRef == nil {
		t.Fatalf("saved %+v", tc)
	}
	if _, err := f.dbg.Save(ctx, acmeOwner, "开通冒烟", debugger.Compose{Activity: "queryInstance", InstanceID: "x"}); fieldOf(t, err, "name").ID != "err.debug_case_taken" {
		t.Fatal("duplicate name accepted")
	}
	if _, err := f.dbg.Save(ctx, acmeOwner, strings.Repeat("名", 65), debugger.Compose{Activity: "queryInstance", InstanceID: "x"}); fieldOf(t, err, "name").ID != "err.too_long" {
		t.Fatal("long name accepted")
	}
	if _, err := f.dbg.Save(ctx, acmeOwner, "bad", debugger.Compose{Activity: "queryInstance"}); fieldOf(t, err, "instance_id").ID != "err.required" {
		t.Fatal("a case the protocol refuses was saved")
	}
	// Globex may use the same name: names are unique per merchant.
	if _, err := f.dbg.Save(ctx, globexOwner, "开通冒烟", debugger.Compose{Activity: "queryInstance", InstanceID: "x"}); err != nil {
		t.Fatal(err)
	}
	list, err := f.dbg.List(ctx, acmeOwner)
	if err != nil || len(list) != 1 || list[0].ProductID != "00301-100001-0--0" {
		t.Fatalf("acme cases: %+v %v", list, err)
	}
	res, err := f.dbg.Run(ctx, acmeOwner, tc.ID)
	if err != nil || !res.OK() || res.CaseName != "开通冒烟" {
		t.Fatalf("run: %+v %v", res, err)
	}
	// Another merchant's case is not found, for running and deleting alike.
	if _, err := f.dbg.Run(ctx, globexOwner, tc.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("globex ran acme's case: %v", err)
	}
	if err := f.dbg.Delete(ctx, globexOwner, tc.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("globex deleted acme's case: %v", err)
	}
	if err := f.dbg.Delete(ctx, acmeOwner, tc.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ := f.dbg.List(ctx, acmeOwner); len(list) != 0 {
		t.Fatal("case not deleted")
	}
	if n := f.count(`SELECT count(*) FROM audit_log WHERE action IN (?, ?)`, models.AuditCaseSaved, models.AuditCaseDeleted); n != 3 {
		t.Fatalf("%d case audit lines, want 3", n)
	}
}

// atShanghai moves the fake clock to a local wall time of day n (Nov 2026).
func (f *fixture) atShanghai(day, hour int) time.Time {
	t := time.Date(2026, 11, day, hour, 0, 0, 0, bizclock.Shanghai)
	f.clock.Set(t)
	return t
}

func TestDialTestsFreezeAfterFiveFailingDaysAndOpsReverse(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.dbg.Save(ctx, f.actor("owner@acme.test"), "开通", debugger.Compose{Activity: "newInstance",
		ProductRef: f.productRef("00301-100001-0--0")}); err != nil {
		t.Fatal(err)
	}
	globexProduct := f.productRef("00302-200001-0--0")
	if _, err := f.dbg.Save(ctx, f.actor("owner@globex.test"), "开通", debugger.Compose{Activity: "newInstance",
		ProductRef: globexProduct}); err != nil {
		t.Fatal(err)
	}
	// A case without a product is never dialed.
	if _, err := f.dbg.Save(ctx, f.actor("owner@acme.test"), "查询", debugger.Compose{Activity: "queryInstance", InstanceID: "i-1"}); err != nil {
		t.Fatal(err)
	}
	if err := f.globex.SetFaults(sandbox.Faults{FailRate: 1}); err != nil {
		t.Fatal(err)
	}
	// A run cut short by shutdown records nothing: a cancelled call says
	// nothing about the merchant's interface.
	if err := f.globex.SetFaults(sandbox.Faults{FailRate: 1, Latency: 3 * time.Second}); err != nil {
		t.Fatal(err)
	}
	if err := f.acme.SetFaults(sandbox.Faults{Latency: 3 * time.Second}); err != nil {
		t.Fatal(err)
	}
	cut, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	_, err := f.dbg.DialAll(cut, f.atShanghai(1, 9))
	cancel()
	if err == nil || f.count(`SELECT count(*) FROM dial_runs`) != 0 {
		t.Fatalf("cancelled dial run: %v, %d runs", err, f.count(`SELECT count(*) FROM dial_runs`))
	}
	_ = f.acme.SetFaults(sandbox.Faults{})
	if err := f.globex.SetFaults(sandbox.Faults{FailRate: 1}); err != nil {
		t.Fatal(err)
	}
	for day := 1; day <= 5; day++ {
		for _, hour := range debugger.DialSlots {
			rep, err := f.dbg.DialAll(ctx, f.atShanghai(day, hour))
			if err != nil {
				t.Fatal(err)
			}
			if rep.Runs != 2 || rep.Failed != 1 {
				t.Fatalf("day %d %02d:00: %+v", day, hour, rep)
			}
			wantFrozen := day == 5 && hour == 16
			if (len(rep.Frozen) == 1) != wantFrozen {
				t.Fatalf("day %d %02d:00: frozen %v", day, hour, rep.Frozen)
			}
		}
	}
	if n := f.count(`SELECT count(*) FROM products WHERE id = ? AND status = 'frozen' AND status_reason = ?`, globexProduct, models.ReasonDialFailed); n != 1 {
		t.Fatal("globex product not frozen")
	}
	if n := f.count(`SELECT count(*) FROM products WHERE product_id = '00301-100001-0--0' AND status = 'on_sale'`); n != 1 {
		t.Fatal("acme product frozen although its dial tests pass")
	}
	if n := f.count(`SELECT count(*) FROM notifications WHERE type_code = 501 AND msg_id = 'notify.dial_frozen'`); n != 1 {
		t.Fatalf("%d freeze notifications", n)
	}
	if n := f.count(`SELECT count(*) FROM audit_log WHERE action = ? AND target_id = ?`, models.AuditProductFrozen, fmt.Sprint(globexProduct)); n != 1 {
		t.Fatal("freeze not audited")
	}
	if n := f.count(`SELECT count(*) FROM interface_messages`); n != 0 {
		t.Fatalf("dial tests wrote %d interface messages", n)
	}
	// A frozen product is not dialed.
	rep, err := f.dbg.DialAll(ctx, f.atShanghai(6, 10))
	if err != nil || rep.Runs != 1 {
		t.Fatalf("after the freeze: %+v %v", rep, err)
	}
	// Merchant roles may not reverse; operations may, once.
	if err := f.dbg.Unfreeze(ctx, f.actor("owner@globex.test"), globexProduct); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("merchant unfroze: %v", err)
	}
	ops := f.actor("ops@demo.test")
	if err := f.dbg.Unfreeze(ctx, ops, globexProduct); err != nil {
		t.Fatal(err)
	}
	if err := f.dbg.Unfreeze(ctx, ops, globexProduct); fieldOf(t, err, "").ID != "err.product_not_frozen" {
		t.Fatal("unfroze twice")
	}
	if n := f.count(`SELECT count(*) FROM audit_log WHERE action = ? AND actor_email = 'ops@demo.test'`, models.AuditProductUnfrozen); n != 1 {
		t.Fatal("unfreeze not audited")
	}
	// The streak starts over: one more failing day does not freeze again.
	rep, err = f.dbg.DialAll(ctx, f.atShanghai(6, 16))
	if err != nil || len(rep.Frozen) != 0 || rep.Runs != 2 {
		t.Fatalf("after unfreezing: %+v %v", rep, err)
	}
	sum, err := f.dbg.AdminProducts(ctx, ops)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range sum {
		if p.ID == globexProduct && (p.FailingDays != 1 || p.Status != models.ProductOnSale || len(p.Runs) != debugger.RunsShown || p.MerchantName == "") {
			t.Fatalf("admin summary: %+v", p)
		}
	}
	if _, err := f.dbg.AdminProducts(ctx, f.actor("owner@acme.test")); !errors.Is(err, models.ErrForbidden) {
		t.Fatal("merchant listed every product")
	}
}

func TestFailedOrdersFlagForDelisting(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.atShanghai(20, 12)
	product := f.productRef("00301-100002-0--0")
	order := func(id string, failed bool) {
		t.Helper()
		in := provisioning.OrderInput{OrderID: id, OrderType: models.OrderNew, CreateTime: f.clock.Now().Add(-time.Minute),
			Buyer: provisioning.BuyerInput{CustomerID: "c-" + id, CustomerName: "张三"},
			Lines: []provisioning.LineInput{{OrderLineID: id + "-1", ProductID: "00301-100002-0--0", ChargingMode: models.ChargingPeriod,
				PeriodType: "year", PeriodNumber: 1, Amount: "999.00"}}}
		if _, _, err := f.core.AcceptOrder(ctx, in); err != nil {
			t.Fatal(err)
		}
		if failed {
			if _, err := f.db.SQL.Exec(`UPDATE calls SET state = 'failed' WHERE order_line_ref = (SELECT id FROM order_lines WHERE order_line_id = ?)`, id+"-1"); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Last month's failures do not count toward this month.
	f.atShanghai(1, 0)
	f.clock.Advance(-time.Hour) // 2026-10-31 23:00 Shanghai
	order("OCT-1", true)
	f.atShanghai(20, 12)
	for i := 1; i <= 5; i++ {
		order(fmt.Sprintf("NOV-%d", i), true)
	}
	order("NOV-OK", false)
	_, flagged, err := f.dbg.EvaluateRules(ctx, f.clock.Now())
	if err != nil || len(flagged) != 0 {
		t.Fatalf("five failed orders flagged: %v %v", flagged, err)
	}
	order("NOV-6", true)
	_, flagged, err = f.dbg.EvaluateRules(ctx, f.clock.Now())
	if err != nil || len(flagged) != 1 || flagged[0] != "00301-100002-0--0" {
		t.Fatalf("six failed orders: %v %v", flagged, err)
	}
	if n := f.count(`SELECT count(*) FROM products WHERE id = ? AND delist_flagged = 1`, product); n != 1 {
		t.Fatal("not flagged")
	}
	if n := f.count(`SELECT count(*) FROM notifications WHERE type_code = 501 AND msg_id = 'notify.delist_flagged'`); n != 1 {
		t.Fatal("merchant not notified")
	}
	// Operations clear the flag; the same failures do not flag it again.
	ops := f.actor("ops@demo.test")
	if err := f.dbg.ClearDelistFlag(ctx, f.actor("owner@acme.test"), product); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("merchant cleared the flag: %v", err)
	}
	f.clock.Advance(time.Minute)
	if err := f.dbg.ClearDelistFlag(ctx, ops, product); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Minute)
	if _, flagged, _ := f.dbg.EvaluateRules(ctx, f.clock.Now()); len(flagged) != 0 {
		t.Fatalf("flag came back at once: %v", flagged)
	}
	if n := f.count(`SELECT count(*) FROM audit_log WHERE action = ? AND actor_email = 'ops@demo.test'`, models.AuditDelistCleared); n != 1 {
		t.Fatal("clearing not audited")
	}
	if err := f.dbg.ClearDelistFlag(ctx, ops, 99999); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("absent product: %v", err)
	}
}
