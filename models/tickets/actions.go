package tickets

import (
	"context"
	"errors"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
)

// refused turns a transition the table does not allow into the message the
// person sees: a closed ticket says so; anything else names the state.
func refused(from models.TicketState, a models.TicketAction) error {
	if from.Closed() && a != models.TicketReopen {
		return &models.ConflictError{Msg: models.M("tickets.err.closed")}
	}
	return &models.ConflictError{Msg: models.M("tickets.err.not_allowed")}
}

// change is one action applied to a loaded ticket inside a transaction.
type change struct {
	t      *models.Ticket
	action models.TicketAction
	now    time.Time
	by     string // TicketByStaff or TicketByBuyer
	userID *int64
	cal    *bizclock.Calendar
	from   models.TicketState
	pauses []bizclock.Pause // the round's pauses, as apply planned with them
}

// apply moves the ticket as the table says, records the move, starts a new
// first-response clock where the buyer reopens the conversation, and plans
// the clock again. It does not save the ticket.
func (s *Service) apply(tx *gorm.DB, c *change) error {
	t := c.t
	c.from = t.State
	to, err := models.TicketTransition(t.State, c.action)
	if err != nil {
		return refused(t.State, c.action)
	}
	if to != c.from {
		t.State = to
		if err := writeEvents(tx, t, models.TicketEvent{At: c.now, Kind: models.TicketEvState, FromState: c.from,
			ToState: to, ActorKind: c.by, ActorUserID: c.userID}); err != nil {
			return err
		}
	}
	switch {
	case to.Closed():
		now := c.now
		t.ClosedAt = &now
	case c.action == models.TicketReopen,
		// The buyer answers after the merchant answered: a new question,
		// a new clock. Before any answer the clock just resumes.
		c.action == models.TicketBuyerMessage && c.from == models.TicketAwaiting && t.FirstResponseAt != nil:
		t.ClosedAt = nil
		if err := s.newRound(tx, t, c.now, c.by, c.userID); err != nil {
			return err
		}
	}
	t.UpdatedAt = c.now
	c.pauses, err = s.replan(tx, t, c.cal)
	return err
}

// newRound starts the next first-response clock at now.
func (s *Service) newRound(tx *gorm.DB, t *models.Ticket, now time.Time, by string, userID *int64) error {
	t.Round++
	t.ClockStartAt = now
	t.FirstResponseAt, t.FirstResponseBy, t.FirstResponseS = nil, nil, nil
	t.WarnedAt, t.BreachedAt, t.WarnAt, t.DueAt = nil, nil, nil, nil
	return writeEvents(tx, t, models.TicketEvent{At: now, Kind: models.TicketEvClockStarted, ActorKind: by, ActorUserID: userID})
}

// respond stops the round's clock with the first public reply; it runs
// after apply, whose pauses are the round's.
func (s *Service) respond(tx *gorm.DB, c *change) error {
	t := c.t
	if t.FirstResponseAt != nil || t.State.Closed() {
		return nil
	}
	now := c.now
	late := t.BreachedAt != nil || (t.DueAt != nil && now.After(*t.DueAt))
	var elapsed *int64
	if c.cal != nil {
		e := int64(c.cal.Elapsed(t.ClockStartAt, now, c.pauses...) / time.Second)
		elapsed = &e
	}
	t.FirstResponseAt, t.FirstResponseBy, t.FirstResponseS = &now, c.userID, elapsed
	t.NextAlertAt = nextAlert(t)
	ev := models.TicketEvent{At: now, Kind: models.TicketEvResponded, ActorKind: c.by, ActorUserID: c.userID, Breached: late}
	if elapsed != nil {
		ev.ElapsedSec = *elapsed
	}
	evs := []models.TicketEvent{ev}
	if late && t.BreachedAt == nil {
		// Answered after the deadline before the sweep saw it: the breach is
		// recorded (for the report and the list), nobody is alerted any more.
		t.BreachedAt = &now
		evs = append(evs, models.TicketEvent{At: now, Kind: models.TicketEvBreached, ActorKind: models.TicketBySystem})
	}
	return writeEvents(tx, t, evs...)
}

// withMessage reports whether an action is taken by writing (Reply,
// BuyerWrite) rather than by a bare button (Act, BuyerAct).
func withMessage(a models.TicketAction) bool {
	switch a {
	case models.TicketReply, models.TicketNote, models.TicketBuyerMessage, models.TicketReopen:
		return true
	}
	return false
}

// button reports whether a is one of the buyer's (or the merchant's) bare
// buttons; whether the ticket's state allows it is apply's to say.
func button(a models.TicketAction, buyer bool) bool {
	return slices.Contains(models.TicketActions, a) && models.TicketActionBy(a) == buyer && !withMessage(a)
}

// save writes the ticket's mutable columns.
func save(tx *gorm.DB, t *models.Ticket) error {
	return tx.Model(t).Select("state", "updated_at", "closed_at", "assignee_id", "round", "clock_start_at",
		"warn_at", "due_at", "first_response_at", "first_response_by", "first_response_sec", "warned_at",
		"breached_at", "next_alert_at").Updates(t).Error
}

// Act performs a merchant state action without a message: 开始处理,
// 请客户确认, 继续处理.
func (s *Service) Act(ctx context.Context, actor models.Actor, id int64, a models.TicketAction) error {
	if !button(a, false) {
		return models.FormError(models.M("tickets.err.action"))
	}
	return s.merchantTx(ctx, actor, id, func(tx *gorm.DB, c *change) error {
		c.action = a
		return s.apply(tx, c)
	})
}

// merchantTx loads a ticket of the actor's merchant and its calendar, runs
// fn in one transaction and saves the ticket.
func (s *Service) merchantTx(ctx context.Context, actor models.Actor, id int64, fn func(tx *gorm.DB, c *change) error) error {
	t, err := s.loadForMerchant(s.db.WithContext(ctx), actor, id)
	if err != nil {
		return err
	}
	return s.ticketTx(ctx, actor, t, s.loadForMerchant, models.TicketByStaff, fn)
}

// buyerTx is merchantTx for the buyer's own tickets.
func (s *Service) buyerTx(ctx context.Context, actor models.Actor, id int64, fn func(tx *gorm.DB, c *change) error) error {
	t, err := s.loadForBuyer(s.db.WithContext(ctx), actor, id)
	if err != nil {
		return err
	}
	return s.ticketTx(ctx, actor, t, s.loadForBuyer, models.TicketByBuyer, fn)
}

// ticketTx reads the calendar of read, the ticket as loaded outside the
// transaction (the calendar only needs the merchant, which a ticket never
// changes), then loads the ticket again inside it, so fn sees the ticket as
// the write lock finds it.
func (s *Service) ticketTx(ctx context.Context, actor models.Actor, read *models.Ticket,
	load func(*gorm.DB, models.Actor, int64) (*models.Ticket, error), by string,
	fn func(tx *gorm.DB, c *change) error) error {
	cal, err := s.calendar(ctx, read.MerchantID)
	if err != nil {
		return err
	}
	uid := actor.UserID
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		t, err := load(tx, actor, read.ID)
		if err != nil {
			return err
		}
		c := &change{t: t, now: s.now(), by: by, userID: &uid, cal: cal}
		if err := fn(tx, c); err != nil {
			return err
		}
		return save(tx, t)
	})
}

// Assign hands a ticket to a staff member of the merchant who may handle
// tickets; userID 0 clears the assignee.
func (s *Service) Assign(ctx context.Context, actor models.Actor, id, userID int64) error {
	return s.merchantTx(ctx, actor, id, func(tx *gorm.DB, c *change) error {
		if userID == 0 {
			c.t.AssigneeID = nil
		} else {
			var u models.User
			err := tx.Where("id = ? AND merchant_id = ? AND NOT disabled", userID, actor.MerchantID).Where(models.NotPendingUser).Take(&u).Error
			if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && !u.Role.Can(models.PermTickets)) {
				v := &models.ValidationError{}
				v.Add("assignee", models.M("tickets.err.assignee"))
				return v
			}
			if err != nil {
				return err
			}
			c.t.AssigneeID = &u.ID
		}
		c.t.UpdatedAt = c.now
		return writeEvents(tx, c.t, models.TicketEvent{At: c.now, Kind: models.TicketEvAssigned,
			ActorKind: models.TicketByStaff, ActorUserID: c.userID})
	})
}

// BuyerAct is the buyer's 确认完成 or 撤销.
func (s *Service) BuyerAct(ctx context.Context, actor models.Actor, id int64, a models.TicketAction) error {
	if !button(a, true) {
		return models.FormError(models.M("tickets.err.action"))
	}
	return s.buyerTx(ctx, actor, id, func(tx *gorm.DB, c *change) error {
		c.action = a
		return s.apply(tx, c)
	})
}

// BuyerWrite is the buyer's message; on a done ticket it reopens it
// (重新打开), which starts a new first-response clock.
func (s *Service) BuyerWrite(ctx context.Context, actor models.Actor, id int64, body string, reopen bool) error {
	return s.BuyerReply(ctx, actor, id, BuyerReplyInput{Body: body, Reopen: reopen})
}

// BuyerReplyInput is the buyer's message with optional files (the same
// types and limits as the merchant's replies).
type BuyerReplyInput struct {
	Body   string
	Reopen bool
	Files  []Upload
}

// BuyerReply is BuyerWrite with files: they are stored before the
// transaction and removed again if it fails, so a refused message keeps
// nothing. Files need a message to travel with.
func (s *Service) BuyerReply(ctx context.Context, actor models.Actor, id int64, in BuyerReplyInput) error {
	v := &models.ValidationError{}
	if !in.Reopen || in.Body != "" || len(in.Files) > 0 {
		v.Text("body", in.Body, models.TicketBodyMax, true, true)
	}
	if v.Err() != nil {
		return v
	}
	t, err := s.loadForBuyer(s.db.WithContext(ctx), actor, id)
	if err != nil {
		return err
	}
	action := models.TicketBuyerMessage
	if in.Reopen {
		action = models.TicketReopen
	}
	if _, err := models.TicketTransition(t.State, action); err != nil {
		return refused(t.State, action)
	}
	files, err := s.storeAll(in.Files)
	if err != nil {
		return err
	}
	err = s.ticketTx(ctx, actor, t, s.loadForBuyer, models.TicketByBuyer, func(tx *gorm.DB, c *change) error {
		c.action = action
		if err := s.apply(tx, c); err != nil {
			return err
		}
		if in.Body == "" {
			return nil
		}
		return writeMessage(tx, actor, c, models.TicketMsgBuyer, in.Body, files)
	})
	if err != nil {
		s.removeAll(files)
	}
	return err
}

// BuyerOpen opens a ticket from the buyer pages for a product the buyer
// has ordered.
func (s *Service) BuyerOpen(ctx context.Context, actor models.Actor, productID, title, content string) (int64, error) {
	db := s.db.WithContext(ctx)
	cust, err := s.buyerCustomer(db, actor)
	if err != nil {
		return 0, err
	}
	v := &models.ValidationError{}
	v.Text("title", title, models.TicketTitleMax, true, false)
	v.Text("content", content, models.TicketContentMax, true, true)
	products, err := s.BuyerProducts(ctx, actor)
	if err != nil {
		return 0, err
	}
	var p *BuyerProduct
	for i := range products {
		if products[i].ProductID == productID {
			p = &products[i]
		}
	}
	if p == nil {
		v.Add("product", models.M("tickets.err.product"))
	}
	if v.Err() != nil {
		return 0, v
	}
	cal, err := s.calendar(ctx, p.MerchantID)
	if err != nil {
		return 0, err
	}
	if cal == nil {
		v.Add("product", models.M("tickets.err.not_receiving"))
		return 0, v
	}
	var u models.User
	if err := db.Take(&u, actor.UserID).Error; err != nil {
		return 0, err
	}
	now := s.now()
	t := &models.Ticket{MerchantID: p.MerchantID, ProductRef: p.ID, Title: title,
		Content: content, Source: models.TicketFromBuyer, CreatedAt: now}
	uid := actor.UserID
	err = db.Transaction(func(tx *gorm.DB) error {
		name := u.Name
		var b models.Buyer
		if err := tx.Where("customer_id = ?", cust).Take(&b).Error; err == nil && name == "" {
			name = b.NameMasked
		}
		if name == "" {
			name = u.Email
		}
		if t.TicketID, err = merchantTicketID(tx, p.MerchantID); err != nil {
			return err
		}
		return s.insert(tx, t, cust, name, cal, now, models.TicketByBuyer, &uid)
	})
	return t.ID, err
}

// BuyerProduct is a product a buyer may open a ticket about.
type BuyerProduct struct {
	ID         int64  `gorm:"column:id"`
	MerchantID int64  `gorm:"column:merchant_id"`
	ProductID  string `gorm:"column:product_id"`
	Name       string `gorm:"column:name"`
}

// BuyerProducts lists the products of the buyer's orders.
func (s *Service) BuyerProducts(ctx context.Context, actor models.Actor) ([]BuyerProduct, error) {
	db := s.db.WithContext(ctx)
	cust, err := s.buyerCustomer(db, actor)
	if err != nil || cust == "" {
		return nil, err
	}
	var out []BuyerProduct
	err = db.Raw(`SELECT DISTINCT p.id, p.merchant_id, p.product_id, p.name FROM order_lines l
		JOIN products p ON p.id = l.product_ref
		WHERE l.buyer_ref = (SELECT id FROM buyers WHERE customer_id = ?) ORDER BY p.product_id`, cust).Scan(&out).Error
	return out, err
}
