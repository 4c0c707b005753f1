package invoices

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
)

// RequestInput is an invoice request: the marketplace's (with its
// requestId) or a buyer's from the buyer pages.
type RequestInput struct {
	RequestID    string
	CustomerID   string // ignored for a buyer login: its own
	OrderLineIDs []string
	models.InvoiceParty
}

// RequestView is a request as the intake API reports it.
type RequestView struct {
	ID            int64  `json:"-"`
	RequestID     string `json:"requestId"`
	Status        string `json:"status"`
	Amount        int64  `json:"-"`
	Currency      string `json:"currency"`
	InvoiceNumber string `json:"invoiceNumber,omitempty"`
	NeedsReturn   bool   `json:"needsReturn"`
}

func viewOf(inv *models.Invoice) *RequestView {
	return &RequestView{ID: inv.ID, RequestID: inv.RequestID, Status: string(inv.Status), Amount: inv.Amount,
		Currency: inv.Currency, InvoiceNumber: inv.InvoiceNumber, NeedsReturn: inv.NeedsReturn}
}

// Request records an invoice request over order lines of one buyer at one
// merchant. The same requestId again returns the recorded request
// (created=false); the same id with other content is a conflict. A line that
// may not be invoiced is a ValidationError naming it (field
// "orderLineIds[<id>]"); lines of two currencies are refused as a whole.
// The marketplace calls as a platform actor; a buyer login for itself.
func (s *Service) Request(ctx context.Context, actor models.Actor, in RequestInput) (view *RequestView, created bool, err error) {
	source := models.InvoiceFromAPI
	db := s.db.WithContext(ctx)
	switch {
	case actor.IsPlatform():
	case actor.Can(models.PermBuyerPortal):
		source = models.InvoiceFromBuyer
		if in.CustomerID, err = buyerCustomer(db, actor); err != nil {
			return nil, false, err
		}
		// A buyer's form carries the token it was rendered with, so the same
		// submit twice is one request; only tokens of our own shape are
		// taken, so a buyer never names a marketplace request.
		switch {
		case in.RequestID == "":
			in.RequestID = newRequestID()
		case !buyerTokenRE.MatchString(in.RequestID):
			return nil, false, models.FormError(models.M("invoices.err.token"))
		}
	default:
		return nil, false, models.ErrForbidden
	}
	if v := in.validate(); v.Err() != nil {
		return nil, false, v
	}
	hs, err := s.holidaySet(ctx)
	if err != nil {
		return nil, false, err
	}
	now := s.now()
	var inv *models.Invoice
	err = db.Transaction(func(tx *gorm.DB) error {
		inv, created, err = s.create(tx, actor, source, nil, in, now, overdueAt(now, hs))
		return err
	})
	if err != nil {
		return nil, false, err
	}
	return viewOf(inv), created, nil
}

func (in *RequestInput) validate() *models.ValidationError {
	v := &models.ValidationError{}
	v.ID("requestId", in.RequestID, true)
	v.ID("customerId", in.CustomerID, true)
	switch {
	case len(in.OrderLineIDs) == 0:
		v.Add("orderLineIds", models.M("invoices.err.no_lines"))
	case len(in.OrderLineIDs) > models.InvoiceMaxLines:
		v.Add("orderLineIds", models.M("invoices.err.too_many_lines", "Max", models.InvoiceMaxLines))
	}
	seen := map[string]bool{}
	for _, id := range in.OrderLineIDs {
		if seen[id] {
			v.Add("orderLineIds", models.M("invoices.err.duplicate_line"))
		}
		seen[id] = true
		v.ID(lineField(id), id, true)
	}
	in.InvoiceParty.Validate(v, false)
	return v
}

func lineField(id string) string { return fmt.Sprintf("orderLineIds[%s]", id) }

func newRequestID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "b-" + hex.EncodeToString(b)
}

var buyerTokenRE = regexp.MustCompile(`^b-[0-9a-f]{24}$`)

// NewRequestToken is the idempotency token a request form (the buyer's
// request, 退票并重开) carries from the moment it renders: submitted twice,
// it names one request.
func NewRequestToken() string { return newRequestID() }

// create inserts a request in tx after checking every line, or returns the
// one recorded under the same requestId.
func (s *Service) create(tx *gorm.DB, actor models.Actor, source string, reissueOf *int64, in RequestInput,
	now, due time.Time) (*models.Invoice, bool, error) {
	hash := models.RequestHash(struct {
		C string
		L []string
		P models.InvoiceParty
	}{in.CustomerID, in.OrderLineIDs, in.InvoiceParty})
	var existing models.Invoice
	err := tx.Where("request_id = ?", in.RequestID).Take(&existing).Error
	if err == nil {
		if existing.RequestHash != hash {
			return nil, false, conflict(models.M("invoices.err.request_conflict"))
		}
		return &existing, false, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, err
	}
	var buyerRef int64
	if err := tx.Model(&models.Buyer{}).Where("customer_id = ?", in.CustomerID).Pluck("id", &buyerRef).Error; err != nil {
		return nil, false, err
	}
	if buyerRef == 0 {
		v := &models.ValidationError{}
		v.Add("customerId", models.M("invoices.err.customer_unknown"))
		return nil, false, v
	}
	facts, err := s.readLines(tx, in.OrderLineIDs, nil)
	if err != nil {
		return nil, false, err
	}
	// The merchant is that of the buyer's first line; every other line must
	// be of it too.
	var merchantID int64
	for _, id := range in.OrderLineIDs {
		if f := facts[id]; f != nil && f.BuyerRef == buyerRef {
			merchantID = f.MerchantID
			break
		}
	}
	v := &models.ValidationError{}
	var amount int64
	currency := ""
	for _, id := range in.OrderLineIDs {
		f := facts[id]
		if why := f.refusal(merchantID, buyerRef); why != "" {
			v.Add(lineField(id), models.M(why, "Line", id))
			continue
		}
		if currency != "" && f.Currency != currency {
			v.Form = &models.Msg{ID: "invoices.err.mixed_currency"}
		}
		currency = f.Currency
		amount += f.Net()
	}
	if err := v.Err(); err != nil {
		return nil, false, err
	}
	inv := &models.Invoice{MerchantID: merchantID, BuyerRef: buyerRef, CustomerID: in.CustomerID, RequestID: in.RequestID,
		RequestHash: hash, Source: source, ReissueOf: reissueOf, InvoiceParty: in.InvoiceParty, Currency: currency,
		Amount: amount, Status: models.InvoicePending, RequestedAt: now, OverdueAt: due, CreatedAt: now, UpdatedAt: now}
	if err := tx.Create(inv).Error; err != nil {
		return nil, false, err
	}
	for _, id := range in.OrderLineIDs {
		f := facts[id]
		if err := tx.Create(&models.InvoiceLine{InvoiceRef: inv.ID, MerchantID: merchantID, OrderLineRef: f.ID,
			Amount: f.Net(), Live: true}).Error; err != nil {
			return nil, false, err
		}
	}
	who := actor.Email
	if source != models.InvoiceFromReissue {
		who = "customer:" + in.CustomerID
	}
	return inv, true, event(tx, inv, now, actor, who, models.InvoiceEvRequested, map[string]any{
		"amount": amount, "currency": currency, "lines": len(in.OrderLineIDs), "source": source})
}

// event appends one line to the invoice's timeline.
func event(tx *gorm.DB, inv *models.Invoice, at time.Time, actor models.Actor, who, kind string, detail map[string]any) error {
	d := "{}"
	if len(detail) > 0 {
		b, err := json.Marshal(detail)
		if err != nil {
			return err
		}
		d = string(b)
	}
	if who == "" {
		who = actor.Email
	}
	e := models.InvoiceEvent{InvoiceRef: inv.ID, MerchantID: inv.MerchantID, At: at, Kind: kind, Actor: who, Detail: d}
	if actor.UserID != 0 {
		id := actor.UserID
		e.ActorUserID = &id
	}
	return tx.Create(&e).Error
}

// ByRequestID returns a request by the marketplace's id (platform actors)
// or a buyer's own.
func (s *Service) ByRequestID(ctx context.Context, actor models.Actor, requestID string) (*RequestView, error) {
	inv, err := s.byRequestID(s.db.WithContext(ctx), actor, requestID)
	if err != nil {
		return nil, err
	}
	return viewOf(inv), nil
}

func (s *Service) byRequestID(tx *gorm.DB, actor models.Actor, requestID string) (*models.Invoice, error) {
	if !models.IsID(requestID) {
		return nil, models.ErrNotFound
	}
	q := tx.Table("invoices AS i")
	if !actor.IsPlatform() {
		var err error
		if q, err = scoped(q, actor); err != nil {
			return nil, err
		}
	}
	var inv models.Invoice
	if err := q.Where("i.request_id = ?", requestID).Take(&inv).Error; err != nil {
		return nil, notFound(err)
	}
	return &inv, nil
}
