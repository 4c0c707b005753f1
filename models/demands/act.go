package demands

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
)

// step is what one merchant action writes once the demand was found in the
// merchant's scope and the transition table and the deadline allowed it.
type step func(tx *gorm.DB, d *models.Demand, to models.DemandState, now time.Time) error

// act runs one merchant action in a transaction: another merchant's demand
// is not found; a state the table refuses, or an answer after the deadline
// (even before the closing job has run), is a conflict; a step's validation
// error rolls everything back.
func (s *Service) act(ctx context.Context, actor models.Actor, id int64, a models.DemandAction, fn step) error {
	mid, err := merchantOnly(actor)
	if err != nil {
		return err
	}
	now := s.now()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var d models.Demand
		if err := tx.Where("id = ? AND merchant_id = ?", id, mid).Take(&d).Error; err != nil {
			return notFound(err)
		}
		to, err := models.DemandTransition(d.State, a)
		if err != nil {
			if d.State == models.DemandClosed && d.CloseReason == models.DemandClosedTimeout {
				return conflict(models.M("demands.err.expired"))
			}
			return conflict(models.M("demands.err.state." + string(d.State)))
		}
		if d.Open() && d.Expired(now) {
			return conflict(models.M("demands.err.expired"))
		}
		return fn(tx, &d, to, now)
	})
}

// move updates the demand from the state it was read in; a concurrent
// change in between is a conflict, not a lost update.
func move(tx *gorm.DB, d *models.Demand, set map[string]any) error {
	res := tx.Model(&models.Demand{}).Where("id = ? AND state = ?", d.ID, d.State).Updates(set)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return conflict(models.M("demands.err.changed"))
	}
	return nil
}

func decided(actor models.Actor, to models.DemandState, now time.Time) map[string]any {
	set := map[string]any{"state": to, "decided_at": now, "decided_by": actor.Email, "updated_at": now}
	if actor.UserID != 0 {
		set["decided_by_user_id"] = actor.UserID
	}
	return set
}

func (s *Service) auditDemand(tx *gorm.DB, now time.Time, actor models.Actor, action string, d *models.Demand, detail map[string]any) error {
	return audit.Write(tx, now, actor, audit.Event{Action: action, MerchantID: d.MerchantID, TargetType: "demand",
		TargetID: d.ID, Detail: detail})
}

// Accept is 接收.
func (s *Service) Accept(ctx context.Context, actor models.Actor, id int64) error {
	return s.act(ctx, actor, id, models.DemandAccept, func(tx *gorm.DB, d *models.Demand, to models.DemandState, now time.Time) error {
		if err := move(tx, d, decided(actor, to, now)); err != nil {
			return err
		}
		if err := event(tx, d.ID, now, actor, models.DemandEvAccepted, nil); err != nil {
			return err
		}
		return s.auditDemand(tx, now, actor, models.AuditDemandAccepted, d, map[string]any{"title": d.Title})
	})
}

// Reject is 拒绝; the reason is required (5–500 characters). It cannot be
// undone, so an unconfirmed rejection that would succeed changes nothing
// and is a NeedsConfirmError.
func (s *Service) Reject(ctx context.Context, actor models.Actor, id int64, reason string, confirmed bool) error {
	reason = strings.TrimSpace(reason)
	return s.act(ctx, actor, id, models.DemandReject, func(tx *gorm.DB, d *models.Demand, to models.DemandState, now time.Time) error {
		v := &models.ValidationError{}
		switch n := utf8.RuneCountInString(reason); {
		case reason == "":
			v.Add("reason", models.M("demands.err.reason_required"))
		case n < models.DemandReasonMin || n > models.DemandReasonMax:
			v.Add("reason", models.M("demands.err.reason_length", "Min", models.DemandReasonMin, "Max", models.DemandReasonMax))
		default:
			v.Text("reason", reason, models.DemandReasonMax, true, true)
		}
		if v.Err() != nil {
			return v
		}
		if !confirmed {
			return &models.NeedsConfirmError{Question: models.M("demands.reject_confirm")}
		}
		set := decided(actor, to, now)
		set["reject_reason"] = reason
		if err := move(tx, d, set); err != nil {
			return err
		}
		if err := event(tx, d.ID, now, actor, models.DemandEvRejected, map[string]any{"reason": reason}); err != nil {
			return err
		}
		return s.auditDemand(tx, now, actor, models.AuditDemandRejected, d, map[string]any{"title": d.Title, "reason": reason})
	})
}

// Close is 关闭 of an accepted demand by the merchant.
func (s *Service) Close(ctx context.Context, actor models.Actor, id int64) error {
	return s.act(ctx, actor, id, models.DemandClose, func(tx *gorm.DB, d *models.Demand, to models.DemandState, now time.Time) error {
		if err := move(tx, d, map[string]any{"state": to, "close_reason": models.DemandClosedMerchant,
			"closed_at": now, "updated_at": now}); err != nil {
			return err
		}
		if err := event(tx, d.ID, now, actor, models.DemandEvClosed, nil); err != nil {
			return err
		}
		return s.auditDemand(tx, now, actor, models.AuditDemandClosed, d, map[string]any{"title": d.Title,
			"reason": models.DemandClosedMerchant})
	})
}

// AddNote adds a follow-up note (跟进记录) to an accepted demand.
func (s *Service) AddNote(ctx context.Context, actor models.Actor, id int64, body string) error {
	body = strings.TrimSpace(body)
	return s.act(ctx, actor, id, models.DemandAddNote, func(tx *gorm.DB, d *models.Demand, _ models.DemandState, now time.Time) error {
		v := &models.ValidationError{}
		v.Text("note", body, models.DemandNoteMax, true, true)
		if v.Err() != nil {
			return v
		}
		n := models.DemandNote{DemandID: d.ID, UserID: actor.UserID, Author: actor.Email, Body: body, CreatedAt: now}
		if err := tx.Create(&n).Error; err != nil {
			return err
		}
		if err := tx.Model(&models.Demand{}).Where("id = ?", d.ID).Update("updated_at", now).Error; err != nil {
			return err
		}
		if err := event(tx, d.ID, now, actor, models.DemandEvNoted, map[string]any{"note_id": n.ID}); err != nil {
			return err
		}
		return s.auditDemand(tx, now, actor, models.AuditDemandNoted, d, map[string]any{"note_id": n.ID})
	})
}

// LinkOrder links one of the merchant's orders (by its order number) to an
// accepted demand (转订单), replacing an earlier link. Another merchant's
// order number is refused exactly like one that does not exist.
func (s *Service) LinkOrder(ctx context.Context, actor models.Actor, id int64, orderCode string) error {
	orderCode = strings.TrimSpace(orderCode)
	return s.act(ctx, actor, id, models.DemandLinkOrder, func(tx *gorm.DB, d *models.Demand, _ models.DemandState, now time.Time) error {
		v := &models.ValidationError{}
		v.Text("order", orderCode, models.DemandOrderCodeMax, true, false)
		if v.Err() != nil {
			return v
		}
		var o models.Order
		err := tx.Select("id", "order_id").Where("order_id = ? AND merchant_id = ?", orderCode, d.MerchantID).Take(&o).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			v.Add("order", models.M("demands.err.order_unknown"))
			return v
		}
		if err != nil {
			return err
		}
		if d.OrderRef != nil && *d.OrderRef == o.ID {
			return nil
		}
		if err := move(tx, d, map[string]any{"order_ref": o.ID, "linked_at": now, "updated_at": now}); err != nil {
			return err
		}
		detail := map[string]any{"order": o.OrderID}
		if d.OrderRef != nil {
			detail["replaced_order_ref"] = *d.OrderRef
		}
		if err := event(tx, d.ID, now, actor, models.DemandEvLinked, detail); err != nil {
			return err
		}
		return s.auditDemand(tx, now, actor, models.AuditDemandLinked, d, detail)
	})
}
