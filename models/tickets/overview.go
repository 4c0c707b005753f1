package tickets

import (
	"context"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/overview"
)

// BoardClocks is how many ticket clocks the to-do board shows.
const BoardClocks = 8

// OverviewClocks lists the merchant's running first-response clocks for the
// to-do board (待办事项), earliest deadline first: breached and warning ones
// lead, so what is near breach is always on it.
func (s *Service) OverviewClocks(ctx context.Context, actor models.Actor) ([]overview.Clock, error) {
	if merchantScope(actor) != nil {
		return nil, nil
	}
	cal, err := s.calendar(ctx, actor.MerchantID)
	if err != nil {
		return nil, err
	}
	var ts []models.Ticket
	err = s.db.WithContext(ctx).Scopes(unanswered("")).
		Where("merchant_id = ? AND due_at IS NOT NULL", actor.MerchantID).
		Order("due_at, id").Limit(BoardClocks).Find(&ts).Error
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := make([]overview.Clock, 0, len(ts))
	for i := range ts {
		t := &ts[i]
		c := ClockOf(t, cal, now)
		out = append(out, overview.Clock{Area: "tickets", Ref: t.TicketID, Title: t.Title,
			Link: models.LinkTo(models.ScreenTicket, t.ID), Status: c.Status, DueAt: *c.DueAt, Left: c.Left, Ticking: c.Ticking,
			WarnLeft: s.WarnLeft()})
	}
	return out, nil
}

// OpenCounter counts the merchant's tickets still waiting for a first
// reply (an overview.Counter).
func (s *Service) OpenCounter(ctx context.Context, actor models.Actor) (int64, error) {
	if merchantScope(actor) != nil {
		return 0, nil
	}
	var n int64
	err := s.db.WithContext(ctx).Model(&models.Ticket{}).Scopes(unanswered("")).
		Where("merchant_id = ?", actor.MerchantID).Count(&n).Error
	return n, err
}
