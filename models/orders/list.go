package orders

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/tenancy"
)

// Row is one order line of the list with what its columns show.
type Row struct {
	LineID       int64              `gorm:"column:id"`
	OrderRef     int64              `gorm:"column:order_ref"`
	MerchantID   int64              `gorm:"column:merchant_id"`
	OrderCode    string             `gorm:"column:order_code"`
	OrderLineID  string             `gorm:"column:order_line_id"`
	OrderType    string             `gorm:"column:order_type"`
	ProductID    string             `gorm:"column:product_code"`
	ProductName  string             `gorm:"column:product_name"`
	SKUCode      string             `gorm:"column:sku_code"`
	ChargingMode string             `gorm:"column:charging_mode"`
	PeriodType   string             `gorm:"column:period_type"`
	PeriodNumber int                `gorm:"column:period_number"`
	Customer     string             `gorm:"column:customer"` // masked
	CustomerID   string             `gorm:"column:customer_id"`
	OrderedAt    time.Time          `gorm:"column:ordered_at"`
	ExpireAt     *time.Time         `gorm:"column:expire_at"`
	Amount       int64              `gorm:"column:amount"`
	Currency     string             `gorm:"column:currency"`
	Status       models.LineStatus  `gorm:"column:status"`
	StatusReason string             `gorm:"column:status_reason"`
	Supervision  models.Supervision `gorm:"column:supervision"`
	InstanceID   string             `gorm:"column:instance_code"`
	CallState    models.CallState   `gorm:"column:call_state"`
	CallID       *int64             `gorm:"column:call_id"` // the line's call, for its page in the message log
	// InstanceAt is the creation of the line's instance; CreatedInstance
	// says whether this line created it (see Effective).
	InstanceAt      *time.Time `gorm:"column:instance_at"`
	CreatedInstance bool       `gorm:"column:created_instance"`
}

// Effective is when the line took effect (生效时间): its instance's creation
// for a line that created one; the order time for a line that completed on
// an instance it did not create (renewal, change); nil while nothing took
// effect.
func (r Row) Effective() *time.Time {
	switch {
	case r.CreatedInstance && r.InstanceAt != nil:
		return r.InstanceAt
	case r.Status == models.LineCompleted || r.Status == models.LineSupervising:
		t := r.OrderedAt
		return &t
	}
	return nil
}

// Total is the count and sum of the filtered lines in one currency.
type Total struct {
	Currency string `gorm:"column:currency"`
	Count    int64  `gorm:"column:n"`
	Amount   int64  `gorm:"column:total"`
}

// Page is one page of the list with the totals of the whole filtered set.
type Page struct {
	models.Page[Row]
	Totals []Total
	// Merchants are the merchant filter's choices (platform readers only).
	Merchants []models.Merchant
}

// Service reads orders.
type Service struct{ db *gorm.DB }

// New builds the orders service.
func New(db *gorm.DB) Service { return Service{db: db} }

// Merchants are the merchant filter's choices: every merchant for a platform
// reader, none for a merchant user.
func (s Service) Merchants(ctx context.Context, actor models.Actor) ([]models.Merchant, error) {
	return tenancy.Choices(ctx, s.db, actor)
}

// List returns one page of order lines and the filtered set's totals.
func (s Service) List(ctx context.Context, actor models.Actor, f Filter) (Page, error) {
	var p Page
	var err error
	if p.Merchants, f.MerchantID, err = tenancy.Filter(ctx, s.db, actor, f.Merchant, f.MerchantID); err != nil {
		return p, err
	}
	t, err := s.target(ctx, actor, f)
	if err != nil {
		return Page{}, err
	}
	var at models.Cursor
	if f.Cursor != "" {
		if at, err = models.ParseCursor(f.Cursor, cursorKinds); err != nil || (at.Kind == 'a') != isAmountSort(f.Sort) {
			return Page{}, models.ErrBadCursor
		}
	}
	pg := newPageSpec(f.Sort)
	pg.limit = models.PageLimit(f.Limit)
	if at.ID != 0 {
		pg = pg.from(at)
	}
	fs, err := s.measure(ctx, t, f)
	if err != nil {
		return Page{}, err
	}
	p.Totals = fs.totals
	if fs.n == 0 {
		return p, nil // nothing matches: no page to look for
	}
	// The page's ids first, from the indexes alone; the joins and the
	// per-row subquery then run for those rows only, never for the rows a
	// sort or a filter passes over.
	// Scanned by position (scanPage): GORM's reflective Scan cost a
	// third of the page's query.
	rows, err := scanPage(withColumns(s.db.WithContext(ctx).Table("order_lines AS l"), rowColumns+`, c.id AS call_id`).
		Where("l.id IN (?)", s.pageIDs(ctx, t, f, fs, pg)).Order(pg.order("")), make([]Row, 0, pg.limit+1), true)
	if err != nil {
		return Page{}, err
	}
	page, first := models.CursorPage(rows, pg.limit, at, func(r Row) models.Cursor {
		if pg.byAmount {
			return models.Cursor{Kind: 'a', Key: r.Amount, ID: r.LineID}
		}
		return models.Cursor{Kind: 't', Key: r.OrderedAt.UnixNano(), ID: r.LineID}
	})
	if first {
		// Paged back to the start: the first page, full and numbered from 1.
		f.Cursor = ""
		return s.List(ctx, actor, f)
	}
	p.Page = page
	return p, nil
}

// rowColumns are the list's columns; withColumns adds their joins.
const rowColumns = `l.id, l.order_ref, l.merchant_id, l.order_code, l.order_line_id, l.order_type, p.product_id AS product_code,
		p.name AS product_name, l.sku_code, l.charging_mode, l.period_type, l.period_number, b.name_masked AS customer,
		b.customer_id, l.ordered_at, l.expire_at, l.amount, l.currency, l.status, l.status_reason, l.supervision,
		i.instance_id AS instance_code, c.state AS call_state, i.created_at AS instance_at,
		coalesce(i.creating_line_ref = l.id, 0) AS created_instance`

func withColumns(q *gorm.DB, cols string) *gorm.DB {
	return q.Select(cols).
		Joins("JOIN products p ON p.id = l.product_ref").
		Joins("LEFT JOIN buyers b ON b.id = l.buyer_ref").
		Joins("LEFT JOIN instances i ON i.id = l.instance_ref").
		Joins("LEFT JOIN calls c ON c.order_line_ref = l.id")
}

// Count is the number of lines in the filtered set.
func (s Service) Count(ctx context.Context, actor models.Actor, f Filter) (int64, error) {
	t, err := s.target(ctx, actor, f)
	if err != nil {
		return 0, err
	}
	fs, err := s.measure(ctx, t, f)
	return fs.n, err
}
