package tickets

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/buyers"
	"github.com/sellercenter/sellercenter/models/vault"
)

// Input is a ticket as the marketplace hands it over (POST /api/v1/tickets).
type Input struct {
	TicketID     string
	ProductID    string
	CustomerID   string
	CustomerName string
	Title        string
	Content      string
	// CreateTime is when the buyer opened the ticket on the marketplace;
	// zero means now.
	CreateTime time.Time
}

// View is a ticket as the intake API reports it.
type View struct {
	TicketID     string    `json:"ticketId"`
	ProductID    string    `json:"productId"`
	CustomerID   string    `json:"customerId"`
	CustomerName string    `json:"customerName"`
	Title        string    `json:"title"`
	Content      string    `json:"content"`
	CreateTime   time.Time `json:"createTime"`
	// FirstResponseDueAt is the current round's first-response deadline
	// (kept once answered); null while the clock has none (waiting on the
	// buyer).
	FirstResponseDueAt *time.Time         `json:"firstResponseDueAt"`
	Status             models.TicketState `json:"status"`
}

// MaxAge is how old a ticket's createTime may be.
const MaxAge = 7 * 24 * time.Hour

func (in *Input) validate(now time.Time) *models.ValidationError {
	v := &models.ValidationError{}
	v.ID("ticketId", in.TicketID, true)
	v.ID("productId", in.ProductID, true)
	v.ID("customerId", in.CustomerID, true)
	v.Text("customerName", in.CustomerName, models.TicketNameMax, true, false)
	v.Text("title", in.Title, models.TicketTitleMax, true, false)
	v.Text("content", in.Content, models.TicketContentMax, true, true)
	if !in.CreateTime.IsZero() {
		switch {
		case in.CreateTime.After(now):
			v.Add("createTime", models.M("err.future_time"))
		case in.CreateTime.Before(now.Add(-MaxAge)):
			v.Add("createTime", models.M("tickets.err.too_old", "Days", int(MaxAge/(24*time.Hour))))
		}
	}
	return v
}

// Accept records a ticket from the marketplace in one transaction and
// starts its first-response clock. The same ticketId again returns the
// recorded ticket (created=false); the same id with other content is a
// conflict. A merchant that does not receive tickets (是否接待 = 否) gets
// none: the ticket is refused (422), so no ticket ever waits without a clock.
func (s *Service) Accept(ctx context.Context, in Input) (view *View, created bool, err error) {
	now := s.now()
	if !in.CreateTime.IsZero() {
		in.CreateTime = in.CreateTime.UTC()
	}
	if v := in.validate(now); v.Err() != nil {
		return nil, false, v
	}
	hash := models.RequestHash(in)
	db := s.db.WithContext(ctx)
	var existing models.Ticket
	err = db.Where("ticket_id = ?", in.TicketID).Take(&existing).Error
	if err == nil {
		if existing.RequestHash != hash {
			return nil, false, &models.ConflictError{Msg: models.M("tickets.err.conflict")}
		}
		view, err = s.view(ctx, &existing)
		return view, false, err
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, err
	}
	var p models.Product
	if err := db.Where("product_id = ?", in.ProductID).Take(&p).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			v := &models.ValidationError{}
			v.Add("productId", models.M("err.product_unknown"))
			return nil, false, v
		}
		return nil, false, err
	}
	// The calendar is read before the write transaction: it comes from
	// another area, which must not wait on our write lock.
	cal, err := s.calendar(ctx, p.MerchantID)
	if err != nil {
		return nil, false, err
	}
	if cal == nil {
		v := &models.ValidationError{}
		v.Add("productId", models.M("tickets.err.not_receiving"))
		return nil, false, v
	}
	start := in.CreateTime
	if start.IsZero() {
		start = now
	}
	t := &models.Ticket{MerchantID: p.MerchantID, TicketID: in.TicketID, ProductRef: p.ID, Title: in.Title,
		Content: in.Content, Source: models.TicketFromAPI, RequestHash: hash, CreatedAt: start.Truncate(time.Second)}
	err = db.Transaction(func(tx *gorm.DB) error {
		// A concurrent repeat may have won the race since the look-up above.
		var n int64
		if err := tx.Model(&models.Ticket{}).Where("ticket_id = ?", in.TicketID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return errRepeat
		}
		return s.insert(tx, t, in.CustomerID, in.CustomerName, cal, now, models.TicketByMarketplace, nil)
	})
	if errors.Is(err, errRepeat) {
		return s.Accept(ctx, in)
	}
	if err != nil {
		return nil, false, err
	}
	view, err = s.view(ctx, t)
	return view, true, err
}

var errRepeat = errors.New("tickets: repeated concurrently")

// insert stores a new ticket with its buyer, its history's first events and
// its planned clock.
func (s *Service) insert(tx *gorm.DB, t *models.Ticket, customerID, customerName string, cal *bizclock.Calendar,
	now time.Time, by string, byUser *int64) error {
	// A known buyer keeps the PII its orders brought (richer than a name).
	buyerID, err := buyers.Save(tx, s.vault, customerID, models.BuyerPII{CustomerName: customerName}, now, false)
	if err != nil {
		return err
	}
	t.BuyerRef = buyerID
	t.CustomerNameEnc = s.vault.Seal([]byte(customerName), vault.PurposeBuyerPII)
	t.State = models.TicketPending
	t.ReceivedAt, t.UpdatedAt = now, now
	t.Round, t.ClockStartAt = 1, t.CreatedAt
	s.plan(t, cal, nil)
	if err := tx.Create(t).Error; err != nil {
		return err
	}
	return writeEvents(tx, t,
		models.TicketEvent{At: now, Kind: models.TicketEvCreated, ToState: models.TicketPending, ActorKind: by, ActorUserID: byUser},
		models.TicketEvent{At: t.ClockStartAt, Kind: models.TicketEvClockStarted, ActorKind: by, ActorUserID: byUser})
}

func writeEvents(tx *gorm.DB, t *models.Ticket, evs ...models.TicketEvent) error {
	for i := range evs {
		evs[i].TicketRef, evs[i].MerchantID = t.ID, t.MerchantID
		if evs[i].Round == 0 {
			evs[i].Round = t.Round
		}
	}
	return tx.Create(&evs).Error
}

// Get returns a ticket by its marketplace id, for the intake API.
func (s *Service) Get(ctx context.Context, ticketID string) (*View, error) {
	var t models.Ticket
	if err := s.db.WithContext(ctx).Where("ticket_id = ?", ticketID).Take(&t).Error; err != nil {
		return nil, notFound(err)
	}
	return s.view(ctx, &t)
}

func (s *Service) view(ctx context.Context, t *models.Ticket) (*View, error) {
	var row struct {
		ProductID  string
		CustomerID string
	}
	err := s.db.WithContext(ctx).Raw(`SELECT p.product_id, b.customer_id FROM products p, buyers b
		WHERE p.id = ? AND b.id = ?`, t.ProductRef, t.BuyerRef).Scan(&row).Error
	if err != nil {
		return nil, err
	}
	v := &View{TicketID: t.TicketID, ProductID: row.ProductID, CustomerID: row.CustomerID,
		CustomerName: s.customerName(t), Title: t.Title, Content: t.Content, CreateTime: t.CreatedAt.UTC(),
		Status: t.State}
	if t.DueAt != nil {
		d := t.DueAt.UTC()
		v.FirstResponseDueAt = &d
	}
	return v, nil
}
