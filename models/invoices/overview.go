package invoices

import (
	"context"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/overview"
)

// Money is finance's figures for the overview, per currency: issued since
// monthStart, requested and not yet issued (待开票), and issued invoices to
// be returned (需退票). Each sum reads one index (invoices_issued_month,
// invoices_merchant_status, the invoices_needs_return partial index).
func (s *Service) Money(ctx context.Context, actor models.Actor, monthStart time.Time) ([]overview.Money, error) {
	if !actor.Can(models.PermInvoicesView) || actor.MerchantID == 0 {
		return nil, models.ErrForbidden
	}
	var rows []struct {
		Currency string
		Kind     int
		Total    int64
	}
	err := s.db.WithContext(ctx).Raw(`
		SELECT currency, 0 AS kind, sum(amount) AS total FROM invoices
			WHERE merchant_id = ? AND status = 'issued' AND issued_at >= ? GROUP BY currency
		UNION ALL
		SELECT currency, 1, sum(amount) FROM invoices WHERE merchant_id = ? AND status = 'pending' GROUP BY currency
		UNION ALL
		SELECT currency, 2, sum(amount) FROM invoices WHERE merchant_id = ? AND needs_return GROUP BY currency`,
		actor.MerchantID, monthStart.UTC(), actor.MerchantID, actor.MerchantID).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	var out []overview.Money
	at := map[string]int{}
	for _, r := range rows {
		i, ok := at[r.Currency]
		if !ok {
			i = len(out)
			at[r.Currency] = i
			out = append(out, overview.Money{Currency: r.Currency})
		}
		switch r.Kind {
		case 0:
			out[i].Invoiced = r.Total
		case 1:
			out[i].ToInvoice = r.Total
		case 2:
			out[i].NeedsReturn = r.Total
		}
	}
	if len(out) == 0 {
		out = append(out, overview.Money{Currency: "CNY"}) // nothing yet is a figure too
	}
	return out, nil
}
