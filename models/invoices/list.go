package invoices

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
	"github.com/sellercenter/sellercenter/models/tenancy"
)

// PageSize is the list's page length.
const PageSize = 50

// Filter narrows the invoice list.
type Filter struct {
	Status      models.InvoiceStatus // "" for all
	NeedsReturn bool                 // only those flagged 需退票
	Overdue     bool                 // only pending requests past their due instant
	CustomerID  string
	From, To    time.Time // requested in [From, To); zero for open ends
	MerchantID  int64     // operations only: one merchant
	Merchant    string    // the merchant's slug as asked for; List resolves it (operations only)
}

// Row is one invoice of a page, with what the page shows beside it.
type Row struct {
	models.Invoice
	Overdue bool
	// MerchantName is the merchant's name, for platform readers only (a
	// merchant's own list has no 商家 column).
	MerchantName string
}

// Page is one keyset page, newest request first.
type Page struct {
	Rows []Row
	Next string // the cursor of the next page; "" on the last
	// Merchants are the merchant filter's choices (platform readers only).
	Merchants []models.Merchant
}

// List returns a page of the invoices the actor may read. cursor is a
// previous page's Next ("" for the first).
func (s *Service) List(ctx context.Context, actor models.Actor, f Filter, cursor string) (Page, error) {
	var p Page
	var err error
	if p.Merchants, f.MerchantID, err = tenancy.Filter(ctx, s.db, actor, f.Merchant, f.MerchantID); err != nil {
		return p, err
	}
	q, err := filtered(s.db.WithContext(ctx), actor, f, s.now())
	if err != nil {
		return Page{}, err
	}
	if cursor != "" {
		at, id, ok := parseCursor(cursor)
		if !ok {
			return Page{}, models.FormError(models.M("invoices.err.cursor"))
		}
		q = q.Where("(i.requested_at < ? OR (i.requested_at = ? AND i.id < ?))", at, at, id)
	}
	var invs []models.Invoice
	if err := q.Order("i.requested_at DESC, i.id DESC").Limit(PageSize + 1).Find(&invs).Error; err != nil {
		return Page{}, err
	}
	if len(invs) > PageSize {
		invs = invs[:PageSize]
		last := invs[PageSize-1]
		p.Next = fmt.Sprintf("%d_%d", last.RequestedAt.Unix(), last.ID)
	}
	now := s.now()
	names := merchantNames(p.Merchants)
	p.Rows = make([]Row, len(invs))
	for i := range invs {
		p.Rows[i] = Row{Invoice: invs[i], Overdue: invs[i].Overdue(now), MerchantName: names[invs[i].MerchantID]}
	}
	return p, nil
}

// filtered is the list's query (and the export's): the actor's scope and
// the filter at instant now, over invoices aliased "i", each filter
// answered by one of the list indexes.
func filtered(tx *gorm.DB, actor models.Actor, f Filter, now time.Time) (*gorm.DB, error) {
	q, err := scoped(tx.Table("invoices AS i"), actor)
	if err != nil {
		return nil, err
	}
	if f.MerchantID != 0 && actor.Can(models.PermAdminInvoices) {
		q = q.Where("i.merchant_id = ?", f.MerchantID)
	}
	if f.Status != "" {
		q = q.Where("i.status = ?", f.Status)
	}
	if f.NeedsReturn {
		q = q.Where("i.needs_return")
	}
	if f.Overdue {
		q = q.Where("i.status = ? AND i.overdue_at <= ?", models.InvoicePending, now)
	}
	if f.CustomerID != "" {
		q = q.Where("i.buyer_ref = (SELECT id FROM buyers WHERE customer_id = ?)", f.CustomerID)
	}
	if !f.From.IsZero() {
		q = q.Where("i.requested_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("i.requested_at < ?", f.To.UTC())
	}
	return q, nil
}

func parseCursor(c string) (time.Time, int64, bool) {
	a, b, ok := strings.Cut(c, "_")
	sec, err1 := strconv.ParseInt(a, 10, 64)
	id, err2 := strconv.ParseInt(b, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		return time.Time{}, 0, false
	}
	return time.Unix(sec, 0).UTC(), id, true
}

// DetailLine is an order line an invoice covers, for the detail page's
// links to the order.
type DetailLine struct {
	OrderRef    int64
	OrderCode   string
	OrderLineID string
	LineAmount  int64 // the order line's amount
	Amount      int64 // covered by the invoice
}

// Detail is the invoice page: the invoice, its lines, its timeline and the
// actions the actor may take now (computed here so views only render).
type Detail struct {
	Invoice models.Invoice
	Overdue bool
	Lines   []DetailLine
	Events  []models.InvoiceEvent
	Actions []models.InvoiceAction
}

// Detail reads an invoice the actor may read.
func (s *Service) Detail(ctx context.Context, actor models.Actor, id int64) (*Detail, error) {
	db := s.db.WithContext(ctx)
	inv, err := load(db, actor, id)
	if err != nil {
		return nil, err
	}
	d := &Detail{Invoice: *inv, Overdue: inv.Overdue(s.now()), Actions: models.InvoiceActionsFor(inv, actor)}
	if err := db.Raw(`SELECT ol.order_ref, ol.order_code, ol.order_line_id, ol.amount AS line_amount, il.amount
		FROM invoice_lines il JOIN order_lines ol ON ol.id = il.order_line_ref WHERE il.invoice_ref = ? ORDER BY il.id`, id).
		Scan(&d.Lines).Error; err != nil {
		return nil, err
	}
	err = db.Where("invoice_ref = ?", id).Order("id").Find(&d.Events).Error
	return d, err
}

// Counts are the to-do board's invoice figures for a merchant.
type Counts struct {
	Pending          int64 // 待开票
	Overdue          int64 // pending past 3 working days
	NeedsReturn      int64 // 需退票, until returned
	AwaitingApproval int64 // four-eyes returns waiting for a second person
}

// Counts reads the actor's merchant's to-do figures, each from an index.
func (s *Service) Counts(ctx context.Context, actor models.Actor) (Counts, error) {
	if !actor.Can(models.PermInvoicesView) || actor.MerchantID == 0 {
		return Counts{}, models.ErrForbidden
	}
	var c Counts
	err := s.db.WithContext(ctx).Raw(`SELECT
		(SELECT count(*) FROM invoices WHERE merchant_id = ? AND status = 'pending'),
		(SELECT count(*) FROM invoices WHERE merchant_id = ? AND status = 'pending' AND overdue_at <= ?),
		(SELECT count(*) FROM invoices WHERE merchant_id = ? AND needs_return),
		(SELECT count(*) FROM invoices WHERE merchant_id = ? AND status = 'returning' AND return_needs_approval
			AND return_approved_by IS NULL)`,
		actor.MerchantID, actor.MerchantID, s.now(), actor.MerchantID, actor.MerchantID).
		Row().Scan(&c.Pending, &c.Overdue, &c.NeedsReturn, &c.AwaitingApproval)
	return c, err
}

// OpenFile authorizes a download of an issued invoice's file (the buyer its
// own, merchant users their merchant's, operations any); staff downloads are
// audited. The caller streams and closes the file.
func (s *Service) OpenFile(ctx context.Context, actor models.Actor, id int64) (*models.Invoice, *os.File, error) {
	db := s.db.WithContext(ctx)
	inv, err := load(db, actor, id)
	if err != nil {
		return nil, nil, err
	}
	if inv.FileStorage == "" {
		return nil, nil, models.ErrNotFound
	}
	f, err := s.files.Open(inv.FileStorage)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, models.ErrNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	if !actor.Can(models.PermBuyerPortal) {
		if err := audit.Write(db, s.now(), actor, audit.Event{Action: models.AuditInvoiceFileDownloaded,
			MerchantID: inv.MerchantID, TargetType: "invoice", TargetID: inv.ID}); err != nil {
			f.Close()
			return nil, nil, err
		}
	}
	return inv, f, nil
}
