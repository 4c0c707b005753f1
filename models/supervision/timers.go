package supervision

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/jobs"
	"github.com/sellercenter/sellercenter/models/notify"
)

// Fire does what a timer asks, once: each effect is marked in the same
// transaction (its column cleared or moved on), so a repeated or late job,
// or the sweep after it, does nothing. Before its instant by the clock it
// does nothing and returns how long to wait.
func (s *Service) Fire(ctx context.Context, id int64, kind string) (wait time.Duration, err error) {
	now := s.now()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		switch kind {
		case TimerAppealWarn, TimerAppealDue:
			w, err := s.fireAppeal(tx, id, kind, now)
			wait = w
			return err
		case TimerSummaryFlow0:
			w, err := s.fireSummary(tx, now)
			wait = w
			return err
		case TimerSLA, TimerAccept, TimerWarn, TimerOldRule:
		default:
			return fmt.Errorf("supervision: unknown timer %q", kind)
		}
		f, err := loadFlow(tx, id, nil)
		if errors.Is(err, models.ErrNotFound) {
			return nil // nothing to do for a flow that is gone
		}
		if err != nil {
			return err
		}
		var due *time.Time
		for _, t := range timersOfFlow(f) {
			if t.kind == kind {
				due = *t.due
			}
		}
		if due == nil { // paused, stopped or fired
			return nil
		}
		if now.Before(*due) {
			wait = due.Sub(now)
			return nil
		}
		return s.fireFlow(tx, f, kind, *due, now)
	})
	return wait, err
}

func (s *Service) fireFlow(tx *gorm.DB, f *models.SupFlow, kind string, due, now time.Time) error {
	sys := who{party: models.SupPartySystem, actor: system}
	code, err := s.orderCode(tx, f)
	if err != nil {
		return err
	}
	switch kind {
	case TimerSLA:
		f.SLAOverdueAt, f.SLADueAt, f.SLALeftS, f.UpdatedAt = &now, nil, nil, now
		if err := save(tx, f, f.Node, f.Appeal); err != nil {
			return err
		}
		if _, err := s.event(tx, f, sys, models.SupEvSLAOverdue, f.Node, f.Node, "", map[string]any{"due_at": due,
			"sla_days": f.SLADays}, now); err != nil {
			return err
		}
		return notify.Write(tx, now, f.MerchantID, models.NotifyOps, models.M("supervision.notify.sla_overdue",
			"Order", code, "Days", f.SLADays), link(f.ID))
	case TimerAccept:
		_, err := s.apply(tx, f, sys, step{action: models.SupAutoAccept, kind: models.SupEvAutoAccepted}, now)
		return err
	case TimerWarn:
		pol, err := policy(tx)
		if err != nil {
			return err
		}
		next := due.Add(days(pol.WarnEveryDays))
		if !next.After(now) {
			next = now.Add(days(pol.WarnEveryDays))
		}
		f.WarnDueAt, f.UpdatedAt = &next, now
		f.WarnedCount++
		if err := save(tx, f, f.Node, f.Appeal); err != nil {
			return err
		}
		age := int(now.Sub(f.StartedAt) / (24 * time.Hour))
		if _, err := s.event(tx, f, sys, models.SupEvLongRunning, f.Node, f.Node, "", map[string]any{"days": age,
			"n": f.WarnedCount}, now); err != nil {
			return err
		}
		if err := notify.Write(tx, now, f.MerchantID, models.NotifyOps, models.M("supervision.notify.long_running",
			"Order", code, "Days", age), link(f.ID)); err != nil {
			return err
		}
		return s.ScheduleTx(tx, []Timer{{ID: f.ID, Kind: TimerWarn, At: next}})
	default:
		return s.fireOldRule(tx, f, code, now)
	}
}

// fireOldRule is the old 365-day rule, only while operations has it on:
// an invoiced line is accepted, any other unsubscribed (自动退订), and the
// merchant told (101).
func (s *Service) fireOldRule(tx *gorm.DB, f *models.SupFlow, code string, now time.Time) error {
	pol, err := policy(tx)
	if err != nil || !pol.OldRuleEnabled {
		return err
	}
	inv, err := s.invoiced.Invoiced(tx.Statement.Context, []int64{f.LineRef})
	if err != nil {
		return err
	}
	sys := who{party: models.SupPartySystem, actor: system}
	st := step{action: models.SupUnsubscribe, kind: models.SupEvOldRule, detail: map[string]any{"invoiced": false}}
	msg := "supervision.notify.old_rule_unsubscribed"
	if inv[f.LineRef] {
		st = step{action: models.SupForceAccept, kind: models.SupEvOldRule, detail: map[string]any{"invoiced": true}}
		msg = "supervision.notify.old_rule_accepted"
	}
	if _, err := s.apply(tx, f, sys, st, now); err != nil {
		return err
	}
	return notify.Write(tx, now, f.MerchantID, models.NotifyProvisioning, models.M(msg, "Order", code), link(f.ID))
}

// fireAppeal marks the 80 % warning or the overdue escalation of an open
// appeal: the operations board shows them from these columns.
func (s *Service) fireAppeal(tx *gorm.DB, id int64, kind string, now time.Time) (time.Duration, error) {
	var a models.SupAppealRow
	if err := tx.Take(&a, id).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return 0, nil
		}
		return 0, err
	}
	if a.State != models.SupAppealOpen {
		return 0, nil
	}
	at, col, mark, ev := a.WarnAt, "warned_at", a.WarnedAt, models.SupEvAppealWarned
	if kind == TimerAppealDue {
		at, col, mark, ev = a.DueAt, "escalated_at", a.EscalatedAt, models.SupEvAppealOverdue
	}
	if mark != nil {
		return 0, nil
	}
	if now.Before(at) {
		return at.Sub(now), nil
	}
	res := tx.Model(&models.SupAppealRow{}).Where("id = ? AND state = ? AND "+col+" IS NULL", a.ID, models.SupAppealOpen).
		Update(col, now)
	if res.Error != nil || res.RowsAffected == 0 {
		return 0, res.Error
	}
	f, err := loadFlow(tx, a.FlowRef, nil)
	if err != nil {
		return 0, err
	}
	_, err = s.event(tx, f, who{party: models.SupPartySystem, actor: system}, ev, f.Node, f.Node, "",
		map[string]any{"appeal": a.ID, "due_at": a.DueAt}, now)
	return 0, err
}

// fireSummary sends each merchant with unfinished flows the weekly count
// (通知ISV未完成服务监管的订单总数, 901), once per week: the next instant is
// stored on the policy row in the same transaction.
func (s *Service) fireSummary(tx *gorm.DB, now time.Time) (time.Duration, error) {
	pol, err := policy(tx)
	if err != nil {
		return 0, err
	}
	if pol.SummaryDueAt != nil && now.Before(*pol.SummaryDueAt) {
		return pol.SummaryDueAt.Sub(now), nil
	}
	next := now.Add(days(7))
	if pol.SummaryDueAt != nil && pol.SummaryDueAt.Add(days(7)).After(now) {
		next = pol.SummaryDueAt.Add(days(7))
	}
	res := tx.Model(&models.SupPolicy{}).Where("id = 1 AND (summary_due_at IS NULL OR summary_due_at <= ?)", now).
		Update("summary_due_at", next)
	if res.Error != nil || res.RowsAffected == 0 {
		return 0, res.Error
	}
	var counts []struct {
		MerchantID int64
		N          int64
	}
	if err := tx.Raw(`SELECT merchant_id, count(*) AS n FROM supervision_flows WHERE node NOT IN ('done', 'closed')
		GROUP BY merchant_id`).Scan(&counts).Error; err != nil {
		return 0, err
	}
	for _, c := range counts {
		if err := notify.Write(tx, now, c.MerchantID, models.NotifyOther, models.M("supervision.notify.summary",
			"Count", c.N), "/supervision"); err != nil {
			return 0, err
		}
	}
	return 0, nil
}

// dueQueries find what has come due. The old rule's batch is read once:
// rows it leaves due (a frozen flow) must not be read again and again.
var dueQueries = jobs.DueQueries{
	{Kind: TimerSLA, Table: "supervision_flows", Where: "sla_due_at IS NOT NULL AND sla_due_at <= ?", Order: "sla_due_at",
		Index: "supervision_flows_sla_due"},
	{Kind: TimerAccept, Table: "supervision_flows", Where: "accept_due_at IS NOT NULL AND accept_due_at <= ?",
		Order: "accept_due_at", Index: "supervision_flows_accept_due"},
	{Kind: TimerWarn, Table: "supervision_flows", Where: "warn_due_at IS NOT NULL AND warn_due_at <= ?",
		Order: "warn_due_at", Index: "supervision_flows_warn_due"},
	{Kind: TimerOldRule, Table: "supervision_flows", Where: "old_rule_due_at IS NOT NULL AND old_rule_due_at <= ?",
		Order: "old_rule_due_at", Index: "supervision_flows_old_rule_due", Once: true},
	{Kind: TimerAppealWarn, Table: "supervision_appeals", Where: "state = 'open' AND warned_at IS NULL AND warn_at <= ?",
		Order: "warn_at", Index: "supervision_appeals_warn"},
	{Kind: TimerAppealDue, Table: "supervision_appeals", Where: "state = 'open' AND escalated_at IS NULL AND due_at <= ?",
		Order: "due_at", Index: "supervision_appeals_overdue"},
}

// DueIDs returns up to limit flows (appeals, for appeal timers) whose timer
// of kind is due at now.
func (s *Service) DueIDs(ctx context.Context, kind string, now time.Time, limit int) ([]int64, error) {
	return dueQueries.IDs(s.db.WithContext(ctx), kind, now, limit)
}

// Sweep fires every timer that is due and the weekly summary when its week
// is over. The old rule's column is read only while the policy is on. It
// returns how many timers fired.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	pol, err := policy(s.db.WithContext(ctx))
	if err != nil {
		return 0, err
	}
	n, err := dueQueries.Sweep(ctx, s.db, s.now, func(kind string) bool {
		return kind != TimerOldRule || pol.OldRuleEnabled
	}, s.Fire)
	if err != nil {
		return n, err
	}
	_, err = s.Fire(ctx, 0, TimerSummaryFlow0)
	return n, err
}

// RescheduleOpen schedules the timers of every flow and open appeal (after
// the demo history was seeded without a job runner). Timers are
// idempotent, so a timer scheduled twice still fires once.
func (s *Service) RescheduleOpen(ctx context.Context) (int, error) {
	var fs []models.SupFlow
	if err := s.db.WithContext(ctx).Where("node NOT IN ('done', 'closed')").Find(&fs).Error; err != nil {
		return 0, err
	}
	var as []models.SupAppealRow
	if err := s.db.WithContext(ctx).Where("state = 'open'").Find(&as).Error; err != nil {
		return 0, err
	}
	var ts []Timer
	for i := range fs {
		ts = append(ts, flowTimers(&fs[i])...)
	}
	for _, a := range as {
		ts = append(ts, Timer{ID: a.ID, Kind: TimerAppealWarn, At: a.WarnAt}, Timer{ID: a.ID, Kind: TimerAppealDue, At: a.DueAt})
	}
	if len(ts) == 0 {
		return 0, nil
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return s.ScheduleTx(tx, ts) })
	return len(fs), err
}
