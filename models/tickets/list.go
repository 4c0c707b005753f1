package tickets

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
)

// ClockUnanswered is the list's clock filter for every open ticket still
// waiting for its first public reply, whatever its clock shows.
const ClockUnanswered models.ClockStatus = "unanswered"

// StateOpen is the list's filter value for every state that still waits on
// somebody (pending, processing, awaiting_customer).
const StateOpen = "open"

// Filter is the ticket list's filter; it round-trips through a URL query.
type Filter struct {
	State    string             // a models.TicketState, StateOpen or "" (all)
	Clock    models.ClockStatus // "" (all)
	Merchant string             // a platform reader's merchant pick (slug; "" = all)
	BeforeID int64
	Limit    int
}

// Query is the filter's URL form (without the cursor).
func (f Filter) Query() url.Values {
	q := url.Values{}
	if f.State != "" {
		q.Set("state", f.State)
	}
	if f.Clock != "" {
		q.Set("clock", string(f.Clock))
	}
	if f.Merchant != "" {
		q.Set("merchant", f.Merchant)
	}
	return q
}

// ParseFilter reads a filter from URL values; unknown values are refused.
func ParseFilter(q url.Values, _ *time.Location) (Filter, *models.ValidationError) {
	v := &models.ValidationError{}
	f := Filter{State: q.Get("state"), Clock: models.ClockStatus(q.Get("clock")), Merchant: q.Get("merchant"),
		BeforeID: models.ParseBefore(q, v)}
	if f.State != "" && f.State != StateOpen && !slices.Contains(models.TicketStates, models.TicketState(f.State)) {
		v.Add("state", models.M("err.filter_value"))
	}
	if f.Clock != "" && f.Clock != ClockUnanswered && !slices.Contains(ClockStatuses, f.Clock) {
		v.Add("clock", models.M("err.filter_value"))
	}
	return f, v
}

var openStates = []models.TicketState{models.TicketPending, models.TicketProcessing, models.TicketAwaiting}
var closedStates = []models.TicketState{models.TicketDone, models.TicketRevoked}

// unanswered is running as a query scope: the open tickets whose round still
// waits for its first public reply. prefix qualifies the columns ("t." where
// the query aliases tickets, as joins need).
func unanswered(prefix string) func(*gorm.DB) *gorm.DB {
	return func(q *gorm.DB) *gorm.DB {
		return q.Where(prefix+"first_response_at IS NULL AND "+prefix+"state IN ?", openStates)
	}
}

// clockWhere narrows a query on tickets aliased t to a clock status at now,
// the same rule ClockOf shows.
func clockWhere(q *gorm.DB, c models.ClockStatus, now time.Time) *gorm.DB {
	live := unanswered("t.")
	breached := "(t.breached_at IS NOT NULL OR t.due_at <= ?)"
	warned := "(t.warned_at IS NOT NULL OR t.warn_at <= ?)"
	switch c {
	case ClockUnanswered:
		return live(q)
	case models.ClockBreached:
		return live(q).Where("t.due_at IS NOT NULL AND "+breached, now)
	case models.ClockWarning:
		return live(q).Where("t.due_at IS NOT NULL AND NOT "+breached+" AND "+warned, now, now)
	case models.ClockRunning:
		return live(q).Where("t.due_at IS NOT NULL AND NOT "+breached+" AND NOT "+warned, now, now)
	case models.ClockPaused:
		return live(q).Where("t.due_at IS NULL AND t.state = ?", models.TicketAwaiting)
	case models.ClockNone:
		return live(q).Where("t.due_at IS NULL AND t.state <> ?", models.TicketAwaiting)
	case models.ClockMet:
		return q.Where("t.first_response_at IS NOT NULL AND t.breached_at IS NULL")
	case models.ClockLate:
		return q.Where("t.first_response_at IS NOT NULL AND t.breached_at IS NOT NULL")
	case models.ClockStopped:
		return q.Where("t.first_response_at IS NULL AND t.state IN ?", closedStates)
	}
	return q
}

// Row is a ticket as the lists show it.
type Row struct {
	models.Ticket
	ProductID    string `gorm:"column:product_code"`
	ProductName  string `gorm:"column:product_name"`
	Customer     string `gorm:"column:customer_masked"`
	AssigneeName string `gorm:"column:assignee_name"`
	MerchantName string `gorm:"column:merchant_name"`
	Clock        Clock  `gorm:"-"`
}

// Page is one page of a list, newest first.
type Page struct {
	models.Page[Row]
	Now       time.Time
	Merchants []models.Merchant // a platform reader's merchant filter (nil for merchant users)
}

const rowColumns = `t.*, p.product_id AS product_code, p.name AS product_name, b.name_masked AS customer_masked,
	COALESCE(NULLIF(u.name, ''), u.email, '') AS assignee_name, m.name AS merchant_name`

func rowQuery(db *gorm.DB) *gorm.DB {
	return db.Table("tickets AS t").Select(rowColumns).
		Joins("JOIN products p ON p.id = t.product_ref").
		Joins("JOIN buyers b ON b.id = t.buyer_ref").
		Joins("LEFT JOIN users u ON u.id = t.assignee_id").
		Joins("JOIN merchants m ON m.id = t.merchant_id")
}

func page(q *gorm.DB, f Filter, now time.Time) (*gorm.DB, int) {
	if f.State == StateOpen {
		q = q.Where("t.state IN ?", openStates)
	} else if f.State != "" {
		q = q.Where("t.state = ?", f.State)
	}
	q = clockWhere(q, f.Clock, now)
	if f.BeforeID > 0 {
		q = q.Where("t.id < ?", f.BeforeID)
	}
	limit := models.PageLimit(f.Limit)
	return q.Order("t.id DESC").Limit(limit + 1), limit
}

// List returns the actor's merchant's tickets, newest first, each with its
// live clock.
func (s *Service) List(ctx context.Context, actor models.Actor, f Filter) (Page, error) {
	if actor.IsPlatform() {
		return s.platformList(ctx, actor, f)
	}
	if err := merchantScope(actor); err != nil {
		return Page{}, err
	}
	now := s.now()
	cal, err := s.calendar(ctx, actor.MerchantID)
	if err != nil {
		return Page{}, err
	}
	p, err := fetch(page(rowQuery(s.db.WithContext(ctx)).Where("t.merchant_id = ?", actor.MerchantID), f, now))
	if err != nil {
		return Page{}, err
	}
	p.Now = now
	for i := range p.Rows {
		p.Rows[i].Clock = ClockOf(&p.Rows[i].Ticket, cal, now)
	}
	return p, nil
}

// BuyerList returns the buyer's own tickets, newest first; of the filter
// only the page's position applies (the buyer's list has no filters).
func (s *Service) BuyerList(ctx context.Context, actor models.Actor, f Filter) (Page, error) {
	db := s.db.WithContext(ctx)
	cust, err := s.buyerCustomer(db, actor)
	if err != nil {
		return Page{}, err
	}
	now := s.now()
	if cust == "" {
		return Page{Now: now}, nil
	}
	p, err := fetch(page(rowQuery(db).Where("t.buyer_ref = (SELECT id FROM buyers WHERE customer_id = ?)", cust),
		Filter{BeforeID: f.BeforeID}, now))
	if err != nil {
		return Page{}, err
	}
	p.Now = now
	for i := range p.Rows {
		p.Rows[i].AssigneeName = "" // staff names are the merchant's business
	}
	return p, nil
}

// Message is a conversation entry with its files.
type Message struct {
	models.TicketMessage
	Files []models.TicketAttachment
}

// Detail is one ticket's page.
type Detail struct {
	Row
	Messages []Message
	Events   []models.TicketEvent  // merchant view only
	Actions  []models.TicketAction // what the viewer's side may do in the ticket's state
	Staff    []models.User         // who it may be assigned to (merchant view)
	Names    map[int64]string
	Now      time.Time
	ReadOnly bool // an operations manager reads it: no reply, action or assignment
}

// Can reports whether the viewer's side may take the action now.
func (d *Detail) Can(a models.TicketAction) bool { return slices.Contains(d.Actions, a) }

// BuyerWrites says the buyer may write in the ticket now: a message while
// it is open, or the message that reopens it.
func (d *Detail) BuyerWrites() bool {
	return d.Can(models.TicketBuyerMessage) || d.Can(models.TicketReopen)
}

// Buttons are the Actions taken without writing a message (Act, BuyerAct).
func (d *Detail) Buttons() []models.TicketAction {
	var out []models.TicketAction
	for _, a := range d.Actions {
		if !withMessage(a) {
			out = append(out, a)
		}
	}
	return out
}

// Detail is a ticket of the actor's merchant with its whole conversation,
// history and the actions its state allows.
func (s *Service) Detail(ctx context.Context, actor models.Actor, id int64) (*Detail, error) {
	db := s.db.WithContext(ctx)
	if actor.IsPlatform() {
		return s.platformDetail(ctx, actor, id)
	}
	if err := merchantScope(actor); err != nil {
		return nil, err
	}
	d, err := s.detail(ctx, rowQuery(db).Where("t.id = ? AND t.merchant_id = ?", id, actor.MerchantID), false)
	if err != nil {
		return nil, err
	}
	if err := db.Where("ticket_ref = ?", d.ID).Order("id").Find(&d.Events).Error; err != nil {
		return nil, err
	}
	var users []models.User
	if err := db.Where("merchant_id = ?", actor.MerchantID).Where(models.NotPendingUser).Order("id").Find(&users).Error; err != nil {
		return nil, err
	}
	d.Names = map[int64]string{}
	for _, u := range users {
		d.Names[u.ID] = u.DisplayName()
		if !u.Disabled && u.Role.Can(models.PermTickets) {
			d.Staff = append(d.Staff, u)
		}
	}
	d.Actions = models.TicketActionsFor(d.State, false)
	return d, nil
}

// BuyerDetail is the buyer's own ticket with its public conversation only.
func (s *Service) BuyerDetail(ctx context.Context, actor models.Actor, id int64) (*Detail, error) {
	db := s.db.WithContext(ctx)
	cust, err := s.buyerCustomer(db, actor)
	if err != nil {
		return nil, err
	}
	d, err := s.detail(ctx, rowQuery(db).Where("t.id = ? AND t.buyer_ref = (SELECT id FROM buyers WHERE customer_id = ?)", id, cust), true)
	if err != nil {
		return nil, err
	}
	d.AssigneeName = ""
	d.Actions = models.TicketActionsFor(d.State, true)
	return d, nil
}

func (s *Service) detail(ctx context.Context, q *gorm.DB, public bool) (*Detail, error) {
	var rows []Row
	if err := q.Limit(1).Scan(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, models.ErrNotFound
	}
	now := s.now()
	d := &Detail{Row: rows[0], Now: now}
	cal, err := s.calendar(ctx, d.MerchantID)
	if err != nil {
		return nil, err
	}
	d.Clock = ClockOf(&d.Ticket, cal, now)
	db := s.db.WithContext(ctx)
	mq := db.Where("ticket_ref = ?", d.ID)
	if public {
		mq = mq.Where("kind <> ?", models.TicketMsgNote)
	}
	var msgs []models.TicketMessage
	if err := mq.Order("id").Find(&msgs).Error; err != nil {
		return nil, err
	}
	var files []models.TicketAttachment
	if err := db.Where("ticket_ref = ?", d.ID).Order("id").Find(&files).Error; err != nil {
		return nil, err
	}
	byMsg := map[int64][]models.TicketAttachment{}
	for _, f := range files {
		byMsg[f.MessageRef] = append(byMsg[f.MessageRef], f)
	}
	for _, m := range msgs {
		d.Messages = append(d.Messages, Message{TicketMessage: m, Files: byMsg[m.ID]})
	}
	return d, nil
}

// ParseAction reads an action name from a form.
func ParseAction(s string) (models.TicketAction, bool) {
	s = strings.TrimSpace(s)
	for _, a := range models.TicketActions {
		if string(a) == s {
			return a, true
		}
	}
	return "", false
}

// fetch reads a page query that asks for limit+1 rows: the extra one only
// says whether there is a next page.
func fetch(q *gorm.DB, limit int) (Page, error) {
	var rows []Row
	if err := q.Scan(&rows).Error; err != nil {
		return Page{}, err
	}
	return Page{Page: models.PageBefore(rows, limit, func(r Row) int64 { return r.ID })}, nil
}
