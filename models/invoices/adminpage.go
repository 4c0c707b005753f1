package invoices

import (
	"context"
	"regexp"
	"strings"
	"time"

	"github.com/sellercenter/sellercenter/models"
)

// pickedMonthRE is a month as the page's form sends it (YYYY-MM); this
// page's own, so it does not lean on how the statements code checks months.
var pickedMonthRE = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])$`)

// StatementAdmin is operations' 结算单 page: every merchant with its
// commission rate, the month statements are generated for by default (the
// last ended one on the app clock), and the statements of the merchant and
// month chosen, if any.
type StatementAdmin struct {
	Merchants    []MerchantRate
	DefaultMonth string
	// Merchant and Month are the choice as given; Results its statements.
	Merchant string
	Month    string
	Results  []StatementRow
}

// StatementAdmin reads the page for operations; anyone else is forbidden.
// A chosen merchant or month that is not one shows the page with its field
// error (a ValidationError returned beside the page).
func (s *Service) StatementAdmin(ctx context.Context, actor models.Actor, slug, month string) (*StatementAdmin, error) {
	if !actor.Can(models.PermAdminInvoices) {
		return nil, models.ErrForbidden
	}
	db := s.db.WithContext(ctx)
	ms, err := s.rates(db)
	if err != nil {
		return nil, err
	}
	now := s.now()
	a := &StatementAdmin{Merchants: ms, Merchant: strings.TrimSpace(slug), Month: strings.TrimSpace(month),
		DefaultMonth: time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0).Format("2006-01")}
	if a.Merchant == "" || a.Month == "" {
		return a, nil
	}
	v := &models.ValidationError{}
	if !pickedMonthRE.MatchString(a.Month) {
		v.Add("month", models.M("invoices.err.month"))
	}
	mid, err := merchantBySlug(db, a.Merchant, v)
	if err != nil {
		return nil, err
	}
	if v.Err() != nil {
		return a, v
	}
	p, err := s.Statements(ctx, actor, StatementFilter{FromMonth: a.Month, ToMonth: a.Month, MerchantID: mid}, "")
	if err != nil {
		return nil, err
	}
	a.Results = p.Rows
	return a, nil
}

// GenerateFor is operations generating a merchant's statements of a month
// chosen on the page (by slug and YYYY-MM): the statements service's
// GenerateStatements, with the form's fields checked first so each
// refusal names its field.
func (s *Service) GenerateFor(ctx context.Context, actor models.Actor, slug, month string) ([]models.SettlementStatement, error) {
	if !actor.Can(models.PermAdminInvoices) {
		return nil, models.ErrForbidden
	}
	v := &models.ValidationError{}
	month = strings.TrimSpace(month)
	switch {
	case month == "":
		v.Add("month", models.M("err.required"))
	case !pickedMonthRE.MatchString(month):
		v.Add("month", models.M("invoices.err.month"))
	}
	mid, err := merchantBySlug(s.db.WithContext(ctx), slug, v)
	if err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.GenerateStatements(ctx, actor, mid, month)
}
