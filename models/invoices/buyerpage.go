package invoices

import (
	"context"

	"github.com/sellercenter/sellercenter/models"
)

// BuyerPageSize is how many invoiceable lines one page of the buyer's
// request form offers.
const BuyerPageSize = 20

// BuyerPage is the buyer's 发票 page: its latest requests, one page of the
// lines it may ask an invoice for, and the lines it ticked so far. The
// ticks travel with the form (the page buttons submit it), so a selection
// survives paging without JavaScript or a draft.
type BuyerPage struct {
	Requests []Row
	Lines    models.Page[BuyerLine]
	// Ticked are the valid ticks, by order line id; Carried those of them
	// this page does not show, in the order ticked.
	Ticked  map[string]bool
	Carried []BuyerLine
}

// BuyerPage reads the buyer login's page at cursor (a previous page's
// Lines.Next, "" for the first) with the lines ticked so far. More ticks
// than a request may hold, or a malformed id, is a ValidationError under
// "orderLineIds" returned with the page read without ticks; a tick that is
// not a line the buyer may invoice now (another's, or invoiced since) is
// dropped, as the form could not have offered it.
func (s *Service) BuyerPage(ctx context.Context, actor models.Actor, cursor string, ticked []string) (*BuyerPage, error) {
	db := s.db.WithContext(ctx)
	cust, err := buyerCustomer(db, actor)
	if err != nil {
		return nil, err
	}
	var after int64
	if cursor != "" {
		if _, _, after, err = models.DecodeCursor(cursor, "l"); err != nil {
			return nil, models.ErrBadCursor
		}
	}
	ticks, tickErr := validTicks(ticked)
	if tickErr != nil {
		ticks = nil
	}
	reqs, err := s.List(ctx, actor, Filter{}, "")
	if err != nil {
		return nil, err
	}
	var buyerRef int64
	if err := db.Model(&models.Buyer{}).Where("customer_id = ?", cust).Pluck("id", &buyerRef).Error; err != nil {
		return nil, err
	}
	gate, gargs := s.cfg.Gate.SettleableSQL()
	q := db.Table("order_lines AS ol").Where("ol.buyer_ref = ?", buyerRef).
		Where("ol.status IN ? AND ol.amount > 0 AND ol.order_type <> ?",
			[]models.LineStatus{models.LineCompleted, models.LineSupervising}, models.OrderUnsubscribe).
		Where("NOT EXISTS (SELECT 1 FROM invoice_lines il WHERE il.order_line_ref = ol.id AND il.live)").
		Where("ol.amount > coalesce((SELECT sum(r.amount) FROM line_refunds r WHERE r.line_ref = ol.id), 0)").
		Where("("+gate+")", gargs...)
	if after != 0 {
		q = q.Where("ol.id < ?", after)
	}
	var ids []string
	if err := q.Order("ol.id DESC").Limit(BuyerPageSize+1).Pluck("ol.order_line_id", &ids).Error; err != nil {
		return nil, err
	}
	p := &BuyerPage{Requests: reqs.Rows, Ticked: map[string]bool{}}
	facts, err := s.readLines(db, append(append([]string{}, ids...), ticks...), nil)
	if err != nil {
		return nil, err
	}
	ok := func(id string) bool {
		f := facts[id]
		return f != nil && f.BuyerRef == buyerRef && f.refusal(f.MerchantID, buyerRef) == ""
	}
	lines := make([]BuyerLine, 0, len(ids))
	for _, id := range ids {
		if ok(id) {
			lines = append(lines, buyerLineOf(facts[id]))
		}
	}
	p.Lines = models.PageOf(lines, BuyerPageSize, models.ParamCursor, func(last BuyerLine) string {
		ref := facts[last.OrderLineID].ID
		return models.EncodeCursor('l', ref, ref)
	})
	shown := make(map[string]bool, len(p.Lines.Rows))
	for _, l := range p.Lines.Rows {
		shown[l.OrderLineID] = true
	}
	for _, id := range ticks {
		if !ok(id) {
			continue
		}
		p.Ticked[id] = true
		if !shown[id] {
			p.Carried = append(p.Carried, buyerLineOf(facts[id]))
		}
	}
	return p, tickErr
}

// validTicks checks the ticked ids a form sent: each an id, no more than a
// request may hold; repeats count once.
func validTicks(ids []string) ([]string, error) {
	v := &models.ValidationError{}
	if len(ids) > models.InvoiceMaxLines {
		v.Add("orderLineIds", models.M("invoices.err.too_many_lines", "Max", models.InvoiceMaxLines))
		return nil, v
	}
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !models.IsID(id) {
			v.Add("orderLineIds", models.M("err.id_format"))
			return nil, v
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, nil
}
