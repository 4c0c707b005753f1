package invoices

import (
	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
)

// lineFacts is what decides whether an order line may be invoiced.
type lineFacts struct {
	ID          int64
	OrderLineID string
	OrderCode   string
	OrderRef    int64
	MerchantID  int64
	BuyerRef    int64
	Status      models.LineStatus
	OrderType   string
	Amount      int64
	Currency    string
	Refunded    int64
	OnInvoice   bool
	Settleable  bool
}

// Net is what is left to invoice: the amount less what refunds took.
func (f *lineFacts) Net() int64 { return f.Amount - f.Refunded }

// readLines reads the facts of lines by marketplace id (by our id when ids
// is nil and refs is set), in one query.
func (s *Service) readLines(tx *gorm.DB, ids []string, refs []int64) (map[string]*lineFacts, error) {
	gate, gargs := s.cfg.Gate.SettleableSQL()
	where, key := "ol.order_line_id IN ?", any(ids)
	if ids == nil {
		where, key = "ol.id IN ?", refs
	}
	rows, err := tx.Raw(`SELECT ol.id, ol.order_line_id, ol.order_code, ol.order_ref, ol.merchant_id, ol.buyer_ref, ol.status, ol.order_type,
			ol.amount, ol.currency,
			coalesce((SELECT sum(r.amount) FROM line_refunds r WHERE r.line_ref = ol.id), 0),
			EXISTS (SELECT 1 FROM invoice_lines il WHERE il.order_line_ref = ol.id AND il.live),
			(`+gate+`)
		FROM order_lines ol WHERE `+where, append(gargs, key)...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]*lineFacts{}
	for rows.Next() {
		f := &lineFacts{}
		if err := rows.Scan(&f.ID, &f.OrderLineID, &f.OrderCode, &f.OrderRef, &f.MerchantID, &f.BuyerRef, &f.Status, &f.OrderType,
			&f.Amount, &f.Currency, &f.Refunded, &f.OnInvoice, &f.Settleable); err != nil {
			return nil, err
		}
		out[f.OrderLineID] = f
	}
	return out, rows.Err()
}

// refusal is why a line may not be invoiced by this buyer at this merchant
// ("" when it may): the catalog id of the reason, which names the line.
func (f *lineFacts) refusal(merchantID, buyerRef int64) string {
	switch {
	case f == nil:
		return "invoices.line.unknown"
	case f.BuyerRef != buyerRef:
		// Another buyer's line reads as unknown: existence never leaks.
		return "invoices.line.unknown"
	case f.MerchantID != merchantID:
		return "invoices.line.other_merchant"
	case f.Status == models.LineUnsubscribed || f.Status == models.LineProvisioningFailed:
		return "invoices.line.unsubscribed"
	case f.Status != models.LineCompleted && f.Status != models.LineSupervising,
		f.OrderType == models.OrderUnsubscribe, f.Amount <= 0:
		return "invoices.line.not_paid"
	case f.Net() <= 0:
		return "invoices.line.refunded"
	case f.OnInvoice:
		return "invoices.line.on_invoice"
	case !f.Settleable:
		return "invoices.line.not_settleable"
	}
	return ""
}

// BuyerLine is an order line a buyer may ask an invoice for now.
type BuyerLine struct {
	OrderLineID string
	OrderCode   string
	MerchantID  int64
	Amount      int64 // what is left to invoice: the amount less refunds
	Currency    string
}

func buyerLineOf(f *lineFacts) BuyerLine {
	return BuyerLine{OrderLineID: f.OrderLineID, OrderCode: f.OrderCode, MerchantID: f.MerchantID, Amount: f.Net(),
		Currency: f.Currency}
}
