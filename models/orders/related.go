package orders

import (
	"context"
	"encoding/json"
	"time"

	"github.com/sellercenter/sellercenter/models"
)

// Related is another order about an instance one of this order's lines
// has: the order that created it (for a renewal, change or unsubscription
// acting on it) or a later order acting on the instance this one created.
type Related struct {
	OrderRef  int64     `gorm:"column:order_ref"`
	OrderID   string    `gorm:"column:order_code"`
	OrderType string    `gorm:"column:order_type"`
	At        time.Time `gorm:"column:ordered_at"`
	Instance  string    `gorm:"column:instance_code"`
	Created   bool      `gorm:"column:created"` // this related line created the instance
}

// related reads the orders sharing the order's instances, oldest first:
// each line names its instance (instance_ref), for the line that created it
// and every line acting on it alike.
func (s Service) related(ctx context.Context, o *models.Order, instIDs []int64) (actsOn, later []Related, err error) {
	if len(instIDs) == 0 {
		return nil, nil, nil
	}
	var rows []Related
	err = s.db.WithContext(ctx).Table("order_lines AS l").
		Select("DISTINCT l.order_ref, l.order_code, l.order_type, l.ordered_at, i.instance_id AS instance_code, coalesce(i.creating_line_ref = l.id, 0) AS created").
		Joins("JOIN instances i ON i.id = l.instance_ref").
		Where("l.instance_ref IN ? AND l.order_ref <> ? AND l.merchant_id = ?", instIDs, o.ID, o.MerchantID).
		Order("l.ordered_at, l.order_ref").Limit(200).Scan(&rows).Error
	for _, r := range rows {
		if r.Created {
			actsOn = append(actsOn, r)
		} else {
			later = append(later, r)
		}
	}
	return actsOn, later, err
}

// instanceEvents are the marketplace's events on the order's instances
// (release, expiry, freeze, unfreeze), each with how its call to the
// merchant's endpoint stands.
func (s Service) instanceEvents(ctx context.Context, instIDs []int64) ([]Event, error) {
	if len(instIDs) == 0 {
		return nil, nil
	}
	var calls []models.Call
	if err := s.db.WithContext(ctx).Select("id, created_at, params, state, activity").
		Where("instance_ref IN ? AND order_line_ref IS NULL", instIDs).Order("id").Limit(200).Find(&calls).Error; err != nil {
		return nil, err
	}
	var out []Event
	for _, c := range calls {
		var p struct {
			Event string `json:"event"`
		}
		if json.Unmarshal([]byte(c.Params), &p) != nil || p.Event == "" {
			continue
		}
		out = append(out, Event{At: c.CreatedAt, Kind: "instance_event", Bad: c.State == models.CallFailed,
			Msg: models.M("pages.timeline.instance_event", "Event", models.M("pages.instance_event."+p.Event),
				"State", models.M("call.state."+string(c.State)))})
	}
	return out, nil
}
