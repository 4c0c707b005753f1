package invoices

import (
	"context"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
)

// Prefill is what 退票并重开 (return and re-issue, Odoo's reverse and
// create) puts in a new request: the returned invoice's party, and those of
// its lines that may be invoiced now, each with what refunds left of it.
type Prefill struct {
	From       int64
	CustomerID string
	Party      models.InvoiceParty
	Lines      []PrefillLine
	Amount     int64
	Currency   string
}

// PrefillLine is one line of a prefill.
type PrefillLine struct {
	OrderLineID string
	Amount      int64
}

// ReissuePrefill computes the prefill of a returned invoice of the finance
// actor's merchant; a conflict when it is not returned.
func (s *Service) ReissuePrefill(ctx context.Context, actor models.Actor, id int64) (*Prefill, error) {
	return s.prefill(s.db.WithContext(ctx), actor, id)
}

func (s *Service) prefill(tx *gorm.DB, actor models.Actor, id int64) (*Prefill, error) {
	inv, err := byFinance(actor, id)(tx)
	if err != nil {
		return nil, err
	}
	if inv.Status != models.InvoiceReturned {
		return nil, refusedIn(inv.Status)
	}
	var refs []int64
	if err := tx.Model(&models.InvoiceLine{}).Where("invoice_ref = ?", inv.ID).Order("id").
		Pluck("order_line_ref", &refs).Error; err != nil {
		return nil, err
	}
	facts, err := s.readLines(tx, nil, refs)
	if err != nil {
		return nil, err
	}
	p := &Prefill{From: inv.ID, CustomerID: inv.CustomerID, Currency: inv.Currency, Party: inv.InvoiceParty}
	byRef := map[int64]*lineFacts{}
	for _, f := range facts {
		byRef[f.ID] = f
	}
	for _, ref := range refs {
		if f := byRef[ref]; f != nil && f.refusal(inv.MerchantID, inv.BuyerRef) == "" {
			p.Lines = append(p.Lines, PrefillLine{OrderLineID: f.OrderLineID, Amount: f.Net()})
			p.Amount += f.Net()
		}
	}
	return p, nil
}

// Reissue creates, for finance, the new pending request of a returned
// invoice's prefill under requestID (idempotent like Request), linked to
// the returned one; a conflict when nothing is left to invoice. The same
// requestID again (a form submitted twice) answers the request it made.
func (s *Service) Reissue(ctx context.Context, actor models.Actor, id int64, requestID string) (*RequestView, bool, error) {
	switch {
	case requestID == "":
		requestID = newRequestID()
	case !models.IsID(requestID):
		return nil, false, models.FormError(models.M("invoices.err.token"))
	}
	hs, err := s.holidaySet(ctx)
	if err != nil {
		return nil, false, err
	}
	now := s.now()
	var inv *models.Invoice
	var created bool
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		p, err := s.prefill(tx, actor, id)
		if err != nil {
			return err
		}
		if len(p.Lines) == 0 {
			if prev, err := s.byRequestID(tx, actor, requestID); err == nil && prev.ReissueOf != nil && *prev.ReissueOf == id {
				inv = prev
				return nil
			}
			return conflict(models.M("invoices.err.nothing_left"))
		}
		in := RequestInput{RequestID: requestID, CustomerID: p.CustomerID, InvoiceParty: p.Party}
		for _, l := range p.Lines {
			in.OrderLineIDs = append(in.OrderLineIDs, l.OrderLineID)
		}
		from := id
		inv, created, err = s.create(tx, actor, models.InvoiceFromReissue, &from, in, now, overdueAt(now, hs))
		return err
	})
	if err != nil {
		return nil, false, err
	}
	return viewOf(inv), created, nil
}
