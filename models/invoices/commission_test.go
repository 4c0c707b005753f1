package invoices

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/dbtest"
)

func TestParseRate(t *testing.T) {
	for in, want := range map[string]int{"5": 500, "5.5": 550, "12.25": 1225, "0": 0, "100": 10000, " 7 ": 700, "5%": 500,
		"0.01": 1, "150": 15000} {
		if got, ok := ParseRate(in); !ok || got != want {
			t.Errorf("ParseRate(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "abc", "5.", ".5", "5.123", "-1", "1e2", "5,5", "1000", "5..5", "+5", "５"} {
		if got, ok := ParseRate(in); ok {
			t.Errorf("ParseRate(%q) = %d, accepted", in, got)
		}
	}
}

// Operations set a merchant's rate as a percentage: refused input names the
// field; a change is audited with the old and the new rate; a statement
// keeps the fee it was generated with and the next one takes the new rate.
func TestSetMerchantRateValidatesAuditsAndAppliesToLaterStatements(t *testing.T) {
	e := newTEnv(t)
	ctx, ops := context.Background(), e.actor("ops@demo.test")
	if _, err := e.svc.SetMerchantRate(ctx, e.owner(), "acme", "5"); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("merchant owner sets a rate: %v", err)
	}
	for _, c := range []struct{ slug, rate, field, msg string }{
		{"acme", "", "rate", "err.required"},
		{"acme", "five", "rate", "invoices.err.rate_format"},
		{"acme", "5.123", "rate", "invoices.err.rate_format"},
		{"acme", "100.01", "rate", "invoices.err.rate_range"},
		{"nope", "5", "merchant", "err.merchant_unknown"},
		{"", "5", "merchant", "err.required"},
	} {
		if _, err := e.svc.SetMerchantRate(ctx, ops, c.slug, c.rate); dbtest.FieldErr(err, c.field) != c.msg {
			t.Errorf("%q %q: %v, want %s under %s", c.slug, c.rate, err, c.msg, c.field)
		}
	}
	if n := e.count("commission_rates", "1 = 1"); n != 0 {
		t.Fatalf("a refused rate was stored (%d rows)", n)
	}
	if changed, err := e.svc.SetMerchantRate(ctx, ops, "acme", "5"); err != nil || !changed {
		t.Fatalf("set 5%%: %v %v", changed, err)
	}
	e.seedLine(line{id: "L-OCT", amount: 100000, at: t0.AddDate(0, -1, -10)})
	oct, err := e.svc.GenerateFor(ctx, ops, "acme", "2026-10")
	if err != nil || len(oct) != 1 || oct[0].Fee != 5000 {
		t.Fatalf("October at 5%%: %v %+v", err, oct)
	}
	if changed, err := e.svc.SetMerchantRate(ctx, ops, "acme", "12.5"); err != nil || !changed {
		t.Fatalf("set 12.5%%: %v %v", changed, err)
	}
	if changed, err := e.svc.SetMerchantRate(ctx, ops, "acme", "12.50%"); err != nil || changed {
		t.Fatalf("the same rate again: changed %v, %v", changed, err)
	}
	var details []string
	if err := e.db.Gorm.Table("audit_log").Where("action = ?", models.AuditCommissionChanged).Order("id").
		Pluck("detail", &details).Error; err != nil {
		t.Fatal(err)
	}
	if len(details) != 2 {
		t.Fatalf("%d audit lines, want 2 (the unchanged save writes none)", len(details))
	}
	var last struct {
		Old *int `json:"old_bp"`
		New int  `json:"new_bp"`
	}
	if err := json.Unmarshal([]byte(details[1]), &last); err != nil || last.Old == nil || *last.Old != 500 || last.New != 1250 {
		t.Fatalf("audit detail %s, want old 500 new 1250", details[1])
	}
	if st := dbtest.Row[models.SettlementStatement](t, e.db, oct[0].ID); st.Fee != 5000 {
		t.Fatalf("October's fee became %d after the change", st.Fee)
	}
	e.clock.Set(t0.AddDate(0, 0, 10)) // December: November has ended
	e.seedLine(line{id: "L-NOV", amount: 100000, at: t0})
	nov, err := e.svc.GenerateFor(ctx, ops, "acme", "2026-11")
	if err != nil || len(nov) != 1 || nov[0].Fee != 12500 {
		t.Fatalf("November at 12.5%%: %v %+v", err, nov)
	}
	page, err := e.svc.StatementAdmin(ctx, ops, "", "")
	if err != nil || len(page.Merchants) != 2 || page.Merchants[0].Slug != "acme" || page.Merchants[0].RateBP != 1250 ||
		page.Merchants[1].Set || page.DefaultMonth != "2026-11" {
		t.Fatalf("page: %v %+v", err, page)
	}
}

// The generate form names each refused field; the page is operations' only.
func TestGenerateForAndStatementAdminRefusals(t *testing.T) {
	e := newTEnv(t)
	ctx, ops := context.Background(), e.actor("ops@demo.test")
	for _, c := range []struct{ slug, month, field, msg string }{
		{"acme", "", "month", "err.required"},
		{"acme", "2026-13", "month", "invoices.err.month"},
		{"acme", "Oct 2026", "month", "invoices.err.month"},
		{"nope", "2026-10", "merchant", "err.merchant_unknown"},
		{"acme", "2026-11", "", "invoices.err.month_open"},
	} {
		if _, err := e.svc.GenerateFor(ctx, ops, c.slug, c.month); dbtest.FieldErr(err, c.field) != c.msg {
			t.Errorf("%q %q: %v, want %s under %q", c.slug, c.month, err, c.msg, c.field)
		}
	}
	for _, who := range []string{"finance@acme.test", "owner@acme.test"} {
		if _, err := e.svc.GenerateFor(ctx, e.actor(who), "acme", "2026-10"); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("%s generates: %v", who, err)
		}
		if _, err := e.svc.StatementAdmin(ctx, e.actor(who), "", ""); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("%s reads the page: %v", who, err)
		}
	}
	p, err := e.svc.StatementAdmin(ctx, ops, "acme", "bad")
	if dbtest.FieldErr(err, "month") != "invoices.err.month" || p == nil || len(p.Merchants) != 2 {
		t.Fatalf("bad month on the page: %v %+v", err, p)
	}
}
