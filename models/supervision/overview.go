package supervision

import (
	"context"
	"fmt"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/overview"
)

// The board's scopes repeat the partial indexes' predicates literally
// (supervision_flows_merchant_turn, _merchant_late): a merchant's count is
// then one index range, however many flows it has.
const (
	merchantTurn = "node IN ('confirm', 'delivery') AND appeal <> 'open'"
	lateOpen     = "sla_overdue_at IS NOT NULL AND node NOT IN ('done', 'closed')"
)

// Board keys (todo.<key>) and their pages.
const (
	TodoMerchantTurn = "sup_merchant_turn"
	TodoOverdue      = "sup_overdue"
	TodoAppeals      = "sup_open_appeals"
	clockArea        = "supervision_appeal"
	boardClocks      = 20
)

func (s *Service) merchantCount(ctx context.Context, actor models.Actor, where string) (int64, error) {
	if actor.MerchantID == 0 || !actor.Can(models.PermSupervision) {
		return 0, nil
	}
	var n int64
	err := s.db.WithContext(ctx).Model(&models.SupFlow{}).Where("merchant_id = ?", actor.MerchantID).
		Where(where).Count(&n).Error
	return n, err
}

// MerchantTurnCount is the merchant's flows waiting on it (需求待确认,
// 服务实施中) and not frozen by an appeal: the board's counter, leading to
// the list filtered with Filter.MerchantTurn.
func (s *Service) MerchantTurnCount(ctx context.Context, actor models.Actor) (int64, error) {
	return s.merchantCount(ctx, actor, merchantTurn)
}

// OverdueCount is the merchant's open flows flagged past their delivery SLA.
func (s *Service) OverdueCount(ctx context.Context, actor models.Actor) (int64, error) {
	return s.merchantCount(ctx, actor, lateOpen)
}

// OpenAppealsCount is the appeals awaiting a ruling, for operations.
func (s *Service) OpenAppealsCount(ctx context.Context, actor models.Actor) (int64, error) {
	if !actor.IsPlatform() || !actor.Can(models.PermAdminAppeals) {
		return 0, nil
	}
	var n int64
	err := s.db.WithContext(ctx).Model(&models.SupAppealRow{}).Where("state = 'open'").Count(&n).Error
	return n, err
}

// OverviewCounters are the board's supervision counters, in display order,
// each shown to whoever holds its permission.
func (s *Service) OverviewCounters() []overview.Counter {
	return []overview.Counter{
		{Key: TodoMerchantTurn, Link: models.LinkFiltered(models.ScreenSupervision, "turn", "merchant"), Perm: models.PermSupervision, Count: s.MerchantTurnCount},
		{Key: TodoOverdue, Link: models.LinkFiltered(models.ScreenSupervision, "overdue", "1"), Perm: models.PermSupervision, Count: s.OverdueCount},
		{Key: TodoAppeals, Link: models.Link{To: models.ScreenAppeals}, Perm: models.PermAdminAppeals, Count: s.OpenAppealsCount},
	}
}

// OverviewClocks are the open appeals' ruling clocks for operations, the
// soonest deadline first: warning from 80 % of the 3 working days, breached
// once overdue; Left is working time, ticking on working days only.
func (s *Service) OverviewClocks(ctx context.Context, actor models.Actor) ([]overview.Clock, error) {
	if !actor.IsPlatform() || !actor.Can(models.PermAdminAppeals) {
		return nil, nil
	}
	hs, err := s.holidaySet(ctx)
	if err != nil {
		return nil, err
	}
	var as []struct {
		models.SupAppealRow
		OrderCode string `gorm:"column:order_code"`
	}
	if err := s.db.WithContext(ctx).Table("supervision_appeals AS a").Select("a.*, l.order_code").
		Joins("JOIN supervision_flows f ON f.id = a.flow_ref").Joins("JOIN order_lines l ON l.id = f.line_ref").
		Where("a.state = 'open'").Order("a.due_at, a.id").Limit(boardClocks).Scan(&as).Error; err != nil {
		return nil, err
	}
	now, cal := s.now(), workingDays(hs)
	out := make([]overview.Clock, 0, len(as))
	for _, a := range as {
		status := models.ClockRunning
		switch {
		case !now.Before(a.DueAt):
			status = models.ClockBreached
		case !now.Before(a.WarnAt):
			status = models.ClockWarning
		}
		out = append(out, overview.Clock{Area: clockArea, Ref: fmt.Sprintf("SA-%d", a.ID), Title: a.OrderCode,
			Link: models.LinkTo(models.ScreenAppeal, a.ID), Status: status, DueAt: a.DueAt,
			Left: BusinessLeft(now, a.DueAt, hs), Ticking: cal.IsOpen(now), WarnLeft: cal.Elapsed(a.WarnAt, a.DueAt)})
	}
	return out, nil
}
