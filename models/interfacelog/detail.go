package interfacelog

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/web/koogallery"
)

// Attempt is one attempt of a call as its page lists it: immutable once
// logged, with its own outcome.
type Attempt struct {
	models.InterfaceMessage
	// Shown is the attempt's place in the schedule, "Shown / Max"; 0 for an
	// attempt a person added with 重新启动, which the schedule does not count.
	Shown, Max int
}

// Detail is one call with its attempts.
type Detail struct {
	Call         models.Call
	MerchantName string // for platform readers only
	InstanceID   string
	Attempts     []Attempt // oldest first, without bodies
	// Selected is the attempt whose exchange the page shows (the latest by
	// default), with its bodies; nil before the first answer.
	Selected *models.InterfaceMessage
	// CanRestart is whether the viewer may press 重新启动 now.
	CanRestart bool
	// Closed says the platform auto-unsubscribed the call's line: 重新启动
	// is refused and the page says what the merchant can do instead.
	Closed bool
	// Waiting says an attempt is due now or out (after a restart): the page
	// refreshes itself until it is answered.
	Waiting bool
	// ResultZH and ResultEN explain the selected attempt's resultCode.
	ResultZH, ResultEN string
}

// Get loads one call visible to the actor with its attempts; attempt picks
// the attempt whose exchange is shown (0: the latest). Another merchant's
// call is not found.
func (s Service) Get(ctx context.Context, actor models.Actor, callID int64, attempt int) (*Detail, error) {
	if !actor.Can(models.PermInterfaceLog) {
		return nil, models.ErrForbidden
	}
	q := s.db.WithContext(ctx).Where("id = ?", callID)
	if !actor.IsPlatform() {
		q = q.Where("merchant_id = ?", actor.MerchantID)
	}
	var d Detail
	if err := q.First(&d.Call).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, models.ErrNotFound
		}
		return nil, err
	}
	db := s.db.WithContext(ctx)
	if actor.IsPlatform() {
		if err := db.Model(&models.Merchant{}).Where("id = ?", d.Call.MerchantID).Pluck("name", &d.MerchantName).Error; err != nil {
			return nil, err
		}
	}
	if d.Call.InstanceRef != nil {
		if err := db.Model(&models.Instance{}).Where("id = ?", *d.Call.InstanceRef).Pluck("instance_id", &d.InstanceID).Error; err != nil {
			return nil, err
		}
	}
	var msgs []models.InterfaceMessage
	if err := db.Select("id, call_ref, attempt_no, at, activity, url, order_id, order_line_id, instance_id, outcome, error_class, "+
		"result_code, response_status, latency_ms, manual, actor_email, next_retry_at").
		Where("call_ref = ?", d.Call.ID).Order("attempt_no, id").Find(&msgs).Error; err != nil {
		return nil, err
	}
	d.Attempts = numberAttempts(msgs, d.Call.MaxAttempts())
	var pick int64
	for _, a := range d.Attempts {
		if attempt == 0 || a.AttemptNo == attempt {
			pick = a.ID
		}
	}
	if pick != 0 {
		var m models.InterfaceMessage
		if err := db.First(&m, pick).Error; err != nil {
			return nil, err
		}
		m.ErrorDetail = models.MaskSecrets(m.ErrorDetail)
		d.Selected = &m
		d.ResultZH, d.ResultEN, _ = koogallery.ResultCodeMeaning(m.ResultCode)
	}
	now := s.now()
	d.Closed = d.Call.ClosedAt != nil
	d.CanRestart = actor.Can(models.PermInterfaceRestart) && d.Call.Restartable(now)
	d.Waiting = d.Call.State == models.CallPending || d.Call.InFlight(now)
	return &d, nil
}

// numberAttempts places each attempt in the schedule: the scheduled ones
// count 1…max (the window holds no more), the ones a person added with
// 重新启动 stand apart.
func numberAttempts(msgs []models.InterfaceMessage, max int) []Attempt {
	out := make([]Attempt, 0, len(msgs))
	n := 0
	for _, m := range msgs {
		a := Attempt{InterfaceMessage: m, Max: max}
		if !m.Manual {
			n++
			a.Shown = min(n, max)
		}
		out = append(out, a)
	}
	return out
}

// CallOfMessage is the call an attempt belongs to, for links that still name
// an attempt; another merchant's attempt is not found.
func (s Service) CallOfMessage(ctx context.Context, actor models.Actor, messageID int64) (int64, error) {
	if !actor.Can(models.PermInterfaceLog) {
		return 0, models.ErrForbidden
	}
	q := s.db.WithContext(ctx).Model(&models.InterfaceMessage{}).Where("id = ?", messageID)
	if !actor.IsPlatform() {
		q = q.Where("merchant_id = ?", actor.MerchantID)
	}
	var ids []int64
	if err := q.Limit(1).Pluck("call_ref", &ids).Error; err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, models.ErrNotFound
	}
	return ids[0], nil
}
