package supervision

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"testing"

	"github.com/sellercenter/sellercenter/models"
)

func (e *tenv) productRef(pid string) int64 {
	e.t.Helper()
	var id int64
	if err := e.db.SQL.QueryRow(`SELECT id FROM products WHERE product_id = ?`, pid).Scan(&id); err != nil {
		e.t.Fatal(err)
	}
	return id
}

// lastSettingsAudit is the changes of the latest settings audit row.
func (e *tenv) lastSettingsAudit() map[string]map[string]any {
	e.t.Helper()
	var raw string
	if err := e.db.SQL.QueryRow(`SELECT detail FROM audit_log WHERE action = ? ORDER BY id DESC LIMIT 1`,
		models.AuditSupSettings).Scan(&raw); err != nil {
		e.t.Fatal(err)
	}
	var d struct{ Changes map[string]map[string]any }
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		e.t.Fatal(err)
	}
	return d.Changes
}

// Settings edited after flows started: the started flows keep what they
// started with (rules, clocks), the next flow follows the change, and the
// audit row holds each changed field's old and new value.
func TestSettingsChangeLeavesStartedFlowsAlone(t *testing.T) {
	e := newTEnv(t)
	ctx := context.Background()
	prod := e.productRef("00301-100003-0--0")
	lineA, before := e.acmeLine()
	e.toDelivery(lineA, before.ID)
	running := e.flow(before.ID)
	if running.SLADueAt == nil {
		t.Fatal("no SLA clock in delivery")
	}
	in := SettingsInput{Supervised: true, Variant: models.SupHardware, SLADays: 5, Criteria: "签收单与验收报告",
		AcceptanceMode: models.SupAcceptAuto}
	if err := e.svc.SaveSettings(ctx, e.acme, prod, in); err != nil {
		t.Fatal(err)
	}
	after := e.flow(before.ID)
	if after.Variant != models.SupManual || after.SLADays != 30 || after.AcceptanceMode != models.SupAcceptManual ||
		after.Criteria != "" || !after.SLADueAt.Equal(*running.SLADueAt) {
		t.Fatalf("a started flow changed: %+v", after)
	}
	_, next := e.acmeLine()
	if next.Variant != models.SupHardware || next.SLADays != 5 || next.AcceptanceMode != models.SupAcceptAuto ||
		next.Criteria != "签收单与验收报告" {
		t.Fatalf("a new flow did not follow the settings: %+v", next)
	}
	ch := e.lastSettingsAudit()
	if ch["variant"]["from"] != "manual" || ch["variant"]["to"] != "hardware" || ch["sla_days"]["from"] != 30.0 ||
		ch["sla_days"]["to"] != 5.0 || ch["acceptance_mode"]["to"] != "auto" || ch["criteria"]["to"] != "签收单与验收报告" {
		t.Fatalf("audit changes %v", ch)
	}
	if _, ok := ch["supervised"]; ok {
		t.Fatalf("an unchanged flag is audited as changed: %v", ch)
	}
	// Saving the same values changes nothing and audits nothing.
	n := e.count("audit_log", "action = ?", models.AuditSupSettings)
	if err := e.svc.SaveSettings(ctx, e.acme, prod, in); err != nil {
		t.Fatal(err)
	}
	if e.count("audit_log", "action = ?", models.AuditSupSettings) != n {
		t.Fatal("a save without changes was audited")
	}
	// Switching supervision off is the product's flag, audited old → new;
	// the flows under way go on.
	in.Supervised = false
	if err := e.svc.SaveSettings(ctx, e.acme, prod, in); err != nil {
		t.Fatal(err)
	}
	if ch := e.lastSettingsAudit(); ch["supervised"]["from"] != true || ch["supervised"]["to"] != false {
		t.Fatalf("flag audit %v", ch)
	}
	if e.count("products", "id = ? AND supervised = 0", prod) != 1 {
		t.Fatal("flag not saved")
	}
	e.act(e.acme, before.ID, MerchantInput{Action: models.SupDeliver, Text: "done", Files: []Upload{pdf("验收.pdf")}})
	if f := e.flow(before.ID); f.Node != models.SupAcceptance {
		t.Fatalf("the started flow stopped: %s", f.Node)
	}
	// Another merchant's product is not found; a read-only user may not.
	if err := e.svc.SaveSettings(ctx, e.globex, prod, in); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("globex saves acme's settings: %v", err)
	}
	if err := e.svc.SaveSettings(ctx, e.actor("ro@acme.test"), prod, in); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("read-only saves settings: %v", err)
	}
}

func readAll(t *testing.T, f *os.File) []byte {
	t.Helper()
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The requirement template: type and size limits (field "template",
// nothing kept), replaced by a new upload, downloadable by the merchant's
// staff and the flow's buyer only.
func TestRequirementTemplateUploadReplaceAndTenancy(t *testing.T) {
	e := newTEnv(t)
	ctx := context.Background()
	prod := e.productRef("00301-100003-0--0")
	_, flow := e.acmeLine()
	base := SettingsInput{Supervised: true, Variant: models.SupManual, SLADays: 30, AcceptanceMode: models.SupAcceptManual}
	with := func(u Upload) SettingsInput { in := base; in.Template = &u; return in }
	files := func() int {
		es, err := os.ReadDir(e.svc.Dir())
		if err != nil {
			t.Fatal(err)
		}
		return len(es)
	}
	if _, _, err := e.svc.OpenTemplate(ctx, e.buyer, flow.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("no template yet: %v", err)
	}
	for name, u := range map[string]Upload{
		"html as docx": {Name: "需求模板.docx", R: bytes.NewReader([]byte("<html><script>alert(1)</script></html>"))},
		"exe":          {Name: "setup.exe", R: bytes.NewReader([]byte("MZ\x90\x00"))},
		"empty":        {Name: "空.txt", R: bytes.NewReader(nil)},
	} {
		err := e.svc.SaveSettings(ctx, e.acme, prod, with(u))
		var v *models.ValidationError
		if !errors.As(err, &v) || v.Fields["template"].ID == "" {
			t.Fatalf("%s: %v", name, err)
		}
	}
	small, err := New(e.db.Gorm, e.clock, e.hol, Config{Dir: e.svc.Dir(), MaxFile: 16})
	if err != nil {
		t.Fatal(err)
	}
	err = small.SaveSettings(ctx, e.acme, prod, with(Upload{Name: "big.txt", R: bytes.NewReader(bytes.Repeat([]byte("x"), 17))}))
	var v *models.ValidationError
	if !errors.As(err, &v) || v.Fields["template"].ID != "supervision.err.too_large" {
		t.Fatalf("too large: %v", err)
	}
	if files() != 0 || e.count("supervision_documents", "kind = 'template'") != 0 {
		t.Fatal("a refused template left a file or a row")
	}

	first := []byte("需求模板 v1: 部署地址、账号数")
	if err := e.svc.SaveSettings(ctx, e.acme, prod, with(Upload{Name: "需求模板.txt", R: bytes.NewReader(first)})); err != nil {
		t.Fatal(err)
	}
	doc, fh, err := e.svc.OpenTemplate(ctx, e.buyer, flow.ID)
	if err != nil || !bytes.Equal(readAll(t, fh), first) || doc.FileName != "需求模板.txt" {
		t.Fatalf("buyer's template %v %v", doc, err)
	}
	second := []byte("需求模板 v2")
	if err := e.svc.SaveSettings(ctx, e.acme, prod, with(Upload{Name: "模板v2.txt", R: bytes.NewReader(second)})); err != nil {
		t.Fatal(err)
	}
	if ch := e.lastSettingsAudit(); ch["template"]["from"] != "需求模板.txt" || ch["template"]["to"] != "模板v2.txt" {
		t.Fatalf("template audit %v", ch)
	}
	for _, who := range []models.Actor{e.buyer, e.acme, e.actor("ro@acme.test"), e.ops} {
		_, fh, err := e.svc.OpenTemplate(ctx, who, flow.ID)
		if err != nil || !bytes.Equal(readAll(t, fh), second) {
			t.Fatalf("%s: the replaced template is served (%v)", who.Email, err)
		}
	}
	if _, fh, err := e.svc.OpenProductTemplate(ctx, e.acme, prod); err != nil || !bytes.Equal(readAll(t, fh), second) {
		t.Fatalf("settings download: %v", err)
	}
	// Another merchant, another buyer: not found.
	if _, _, err := e.svc.OpenTemplate(ctx, e.globex, flow.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("globex opens acme's flow template: %v", err)
	}
	if _, _, err := e.svc.OpenProductTemplate(ctx, e.globex, prod); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("globex opens acme's product template: %v", err)
	}
	_, other := e.line("acme", "00301-100003-0--0", "c-acme-2")
	if _, _, err := e.svc.OpenTemplate(ctx, e.buyer, other.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("a buyer opens another customer's flow template: %v", err)
	}
	d, err := e.svc.BuyerDetail(ctx, e.buyer, flow.ID)
	if err != nil || d.Template == nil || d.Template.FileName != "模板v2.txt" {
		t.Fatalf("buyer detail template %+v %v", d, err)
	}
}
