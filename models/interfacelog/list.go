package interfacelog

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/tenancy"
)

// Filter narrows the list. Zero values mean "any".
type Filter struct {
	MerchantID int64  // platform readers only
	Merchant   string // the merchant's slug as asked for; List resolves it
	From, To   time.Time
	Activity   string
	OrderID    string // exact order id or a prefix ending in *
	State      models.CallView
	ErrorClass string
	Cursor     string
	Limit      int
}

// CallRow is a list row: one call, with what the list shows beside it.
type CallRow struct {
	models.Call
	MerchantName string // for platform readers
	InstanceID   string // the call's instance, for calls without an order
}

// Page is one page of calls, newest first.
type Page struct {
	models.Page[CallRow]
	// Merchants are the merchant filter's choices (platform readers only).
	Merchants []models.Merchant
}

// ErrorClasses lists the classes of the filter, in display order.
var ErrorClasses = []string{"timeout", "connection", "http_status", "bad_body_sign", "bad_json", "missing_field",
	"business_code", "invalid_request", "config", "interrupted", "decrypt", "duplicate_instance", "not_ready"}

// Service reads the log.
type Service struct {
	db    *gorm.DB
	clock bizclock.Clock // nil: the system clock
}

// New builds the message-log service.
func New(db *gorm.DB, clock bizclock.Clock) Service { return Service{db: db, clock: clock} }

func (s Service) now() time.Time {
	if s.clock == nil {
		return time.Now().UTC()
	}
	return s.clock.Now()
}

// merchantScope is the merchant a query is limited to (0: all, for a
// platform reader without a merchant filter).
func merchantScope(actor models.Actor, f Filter) (int64, error) {
	if !actor.Can(models.PermInterfaceLog) {
		return 0, models.ErrForbidden
	}
	if actor.IsPlatform() {
		return f.MerchantID, nil
	}
	if actor.MerchantID == 0 {
		return 0, models.ErrForbidden
	}
	return actor.MerchantID, nil
}

// viewWhere is the condition on a call (aliased c) that it shows in view v.
func viewWhere(v models.CallView) (string, []any) {
	switch v {
	case models.ViewOK:
		return "c.state = ?", []any{models.CallSucceeded}
	case models.ViewRecovered:
		return "c.state = ?", []any{models.CallRecovered}
	case models.ViewFailed:
		return "c.state = ? AND c.closed_at IS NULL", []any{models.CallFailed}
	case models.ViewClosed:
		return "c.state = ? AND c.closed_at IS NOT NULL", []any{models.CallFailed}
	}
	return "c.state IN ?", []any{[]models.CallState{models.CallPending, models.CallRetrying, models.CallPolling}}
}

// scopeCalls applies the actor's tenancy and the filter (not the cursor) to
// a query over calls aliased c. Every filter has an index that starts with
// its column and ends in the list's order (migration 00017).
func (s Service) scopeCalls(ctx context.Context, actor models.Actor, f Filter) (*gorm.DB, error) {
	mid, err := merchantScope(actor, f)
	if err != nil {
		return nil, err
	}
	q := s.db.WithContext(ctx).Table("calls AS c")
	if mid != 0 {
		q = q.Where("c.merchant_id = ?", mid)
	}
	if !f.From.IsZero() {
		q = q.Where("c.first_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("c.first_at < ?", f.To.UTC())
	}
	if f.Activity != "" {
		q = q.Where("c.activity = ?", models.CallActivity(f.Activity))
	}
	if f.ErrorClass != "" {
		q = q.Where("c.last_error = ?", f.ErrorClass)
	}
	if f.OrderID != "" {
		if p, ok := strings.CutSuffix(f.OrderID, "*"); ok {
			q = q.Where("c.order_id >= ? AND c.order_id < ?", p, p+"\U0010FFFF")
		} else {
			q = q.Where("c.order_id = ?", f.OrderID)
		}
	}
	if f.State != "" {
		w, args := viewWhere(f.State)
		q = q.Where(w, args...)
	}
	return q, nil
}

// List returns one page of the calls visible to the actor, newest first
// (by order id, then newest first, for an order-id prefix).
func (s Service) List(ctx context.Context, actor models.Actor, f Filter) (Page, error) {
	var p Page
	var err error
	if p.Merchants, f.MerchantID, err = tenancy.Filter(ctx, s.db, actor, f.Merchant, f.MerchantID); err != nil {
		return p, err
	}
	q, err := s.scopeCalls(ctx, actor, f)
	if err != nil {
		return Page{}, err
	}
	// An order-id prefix lists its calls by order id (then newest first): a
	// range of the order index in its own order. Newest first across a
	// month's orders would sort the whole range (0.8 s at 400,000 calls).
	_, byOrder := strings.CutSuffix(f.OrderID, "*")
	order := "c.first_at DESC, c.id DESC"
	if byOrder {
		order = "c.order_id, c.first_at DESC, c.id DESC"
	}
	if f.Cursor != "" {
		kind, ns, id, err := models.DecodeCursor(f.Cursor, "to")
		if err != nil || (kind == 'o') != byOrder {
			return Page{}, models.ErrBadCursor
		}
		at := time.Unix(0, ns).UTC()
		if byOrder {
			// The cursor names the last call; its order id is read back.
			var oid []string
			if err := s.db.WithContext(ctx).Table("calls").Where("id = ?", id).Pluck("order_id", &oid).Error; err != nil {
				return Page{}, err
			}
			if len(oid) == 0 {
				return Page{}, models.ErrBadCursor
			}
			q = q.Where("c.order_id >= ? AND (c.order_id > ? OR (c.order_id = ? AND (c.first_at < ? OR (c.first_at = ? AND c.id < ?))))",
				oid[0], oid[0], oid[0], at, at, id)
		} else {
			// The first bound lets SQLite range over the index.
			q = q.Where("c.first_at <= ? AND (c.first_at < ? OR (c.first_at = ? AND c.id < ?))", at, at, at, id)
		}
	}
	limit := models.PageLimit(f.Limit)
	// Ids first: the filter, order and limit are answered from an index
	// alone, and only the page's rows are read from the table.
	var ids []int64
	if err := q.Order(order).Limit(limit+1).Pluck("c.id", &ids).Error; err != nil {
		return Page{}, err
	}
	rows := make([]CallRow, 0, len(ids))
	if len(ids) > 0 {
		if err := s.db.WithContext(ctx).Table("calls AS c").
			Select("c.*, coalesce(mc.name, '') AS merchant_name, coalesce(i.instance_id, '') AS instance_id").
			Joins("LEFT JOIN merchants mc ON mc.id = c.merchant_id").
			Joins("LEFT JOIN instances i ON i.id = c.instance_ref").
			Where("c.id IN ?", ids).Order(order).Scan(&rows).Error; err != nil {
			return Page{}, err
		}
	}
	kind := byte('t')
	if byOrder {
		kind = 'o'
	}
	page := models.PageOf(rows, limit, models.ParamCursor, func(last CallRow) string {
		return models.EncodeCursor(kind, last.FirstAt.UnixNano(), last.ID)
	})
	p.Rows, p.Next, p.Param = page.Rows, page.Next, page.Param
	return p, nil
}

// Merchants are the merchant filter's choices: every merchant for a platform
// reader, none for a merchant user.
func (s Service) Merchants(ctx context.Context, actor models.Actor) ([]models.Merchant, error) {
	return tenancy.Choices(ctx, s.db, actor)
}

// CallCounter counts the actor's calls the list shows under the state filter
// of the same name (state is read as a models.CallView: "failed" excludes
// closed calls, "retrying" includes calls not yet answered), so the to-do
// board's figure is the number of rows its link opens.
func (s Service) CallCounter(state models.CallState) func(ctx context.Context, actor models.Actor) (int64, error) {
	return func(ctx context.Context, actor models.Actor) (int64, error) {
		q, err := s.scopeCalls(ctx, actor, Filter{State: models.CallView(state)})
		if err != nil {
			return 0, err
		}
		var n int64
		err = q.Count(&n).Error
		return n, err
	}
}
