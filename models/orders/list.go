package orders

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
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
	LastMessage  *int64             `gorm:"column:last_message"`
}

// Total is the count and sum of the filtered lines in one currency.
type Total struct {
	Currency string `gorm:"column:currency"`
	Count    int64  `gorm:"column:n"`
	Amount   int64  `gorm:"column:total"`
}

// Page is one page of the list with the totals of the whole filtered set.
type Page struct {
	Rows   []Row
	Next   string
	Totals []Total
}

// Service reads orders.
type Service struct{ DB *gorm.DB }

// scope applies the actor's tenancy and the filter (not the cursor) to a
// query over order_lines aliased l.
func (s Service) scope(ctx context.Context, actor models.Actor, f Filter) (*gorm.DB, error) {
	if !actor.Can(models.PermOrdersView) {
		return nil, models.ErrForbidden
	}
	q := s.DB.WithContext(ctx).Table("order_lines AS l")
	switch {
	case actor.IsPlatform():
		if f.MerchantID != 0 {
			q = q.Where("l.merchant_id = ?", f.MerchantID)
		}
	case actor.MerchantID != 0:
		q = q.Where("l.merchant_id = ?", actor.MerchantID)
	default:
		return nil, models.ErrForbidden
	}
	if !f.From.IsZero() {
		q = q.Where("l.ordered_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("l.ordered_at < ?", f.To.UTC())
	}
	if f.OrderPrefix != "" {
		// A range instead of LIKE, so the index on order_code serves it.
		q = q.Where("l.order_code >= ? AND l.order_code < ?", f.OrderPrefix, f.OrderPrefix+"\U0010FFFF")
	}
	if f.Type != "" {
		q = q.Where("l.order_type = ?", f.Type)
	}
	if f.Status != "" {
		q = q.Where("l.status = ?", f.Status)
	}
	if f.ChargingMode != "" {
		q = q.Where("l.charging_mode = ?", f.ChargingMode)
	}
	if f.Supervision != "" {
		q = q.Where("l.supervision = ?", f.Supervision)
	}
	if f.ProductID != "" {
		q = q.Where("l.product_ref IN (SELECT id FROM products WHERE product_id = ?)", f.ProductID)
	}
	if f.CustomerID != "" {
		q = q.Where("l.buyer_ref IN (SELECT id FROM buyers WHERE customer_id = ?)", f.CustomerID)
	}
	return q, nil
}

// List returns one page of order lines and the filtered set's totals.
func (s Service) List(ctx context.Context, actor models.Actor, f Filter) (Page, error) {
	q, err := s.scope(ctx, actor, f)
	if err != nil {
		return Page{}, err
	}
	var p Page
	if err := q.Session(&gorm.Session{}).Select("l.currency AS currency, count(*) AS n, coalesce(sum(l.amount), 0) AS total").
		Group("l.currency").Order("l.currency").Scan(&p.Totals).Error; err != nil {
		return Page{}, err
	}
	byAmount := f.Sort == SortAmountDesc || f.Sort == SortAmountAsc
	desc := f.Sort == SortTimeDesc || f.Sort == SortAmountDesc || f.Sort == ""
	key, op, dir := "l.ordered_at", "<", "DESC"
	if byAmount {
		key = "l.amount"
	}
	if !desc {
		op, dir = ">", "ASC"
	}
	if f.Cursor != "" {
		kind, k, id, err := decodeCursor(f.Cursor)
		if err != nil || (kind == 'a') != byAmount {
			return Page{}, ErrBadCursor
		}
		var kv any = k
		if kind == 't' {
			kv = time.Unix(0, k).UTC()
		}
		q = q.Where("("+key+" "+op+" ? OR ("+key+" = ? AND l.id "+op+" ?))", kv, kv, id)
	}
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	err = withColumns(q, rowColumns+`,
		(SELECT max(m.id) FROM interface_messages m WHERE m.call_ref = c.id) AS last_message`).
		Order(key + " " + dir + ", l.id " + dir).Limit(limit + 1).Scan(&p.Rows).Error
	if err != nil {
		return Page{}, err
	}
	if len(p.Rows) > limit {
		p.Rows = p.Rows[:limit]
		last := p.Rows[limit-1]
		if byAmount {
			p.Next = encodeCursor('a', last.Amount, last.LineID)
		} else {
			p.Next = encodeCursor('t', last.OrderedAt.UnixNano(), last.LineID)
		}
	}
	return p, nil
}

// ErrBadCursor is returned for a cursor the list did not make.
var ErrBadCursor = errors.New("orders: malformed cursor")

// rowColumns are the list's columns; withColumns adds their joins.
const rowColumns = `l.id, l.order_ref, l.merchant_id, l.order_code, l.order_line_id, l.order_type, p.product_id AS product_code,
		p.name AS product_name, l.sku_code, l.charging_mode, l.period_type, l.period_number, b.name_masked AS customer,
		b.customer_id, l.ordered_at, l.expire_at, l.amount, l.currency, l.status, l.status_reason, l.supervision,
		i.instance_id AS instance_code, c.state AS call_state`

func withColumns(q *gorm.DB, cols string) *gorm.DB {
	return q.Select(cols).
		Joins("JOIN products p ON p.id = l.product_ref").
		Joins("LEFT JOIN buyers b ON b.id = l.buyer_ref").
		Joins("LEFT JOIN instances i ON i.id = l.instance_ref").
		Joins("LEFT JOIN calls c ON c.order_line_ref = l.id")
}

// Count is the number of lines in the filtered set.
func (s Service) Count(ctx context.Context, actor models.Actor, f Filter) (int64, error) {
	q, err := s.scope(ctx, actor, f)
	if err != nil {
		return 0, err
	}
	var n int64
	err = q.Count(&n).Error
	return n, err
}
