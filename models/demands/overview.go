package demands

import (
	"context"
	"fmt"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/overview"
)

// boardClocks bounds the demands one merchant's board lists.
const boardClocks = 20

// OverviewClocks lists the merchant's pending demands in their last day as
// live clocks on the to-do board (待办事项), soonest deadline first; the
// counter covers the others. The last day starts at the 1-day reminder, as
// on the list (Demand.Urgency): in a working-day window it may be longer
// than 24 hours.
func (s *Service) OverviewClocks(ctx context.Context, actor models.Actor) ([]overview.Clock, error) {
	mid, err := merchantOnly(actor)
	if err != nil {
		return nil, nil
	}
	now := s.now()
	var ds []models.Demand
	if err := s.db.WithContext(ctx).Where("merchant_id = ? AND state = ? AND due_at > ? AND remind1_at <= ?",
		mid, models.DemandPending, now, now).Order("due_at, id").Limit(boardClocks).Find(&ds).Error; err != nil {
		return nil, err
	}
	out := make([]overview.Clock, 0, len(ds))
	for _, d := range ds {
		out = append(out, overview.Clock{Area: "demands", Ref: fmt.Sprintf("DM-%d", d.ID), Title: d.Title,
			Link: models.LinkTo(models.ScreenDemand, d.ID), Status: models.ClockWarning, DueAt: d.DueAt, Left: d.DueAt.Sub(now), Ticking: true,
			WarnLeft: d.DueAt.Sub(d.Remind1At)})
	}
	return out, nil
}
