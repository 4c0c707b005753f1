// Package demands renders customer demands (客户需求): the merchant's list and
// detail, and the operations page.
package demands

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/views"
)

// TimeLeft says how long the window has left at now, in the one
// remaining-time format (views.Remaining).
func TimeLeft(ctx context.Context, due, now time.Time) string {
	return views.Remaining(ctx, due.Sub(now))
}

// leftClass colours the time left by the demand's urgency.
func leftClass(d *models.Demand, now time.Time) string {
	switch d.Urgency(now) {
	case models.DemandUrgencyOver, models.DemandUrgencyLastDay:
		return "bad"
	case models.DemandUrgencySoon:
		return "warn"
	}
	return "info"
}

func stateClass(d *models.Demand) string {
	switch d.State {
	case models.DemandPending:
		return "warn"
	case models.DemandAccepted:
		return "ok"
	case models.DemandRejected:
		return "bad"
	}
	return ""
}

func seconds(due, now time.Time) string { return fmt.Sprint(int64(due.Sub(now) / time.Second)) }

// Rate renders an acceptance rate in ‰ as a percentage with one decimal.
func Rate(permille int64) string { return fmt.Sprintf("%d.%d%%", permille/10, permille%10) }

// windowLabel is the catalog id of a window mode.
func windowLabel(mode string) string { return "demands.window." + mode }

// eventNote is the short detail an event line shows: the reason of a
// rejection, the linked order, the days left of a reminder.
func eventNote(ctx context.Context, ev models.DemandEvent) string {
	var m map[string]any
	if json.Unmarshal([]byte(ev.Detail), &m) != nil {
		return ""
	}
	switch ev.Kind {
	case models.DemandEvRejected:
		s, _ := m["reason"].(string)
		return s
	case models.DemandEvLinked:
		s, _ := m["order"].(string)
		return s
	case models.DemandEvReminded:
		if n, ok := m["days_left"].(float64); ok {
			return views.T(ctx, "demands.event.days_left", "Days", int(n))
		}
	case models.DemandEvAssigned:
		if mode, ok := m["window_mode"].(string); ok {
			return views.T(ctx, windowLabel(mode))
		}
		if m["recomputed"] == true {
			return views.T(ctx, "demands.event.recomputed")
		}
	}
	return ""
}
