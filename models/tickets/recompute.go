package tickets

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
)

// Recompute plans every running first-response clock of a merchant again on
// cal, its new reception calendar (nil: it no longer receives tickets, so
// the clocks have no deadline until it does again). It runs inside the
// caller's transaction — the one saving the reception hours — so hours and
// deadlines change together. Fired warnings and breaches stay fired.
func (s *Service) Recompute(tx *gorm.DB, merchantID int64, cal *bizclock.Calendar) (int, error) {
	now := s.now()
	n := 0
	var lastID int64
	for {
		var ts []models.Ticket
		if err := tx.Scopes(unanswered("")).Where("merchant_id = ? AND id > ?", merchantID, lastID).
			Order("id").Limit(500).Find(&ts).Error; err != nil {
			return n, err
		}
		if len(ts) == 0 {
			return n, nil
		}
		byTicket, err := statesOf(tx, ts)
		if err != nil {
			return n, err
		}
		for i := range ts {
			t := &ts[i]
			lastID = t.ID
			warn, due, next := t.WarnAt, t.DueAt, t.NextAlertAt
			s.plan(t, cal, pausesOf(byTicket[roundKey{t.ID, t.Round}]))
			if sameTime(warn, t.WarnAt) && sameTime(due, t.DueAt) && sameTime(next, t.NextAlertAt) {
				continue
			}
			t.UpdatedAt = now
			if err := tx.Model(t).Select("warn_at", "due_at", "next_alert_at", "updated_at").Updates(t).Error; err != nil {
				return n, err
			}
			if err := writeEvents(tx, t, models.TicketEvent{At: now, Kind: models.TicketEvRecomputed,
				ActorKind: models.TicketBySystem}); err != nil {
				return n, err
			}
			n++
		}
	}
}

// statesOf loads the state events of the tickets' current rounds.
func statesOf(tx *gorm.DB, ts []models.Ticket) (map[roundKey][]models.TicketEvent, error) {
	ids := make([]int64, len(ts))
	for i, t := range ts {
		ids[i] = t.ID
	}
	var evs []models.TicketEvent
	if err := tx.Where("ticket_ref IN ? AND kind = ?", ids, models.TicketEvState).Order("id").Find(&evs).Error; err != nil {
		return nil, err
	}
	out := map[roundKey][]models.TicketEvent{}
	for _, e := range evs {
		k := roundKey{e.TicketRef, e.Round}
		out[k] = append(out[k], e)
	}
	return out, nil
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

// CalendarsTx reads a merchant's reception calendar as a transaction sees it
// (models/calendars), for hooks that run inside the transaction changing it.
type CalendarsTx interface {
	ForMerchantTx(ctx context.Context, tx *gorm.DB, merchantID int64) (*bizclock.Calendar, bool, error)
}

// ReceptionHook is registered with calendars' OnReceptionChange: saving a
// merchant's reception hours recomputes its open deadlines in the same
// transaction.
func (s *Service) ReceptionHook(cals CalendarsTx) func(ctx context.Context, tx *gorm.DB, merchantID int64) error {
	return func(ctx context.Context, tx *gorm.DB, merchantID int64) error {
		cal, ok, err := cals.ForMerchantTx(ctx, tx, merchantID)
		if err != nil {
			return err
		}
		if !ok {
			cal = nil
		}
		_, err = s.Recompute(tx, merchantID, cal)
		return err
	}
}

// HolidaysHook is registered with calendars' OnHolidaysChange: an edited
// holiday calendar recomputes the open deadlines of every merchant with a
// running clock (those not following the holidays come out unchanged).
func (s *Service) HolidaysHook(cals CalendarsTx) func(ctx context.Context, tx *gorm.DB) error {
	recompute := s.ReceptionHook(cals)
	return func(ctx context.Context, tx *gorm.DB) error {
		var ids []int64
		if err := tx.Model(&models.Ticket{}).Distinct("merchant_id").Scopes(unanswered("")).
			Pluck("merchant_id", &ids).Error; err != nil {
			return err
		}
		for _, id := range ids {
			if err := recompute(ctx, tx, id); err != nil {
				return err
			}
		}
		return nil
	}
}
