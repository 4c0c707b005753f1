package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/interfacelog"
)

func TestCatalogsHaveTheSameKeys(t *testing.T) {
	zh, err := IDs(ZH)
	if err != nil {
		t.Fatal(err)
	}
	en, err := IDs(EN)
	if err != nil {
		t.Fatal(err)
	}
	inZH := map[string]bool{}
	for _, k := range zh {
		inZH[k] = true
	}
	for _, k := range en {
		if !inZH[k] {
			t.Errorf("%q is in en but not in zh-CN", k)
		}
		delete(inZH, k)
	}
	for k := range inZH {
		t.Errorf("%q is in zh-CN but not in en", k)
	}
}

// literalIDs finds message ids written as string literals in the code and
// templates, so a typo or a forgotten translation fails the build's tests.
var literalIDs = regexp.MustCompile(`(?:\bT\(ctx, |\.T\(|\bM\()"([a-z0-9_]+(?:\.[a-z0-9_]+)+)"`)

func TestEveryIDUsedInCodeIsTranslated(t *testing.T) {
	root := filepath.Join("..", "..")
	used := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || strings.HasSuffix(path, "_templ.go") || strings.HasSuffix(path, "_test.go") ||
			!(strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".templ")) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range literalIDs.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = path
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(used) < 50 {
		t.Fatalf("found only %d ids; the scanner is broken", len(used))
	}
	ids := make([]string, 0, len(used))
	for id := range used {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, l := range Langs {
		loc := For(l)
		for _, id := range ids {
			if !loc.Has(id) {
				t.Errorf("%s: %q (used in %s) has no translation", l, id, used[id])
			}
		}
	}
}

func TestDynamicIDsAreTranslated(t *testing.T) {
	var ids []string
	for _, r := range models.AllRoles {
		ids = append(ids, r.MsgID())
	}
	for _, a := range models.AuditActions {
		ids = append(ids, models.AuditEntry{Action: a}.MsgID())
	}
	for _, st := range models.CallStates {
		ids = append(ids, "call.state."+string(st))
	}
	for _, c := range interfacelog.ErrorClasses {
		ids = append(ids, "errclass."+c, "errhint."+c)
	}
	for _, v := range models.CallViews {
		ids = append(ids, "call.view."+string(v))
	}
	for _, a := range models.Activities {
		ids = append(ids, "activity."+a)
	}
	for _, o := range []string{models.OutcomeOK, models.OutcomeError, models.OutcomeInterrupted} {
		ids = append(ids, "outcome."+o)
	}
	for _, t := range models.OrderTypes {
		ids = append(ids, "order.type."+t)
	}
	for _, st := range models.LineStatuses {
		ids = append(ids, "order.status."+string(st))
	}
	for _, sv := range models.Supervisions {
		ids = append(ids, "supervision."+string(sv))
	}
	for _, m := range models.ChargingModes {
		ids = append(ids, "charging."+m)
	}
	for _, st := range []models.InstanceStatus{models.InstanceNormal, models.InstanceFrozen, models.InstanceReleased} {
		ids = append(ids, "instance.status."+string(st))
	}
	for _, st := range []string{models.ProductOnSale, models.ProductFrozen, models.ProductDelisted} {
		ids = append(ids, "product.status."+st)
	}
	for _, st := range models.InvoiceStatuses {
		ids = append(ids, st.MsgID())
	}
	for _, k := range models.InvoiceKinds {
		ids = append(ids, k.MsgID())
	}
	for _, a := range models.InvoiceActions {
		ids = append(ids, a.MsgID())
	}
	for _, k := range models.InvoiceEventKinds {
		ids = append(ids, models.InvoiceEvent{Kind: k}.MsgID())
	}
	for _, st := range models.PlatformFeeStatuses {
		ids = append(ids, st.MsgID())
	}
	for _, a := range models.PlatformFeeActions {
		ids = append(ids, a.MsgID())
	}
	for _, k := range models.ReconKinds {
		ids = append(ids, k.MsgID())
	}
	for _, k := range []string{models.StatementSale, models.StatementRefund, models.StatementDowngrade} {
		ids = append(ids, "statement.kind."+k)
	}
	ids = append(ids, "period.month", "period.year", "period.n.month", "period.n.year", "line.reason.auto_unsubscribed",
		"line.reason.released", "products.kind.saas", "products.kind.service")
	for _, b := range []string{"ok", "bad", "missing", "none"} {
		ids = append(ids, "bodysign."+b)
	}
	for _, code := range []string{"400", "401", "403", "404", "405", "413", "422", "429", "500", "503", "csrf"} {
		ids = append(ids, "error."+code, "error."+code+".title")
	}
	for _, l := range Langs {
		for _, id := range ids {
			if !For(l).Has(id) {
				t.Errorf("%s: %q has no translation", l, id)
			}
		}
	}
}

func TestRenderingWithArgsAndFallback(t *testing.T) {
	if got := For(ZH).T("err.too_long", "Max", 254); got != "长度不能超过 254 个字符。" {
		t.Fatalf("zh: %q", got)
	}
	if got := For(EN).Msg(models.M("err.too_long", "Max", 10)); got != "At most 10 characters." {
		t.Fatalf("en: %q", got)
	}
	if got := For(EN).T("no.such.id"); got != "no.such.id" {
		t.Fatalf("missing id should render as itself, got %q", got)
	}
}

func TestLanguageSelection(t *testing.T) {
	cases := map[string]Lang{
		"":                        ZH,
		"en-US,en;q=0.9":          EN,
		"zh-CN,zh;q=0.9,en;q=0.8": ZH,
		"fr-FR":                   ZH,
		"de-DE,en;q=0.5":          EN,
		"garbage;;;q=x":           ZH,
	}
	for h, want := range cases {
		if got := FromAcceptLanguage(h); got != want {
			t.Errorf("%q → %s, want %s", h, got, want)
		}
	}
	if l, ok := Parse("EN"); !ok || l != EN {
		t.Error("EN should parse")
	}
	if _, ok := Parse("klingon"); ok {
		t.Error("unknown language parsed")
	}
}
