package debugger_test

import (
	"context"
	"encoding/json"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/catalog"
	"github.com/sellercenter/sellercenter/models/dbtest"
	"github.com/sellercenter/sellercenter/models/debugger"
	"github.com/sellercenter/sellercenter/models/demo"
)

// deadURL is an address nothing listens on: a closed local port.
func deadURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr + "/produce"
}

func (f *fixture) endpointURL(mid int64) string {
	f.t.Helper()
	ep, err := f.cat.Endpoint(context.Background(), models.SystemActor("test"), mid)
	if err != nil {
		f.t.Fatal(err)
	}
	return ep.URL
}

func (f *fixture) lastEndpointAudit(mid int64) map[string]any {
	f.t.Helper()
	var e models.AuditEntry
	if err := f.db.Gorm.Where("action = ? AND merchant_id = ?", models.AuditEndpointChanged, mid).Order("id DESC").First(&e).Error; err != nil {
		f.t.Fatal(err)
	}
	var d map[string]any
	if err := json.Unmarshal([]byte(e.Detail), &d); err != nil {
		f.t.Fatal(err)
	}
	return d
}

func TestSavingAnEndpointTestCallsItFirstAndNeedsConfirmationAfterAFailure(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, who := range []string{"owner@acme.test", "owner@globex.test"} { // V2 and V1
		owner := f.actor(who)
		mid := owner.MerchantID
		good := f.endpointURL(mid)
		bad := deadURL(t)
		proto := "v2"
		if who == "owner@globex.test" {
			proto = "v1"
		}
		in := catalog.EndpointInput{URL: bad, Protocol: proto, EncryptType: 1, TimeoutMS: 2000, MaxConcurrency: 4}
		res, err := f.dbg.SaveEndpoint(ctx, owner, in, false)
		if err != nil {
			t.Fatalf("%s: %v", who, err)
		}
		if res.Saved || res.Check == nil || res.Check.Class != "connection" || res.Passed() {
			t.Fatalf("%s: failing endpoint: %+v", who, res)
		}
		if strings.Contains(res.Check.ErrorDetail, "signature=") && !strings.Contains(res.Check.ErrorDetail, "signature=***") ||
			strings.Contains(res.Check.ErrorDetail, "authToken=") && !strings.Contains(res.Check.ErrorDetail, "authToken=***") {
			t.Fatalf("%s: unmasked error %q", who, res.Check.ErrorDetail)
		}
		if f.endpointURL(mid) != good {
			t.Fatalf("%s: saved without confirmation", who)
		}
		res, err = f.dbg.SaveEndpoint(ctx, owner, in, true)
		if err != nil || !res.Saved || f.endpointURL(mid) != bad {
			t.Fatalf("%s: confirmed save: %+v %v", who, res, err)
		}
		d := f.lastEndpointAudit(mid)
		old, _ := d["old"].(map[string]any)
		nw, _ := d["new"].(map[string]any)
		check, _ := d["test_call"].(map[string]any)
		if old["url"] != good || nw["url"] != bad || check["class"] != "connection" || check["saved_after_failure"] != true {
			t.Fatalf("%s: audit %v", who, d)
		}
		// Back to the working endpoint: the call passes, saved at once.
		in.URL = good
		res, err = f.dbg.SaveEndpoint(ctx, owner, in, false)
		if err != nil || !res.Saved || !res.Passed() || res.Check.ResultCode != "000000" || res.Check.MeaningZH == "" {
			t.Fatalf("%s: working endpoint: %+v %v", who, res, err)
		}
		if q, _ := f.recA.last(); who == "owner@acme.test" && !strings.Contains(q, "signature=") {
			t.Fatalf("the V2 call was not signed: %q", q)
		}
		// Only the timeout changes: no call, saved.
		in.TimeoutMS = 3000
		res, err = f.dbg.SaveEndpoint(ctx, owner, in, false)
		if err != nil || !res.Saved || res.Check != nil {
			t.Fatalf("%s: timeout only: %+v %v", who, res, err)
		}
	}
	_, body := f.recA.last()
	if !strings.Contains(string(body), `"testFlag":"1"`) {
		t.Fatalf("not a test call: %s", body)
	}
	if q, _ := f.recG.last(); !strings.Contains(q, "testFlag=1") {
		t.Fatalf("V1 not a test call: %s", q)
	}
}

func TestSavingAnEndpointRefusesBadInputAndOtherRoles(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	owner := f.actor("owner@acme.test")
	good := f.endpointURL(owner.MerchantID)
	_, err := f.dbg.SaveEndpoint(ctx, owner, catalog.EndpointInput{URL: "ftp://x", Protocol: "v9"}, true)
	var v *models.ValidationError
	if !asValidation(err, &v) || v.Fields["url"].ID == "" || v.Fields["protocol"].ID == "" {
		t.Fatalf("bad input: %v", err)
	}
	if _, err := f.dbg.SaveEndpoint(ctx, f.actor("finance@acme.test"), catalog.EndpointInput{URL: good, Protocol: "v2"}, true); err != models.ErrForbidden {
		t.Fatalf("finance: %v", err)
	}
	// No active key: nothing can be signed, so saving needs confirmation.
	if err := f.db.Gorm.Model(&models.MerchantKey{}).Where("merchant_id = ?", owner.MerchantID).
		Update("status", models.KeyRevoked).Error; err != nil {
		t.Fatal(err)
	}
	res, err := f.dbg.SaveEndpoint(ctx, owner, catalog.EndpointInput{URL: deadURL(t), Protocol: "v2"}, false)
	if err != nil || res.Saved || !res.NoKey || f.endpointURL(owner.MerchantID) != good {
		t.Fatalf("no key: %+v %v", res, err)
	}
}

func asValidation(err error, v **models.ValidationError) bool {
	e, ok := err.(*models.ValidationError)
	*v = e
	return ok
}

func TestMaskSecretsHidesSignaturesTokensAndTheKey(t *testing.T) {
	in := `Post "http://x/produce?nonce=1&signature=ABCDEF&timestamp=2": dial tcp; authToken=Zm9v%3D key SECRETKEY123`
	got := debugger.MaskSecrets(in, "SECRETKEY123")
	for _, leak := range []string{"ABCDEF", "Zm9v", "SECRETKEY123"} {
		if strings.Contains(got, leak) {
			t.Fatalf("%q leaks %s", got, leak)
		}
	}
	if !strings.Contains(got, "nonce=1") || !strings.Contains(got, "signature=***") {
		t.Fatalf("masked too much or too little: %q", got)
	}
}

func TestImportingAKeyTestCallsWithItFirst(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	owner := f.actor("owner@acme.test")
	active := func() string {
		var label string
		if err := f.db.SQL.QueryRow(`SELECT label FROM merchant_keys WHERE merchant_id = ? AND status = 'active'`, owner.MerchantID).
			Scan(&label); err != nil {
			t.Fatal(err)
		}
		return label
	}
	before := active()
	wrong := "Wrong-Key-0123456789abcdef"
	res, err := f.dbg.ImportKey(ctx, owner, wrong, 24*time.Hour, false)
	if err != nil || res.Saved || res.Passed() || res.Check == nil || active() != before {
		t.Fatalf("a key the endpoint does not know: %+v %v", res, err)
	}
	if strings.Contains(res.Check.ErrorDetail+res.Check.RequestText, wrong) {
		t.Fatal("the key shows in the answer")
	}
	if _, err := f.dbg.ImportKey(ctx, owner, "short", 0, true); dbtest.FieldErr(err, "key") == "" {
		t.Fatalf("short key: %v", err)
	}
	// The key the sandbox holds passes and is imported at once.
	res, err = f.dbg.ImportKey(ctx, owner, demo.AcmeKey, 24*time.Hour, false)
	if err != nil || !res.Saved || !res.Passed() || res.Label != active() ||
		dbtest.Count(t, f.db, "merchant_keys", "merchant_id = ? AND status = 'retiring'", owner.MerchantID) != 1 {
		t.Fatalf("the endpoint's own key: %+v %v", res, err)
	}
	res, err = f.dbg.ImportKey(ctx, owner, wrong, 0, true)
	if err != nil || !res.Saved {
		t.Fatalf("confirmed: %+v %v", res, err)
	}
	var detail string
	if err := f.db.SQL.QueryRow(`SELECT detail FROM audit_log WHERE action = ? ORDER BY id DESC LIMIT 1`, models.AuditKeyRotated).
		Scan(&detail); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(detail, wrong) || strings.Contains(detail, demo.AcmeKey) || !strings.Contains(detail, `"saved_after_failure":true`) ||
		!strings.Contains(detail, `"replaces":"`+res.Label) && !strings.Contains(detail, `"replaces":"K-`) {
		t.Fatalf("audit %s", detail)
	}
}
