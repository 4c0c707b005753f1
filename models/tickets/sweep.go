package tickets

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/notify"
)

// SweepResult counts what one sweep fired.
type SweepResult struct{ Warned, Breached int }

// sweepBatch bounds one transaction of the sweep.
const sweepBatch = 200

// DueQuery is the sweep's one indexed query (tickets_alert): the tickets
// whose next alert is due, oldest first. Exported for the benchmark's
// EXPLAIN QUERY PLAN.
const DueQuery = `SELECT id FROM tickets WHERE next_alert_at IS NOT NULL AND next_alert_at <= ? ORDER BY next_alert_at LIMIT ?`

// DueIDs runs DueQuery.
func (s *Service) DueIDs(ctx context.Context, now time.Time, limit int) ([]int64, error) {
	var ids []int64
	err := s.db.WithContext(ctx).Raw(DueQuery, now.UTC(), limit).Scan(&ids).Error
	return ids, err
}

// Sweep fires every warning (80 %) and breach (100 %) that is due: each
// exactly once, marked in the same transaction as its notifications, so a
// repeated or concurrent sweep finds nothing left to fire.
func (s *Service) Sweep(ctx context.Context) (SweepResult, error) {
	var res SweepResult
	now := s.now()
	for {
		ids, err := s.DueIDs(ctx, now, sweepBatch)
		if err != nil || len(ids) == 0 {
			return res, err
		}
		var batch SweepResult
		err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			for _, id := range ids {
				w, b, err := s.fire(tx, id, now)
				if err != nil {
					return err
				}
				batch.Warned += w
				batch.Breached += b
			}
			return nil
		})
		if err != nil {
			return res, err
		}
		res.Warned += batch.Warned
		res.Breached += batch.Breached
		if len(ids) < sweepBatch {
			return res, nil
		}
	}
}

// fire fires what is due on one ticket, re-read inside the transaction.
func (s *Service) fire(tx *gorm.DB, id int64, now time.Time) (warned, breached int, err error) {
	var t models.Ticket
	if err := tx.Take(&t, id).Error; err != nil {
		return 0, 0, err
	}
	if t.NextAlertAt == nil || t.NextAlertAt.After(now) {
		return 0, 0, nil
	}
	// A stopped clock fires nothing, but its alert is still cleared below:
	// left due, the row would come back in every batch of every sweep.
	live := running(&t)
	isDue := func(at *time.Time) bool { return at != nil && !at.After(now) }
	var evs []models.TicketEvent
	breach := live && t.BreachedAt == nil && isDue(t.DueAt)
	if live && t.WarnedAt == nil && isDue(t.WarnAt) {
		t.WarnedAt = &now
		evs = append(evs, models.TicketEvent{At: now, Kind: models.TicketEvWarned, ActorKind: models.TicketBySystem})
		// A warning overtaken by its breach (the sweep was down, or the
		// ticket arrived late) is marked but not sent: the breach says more.
		if !breach {
			warned = 1
			if err := s.alert(tx, &t, now, models.M("tickets.notify.warning", "Ticket", t.TicketID, "Title", t.Title,
				"Minutes", int(s.WarnLeft()/time.Minute))); err != nil {
				return 0, 0, err
			}
		}
	}
	if breach {
		t.BreachedAt = &now
		breached = 1
		evs = append(evs, models.TicketEvent{At: now, Kind: models.TicketEvBreached, ActorKind: models.TicketBySystem})
		if err := s.alert(tx, &t, now, models.M("tickets.notify.breached", "Ticket", t.TicketID, "Title", t.Title,
			"Minutes", int(s.cfg.FirstResponse/time.Minute))); err != nil {
			return 0, 0, err
		}
	}
	t.NextAlertAt = nextAlert(&t)
	if len(evs) > 0 {
		if err := writeEvents(tx, &t, evs...); err != nil {
			return 0, 0, err
		}
	}
	err = tx.Model(&t).Select("warned_at", "breached_at", "next_alert_at").Updates(&t).Error
	return warned, breached, err
}

// alert notifies the merchant in-app (运维提醒, 501) and queues an SMS to
// whoever answers the ticket: its assignee, else the merchant's owners.
func (s *Service) alert(tx *gorm.DB, t *models.Ticket, now time.Time, m models.Msg) error {
	var to []int64
	if t.AssigneeID != nil {
		if err := tx.Model(&models.User{}).Where("id = ? AND NOT disabled", *t.AssigneeID).Pluck("id", &to).Error; err != nil {
			return err
		}
	}
	if len(to) == 0 {
		if err := tx.Model(&models.User{}).Where("merchant_id = ? AND role = ? AND NOT disabled", t.MerchantID, models.RoleOwner).
			Order("id").Pluck("id", &to).Error; err != nil {
			return err
		}
	}
	return notify.WriteWithChannel(tx, now, t.MerchantID, models.NotifyOps, m, fmt.Sprintf("/tickets/%d", t.ID),
		models.ChannelSMS, to)
}
