package provisioning

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
	"github.com/sellercenter/sellercenter/web/koogallery"
)

// Instance events the marketplace reports.
const (
	EventExpire   = "expire"
	EventFreeze   = "freeze"
	EventUnfreeze = "unfreeze"
	EventRelease  = "release"
)

// EventView is the intake API's answer to an instance event.
type EventView struct {
	InstanceID string `json:"instanceId"`
	Event      string `json:"event"`
	Status     string `json:"status"`
	CallID     int64  `json:"callId"`
}

// InstanceEvent queues the call an instance event needs. A repeat while the
// same event is still being delivered returns that delivery.
func (s *Service) InstanceEvent(ctx context.Context, instanceID, event string) (*EventView, error) {
	var activity string
	var p CallParams
	switch event {
	case EventExpire:
		activity, p = models.ActExpireInstance, CallParams{Status: koogallery.StatusFreeze, Event: event}
	case EventFreeze:
		activity, p = models.ActUpdateStatus, CallParams{Status: koogallery.StatusFreeze, Event: event}
	case EventUnfreeze:
		activity, p = models.ActUpdateStatus, CallParams{Status: koogallery.StatusUnfreeze, Event: event}
	case EventRelease:
		activity, p = models.ActReleaseInstance, CallParams{Event: event}
	default:
		v := &models.ValidationError{}
		v.Add("event", models.M("err.enum", "Values", "expire, freeze, unfreeze, release"))
		return nil, v
	}
	if !models.IsID(instanceID) {
		return nil, models.ErrNotFound
	}
	now := s.now()
	var view *EventView
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var insts []models.Instance
		if err := tx.Where("instance_id = ?", instanceID).Limit(2).Find(&insts).Error; err != nil {
			return err
		}
		switch {
		case len(insts) == 0:
			return models.ErrNotFound
		case len(insts) > 1:
			return &models.ConflictError{Msg: models.M("err.instance_ambiguous")}
		case insts[0].Status == models.InstanceReleased:
			return &models.ConflictError{Msg: models.M("err.instance_released")}
		}
		inst := insts[0]
		var open []models.Call
		if err := tx.Where("instance_ref = ? AND activity = ? AND order_line_ref IS NULL AND state IN ?", inst.ID, activity,
			[]models.CallState{models.CallPending, models.CallRetrying}).Find(&open).Error; err != nil {
			return err
		}
		for _, c := range open {
			var cp CallParams
			if jsonUnmarshal(c.Params, &cp) == nil && cp.Event == event {
				view = &EventView{InstanceID: instanceID, Event: event, Status: "accepted", CallID: c.ID}
				return nil
			}
		}
		c := s.newCall(inst.MerchantID, activity, p, now)
		c.InstanceRef = &inst.ID
		if err := s.insertCall(tx, c); err != nil {
			return err
		}
		view = &EventView{InstanceID: instanceID, Event: event, Status: "accepted", CallID: c.ID}
		return nil
	})
	return view, err
}

// Restart is 重新启动: one more attempt now for a failed or retrying call,
// audited. The original attempts stay as they were. A call whose line the
// platform auto-unsubscribed is refused: the buyer is refunded, and an
// instance created now would be one nobody pays for.
func (s *Service) Restart(ctx context.Context, actor models.Actor, callID int64) error {
	if !actor.Can(models.PermInterfaceRestart) {
		return models.ErrForbidden
	}
	now := s.now()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var c models.Call
		q := tx.Where("id = ?", callID)
		if !actor.IsPlatform() {
			q = q.Where("merchant_id = ?", actor.MerchantID)
		}
		if err := q.First(&c).Error; err != nil {
			return notFoundErr(err)
		}
		if c.ClosedAt != nil {
			return models.FormError(models.M("err.restart_closed", "Order", c.OrderID))
		}
		if c.InFlight(now) && (c.State == models.CallFailed || c.State == models.CallRetrying) {
			return models.FormError(models.M("err.restart_in_flight"))
		}
		if !c.Restartable(now) {
			return models.FormError(models.M("err.restart_state"))
		}
		if err := models.CallTransition(c.State, models.CallPending, false); err != nil {
			return err
		}
		deadline := c.DeadlineAt
		if deadline.Before(now) {
			deadline = now // one attempt: the window is over
		}
		if err := tx.Model(&models.Call{}).Where("id = ?", c.ID).Updates(map[string]any{
			"state": models.CallPending, "restarted": true, "manual_by": actor.Email, "next_at": now,
			"deadline_at": deadline, "updated_at": now}).Error; err != nil {
			return err
		}
		if err := s.schedule(tx, c.ID, now); err != nil {
			return err
		}
		return audit.Write(tx, now, actor, audit.Event{Action: models.AuditCallRestarted, MerchantID: c.MerchantID,
			TargetType: "call", TargetID: c.ID, Detail: map[string]any{"activity": c.Activity, "previous_state": c.State}})
	})
}

func notFoundErr(err error) error {
	if err == gorm.ErrRecordNotFound {
		return models.ErrNotFound
	}
	return err
}

// Due lists calls whose next attempt is due, for a scheduler that polls
// instead of being told (and for tests that move the clock).
func (s *Service) Due(ctx context.Context, at time.Time, limit int) ([]models.Call, error) {
	var cs []models.Call
	err := s.db.WithContext(ctx).Where("state IN ? AND next_at <= ?",
		[]models.CallState{models.CallPending, models.CallRetrying, models.CallPolling}, at.UTC()).
		Order("next_at, id").Limit(limit).Find(&cs).Error
	return cs, err
}
