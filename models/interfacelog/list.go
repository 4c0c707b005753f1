package interfacelog

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/tenancy"
	"github.com/sellercenter/sellercenter/web/koogallery"
)

// Filter narrows the list. Zero values mean "any".
type Filter struct {
	MerchantID int64  // platform readers only
	Merchant   string // the merchant's slug as asked for; List resolves it
	From, To   time.Time
	Activity   string
	OrderID    string // exact order id or a prefix ending in *
	State      models.CallState
	ErrorClass string
	Cursor     string
	Limit      int
}

// Row is a list row: the attempt with its call's current state.
type Row struct {
	models.InterfaceMessage
	CallState   models.CallState
	MaxAttempts int
}

// Page is one page of rows, newest first.
type Page struct {
	models.Page[Row]
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

// scope applies the actor's tenancy and the filter (not the cursor) to a
// query over interface_messages aliased m.
func (s Service) scope(ctx context.Context, actor models.Actor, f Filter) (*gorm.DB, error) {
	if !actor.Can(models.PermInterfaceLog) {
		return nil, models.ErrForbidden
	}
	q := s.db.WithContext(ctx).Table("interface_messages AS m")
	mid := actor.MerchantID
	if actor.IsPlatform() {
		mid = f.MerchantID
	} else if mid == 0 {
		return nil, models.ErrForbidden
	}
	if mid != 0 {
		q = q.Where("m.merchant_id = ?", mid)
	}
	if !f.From.IsZero() {
		q = q.Where("m.at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("m.at < ?", f.To.UTC())
	}
	if f.Activity != "" {
		q = q.Where("m.activity = ?", f.Activity)
	}
	if f.ErrorClass != "" {
		q = q.Where("m.error_class = ?", f.ErrorClass)
	}
	if f.OrderID != "" {
		if p, ok := strings.CutSuffix(f.OrderID, "*"); ok {
			q = q.Where("m.order_id >= ? AND m.order_id < ?", p, p+"\U0010FFFF")
		} else {
			q = q.Where("m.order_id = ?", f.OrderID)
		}
	}
	if f.State != "" {
		// Which side to start from depends on how many calls are in the
		// state, which SQLite's statistics cannot tell for one value: few
		// calls → read their attempts (calls_state) and sort them; many →
		// walk the log newest first and keep the attempts whose call matches,
		// which reaches a page within a few hundred rows. CROSS JOIN fixes
		// SQLite's join order to the second plan.
		sub := s.db.Table("calls").Select("1").Where("state = ?", f.State)
		if mid != 0 {
			sub = sub.Where("merchant_id = ?", mid)
		}
		var n int64
		if err := s.db.WithContext(ctx).Table("(?) AS few", sub.Limit(stateCallsFirst+1)).Count(&n).Error; err != nil {
			return nil, err
		}
		join := "CROSS JOIN"
		if n <= stateCallsFirst {
			join = "JOIN"
		}
		q = q.Joins(join+" calls cs ON cs.id = m.call_ref AND cs.state = ?", f.State)
	}
	return q, nil
}

// stateCallsFirst is how many calls in a state the state filter reads
// attempt by attempt before it walks the log instead.
const stateCallsFirst = 2000

// List returns one page of attempts visible to the actor.
func (s Service) List(ctx context.Context, actor models.Actor, f Filter) (Page, error) {
	var p Page
	var err error
	if p.Merchants, f.MerchantID, err = tenancy.Filter(ctx, s.db, actor, f.Merchant, f.MerchantID); err != nil {
		return p, err
	}
	q, err := s.scope(ctx, actor, f)
	if err != nil {
		return Page{}, err
	}
	if f.Cursor != "" {
		_, ns, id, err := models.DecodeCursor(f.Cursor, "t")
		if err != nil {
			return Page{}, err
		}
		at := time.Unix(0, ns).UTC()
		q = q.Where("(m.at < ? OR (m.at = ? AND m.id < ?))", at, at, id)
	}
	limit := models.PageLimit(f.Limit)
	// Ids first: the filter, order and limit are answered from an index
	// alone, and only the page's rows are read from the table.
	var ids []int64
	if err := q.Order("m.at DESC, m.id DESC").Limit(limit+1).Pluck("m.id", &ids).Error; err != nil {
		return Page{}, err
	}
	var msgs []models.InterfaceMessage
	if len(ids) > 0 {
		if err := s.db.WithContext(ctx).Table("interface_messages AS m").Select(listColumns).Where("m.id IN ?", ids).
			Order("m.at DESC, m.id DESC").Find(&msgs).Error; err != nil {
			return Page{}, err
		}
	}
	page := models.PageOf(msgs, limit, models.ParamCursor, func(last models.InterfaceMessage) string {
		return models.EncodeCursor('t', last.At.UnixNano(), last.ID)
	})
	calls, err := s.calls(ctx, page.Rows)
	if err != nil {
		return Page{}, err
	}
	p.Next, p.Param = page.Next, page.Param
	for _, m := range page.Rows {
		c := calls[m.CallRef]
		p.Rows = append(p.Rows, Row{InterfaceMessage: m, CallState: c.State, MaxAttempts: c.MaxAttempts()})
	}
	return p, nil
}

// Merchants are the merchant filter's choices: every merchant for a platform
// reader, none for a merchant user.
func (s Service) Merchants(ctx context.Context, actor models.Actor) ([]models.Merchant, error) {
	return tenancy.Choices(ctx, s.db, actor)
}

// listColumns are what list rows show: everything but the bodies.
const listColumns = "m.id, m.merchant_id, m.call_ref, m.attempt_no, m.at, m.activity, m.order_id, m.order_line_id, m.instance_id, " +
	"m.protocol, m.url, m.response_status, m.body_sign, m.result_code, m.outcome, m.error_class, m.error_detail, m.latency_ms, " +
	"m.next_retry_at, m.manual, m.actor_email"

// Count is the number of attempts in the filtered set.
func (s Service) Count(ctx context.Context, actor models.Actor, f Filter) (int64, error) {
	q, err := s.scope(ctx, actor, f)
	if err != nil {
		return 0, err
	}
	var n int64
	err = q.Count(&n).Error
	return n, err
}

// EachPage is how many rows Each reads per query.
const EachPage = 1000

// eachRow is a list row with its call's state, read in one query.
type eachRow struct {
	models.InterfaceMessage
	CallState models.CallState `gorm:"column:call_state"`
	IntervalS int              `gorm:"column:interval_s"`
	WindowS   int              `gorm:"column:window_s"`
}

// Each walks the whole filtered set newest first (the cursor and limit are
// ignored) in keyset pages of EachPage rows, each joined to its call, so
// memory stays flat whatever the set's size. It stops at the first error of
// fn and returns how many rows fn accepted. Rows carry no bodies or headers.
func (s Service) Each(ctx context.Context, actor models.Actor, f Filter, fn func(Row) error) (int64, error) {
	base, err := s.scope(ctx, actor, f)
	if err != nil {
		return 0, err
	}
	var n int64
	var last *models.InterfaceMessage
	page := make([]eachRow, 0, EachPage)
	for {
		q := base.Session(&gorm.Session{})
		if last != nil {
			// The first bound lets SQLite range over the index (no rescans).
			q = q.Where("m.at <= ? AND (m.at < ? OR (m.at = ? AND m.id < ?))", last.At, last.At, last.At, last.ID)
		}
		page = page[:0]
		if err := q.Select(listColumns + ", c.state AS call_state, c.interval_s, c.window_s").
			Joins("JOIN calls c ON c.id = m.call_ref").
			Order("m.at DESC, m.id DESC").Limit(EachPage).Scan(&page).Error; err != nil {
			return n, err
		}
		for _, r := range page {
			c := models.Call{IntervalS: r.IntervalS, WindowS: r.WindowS}
			if err := fn(Row{InterfaceMessage: r.InterfaceMessage, CallState: r.CallState, MaxAttempts: c.MaxAttempts()}); err != nil {
				return n, err
			}
			n++
		}
		if len(page) < EachPage {
			return n, nil
		}
		m := page[len(page)-1].InterfaceMessage
		last = &m
	}
}

// calls loads the page's calls in one query (no N+1).
func (s Service) calls(ctx context.Context, msgs []models.InterfaceMessage) (map[int64]models.Call, error) {
	ids := make([]int64, 0, len(msgs))
	for _, m := range msgs {
		ids = append(ids, m.CallRef)
	}
	out := map[int64]models.Call{}
	if len(ids) == 0 {
		return out, nil
	}
	var cs []models.Call
	if err := s.db.WithContext(ctx).Select("id, state, interval_s, window_s, attempts, next_at, deadline_at, restarted").
		Where("id IN ?", ids).Find(&cs).Error; err != nil {
		return nil, err
	}
	for _, c := range cs {
		out[c.ID] = c
	}
	return out, nil
}

// Detail is one attempt with its call and the call's other attempts.
type Detail struct {
	Message  models.InterfaceMessage
	Call     models.Call
	Attempts []models.InterfaceMessage // the call's attempts, oldest first, without bodies
	// CanRestart is whether the viewer may press 重新启动 now.
	CanRestart bool
	// ResultZH and ResultEN explain the attempt's resultCode.
	ResultZH, ResultEN string
}

// Get loads one attempt visible to the actor; another merchant's is not found.
func (s Service) Get(ctx context.Context, actor models.Actor, id int64) (*Detail, error) {
	if !actor.Can(models.PermInterfaceLog) {
		return nil, models.ErrForbidden
	}
	q := s.db.WithContext(ctx).Where("id = ?", id)
	if !actor.IsPlatform() {
		q = q.Where("merchant_id = ?", actor.MerchantID)
	}
	var d Detail
	if err := q.First(&d.Message).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, models.ErrNotFound
		}
		return nil, err
	}
	if err := s.db.WithContext(ctx).First(&d.Call, d.Message.CallRef).Error; err != nil {
		return nil, err
	}
	if err := s.db.WithContext(ctx).Select("id, attempt_no, at, outcome, error_class, result_code, response_status, latency_ms, manual").
		Where("call_ref = ?", d.Call.ID).Order("attempt_no").Find(&d.Attempts).Error; err != nil {
		return nil, err
	}
	d.ResultZH, d.ResultEN, _ = koogallery.ResultCodeMeaning(d.Message.ResultCode)
	d.CanRestart = actor.Can(models.PermInterfaceRestart) && d.Call.Restartable(s.now())
	return &d, nil
}

// CallCounter counts the actor's calls in a state, for the to-do board.
func (s Service) CallCounter(state models.CallState) func(ctx context.Context, actor models.Actor) (int64, error) {
	return func(ctx context.Context, actor models.Actor) (int64, error) {
		q := s.db.WithContext(ctx).Model(&models.Call{}).Where("state = ?", state)
		if !actor.IsPlatform() {
			q = q.Where("merchant_id = ?", actor.MerchantID)
		}
		var n int64
		err := q.Count(&n).Error
		return n, err
	}
}
