package tickets

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
)

// ClockStatuses are the statuses the list filters on, in display order.
var ClockStatuses = []models.ClockStatus{models.ClockRunning, models.ClockWarning, models.ClockBreached, models.ClockPaused,
	models.ClockMet, models.ClockLate, models.ClockStopped, models.ClockNone}

// Clock is a ticket's first-response clock as shown to a person.
type Clock struct {
	Status models.ClockStatus
	DueAt  *time.Time
	// Left is the reception time left until the deadline; negative: how long
	// it is overdue. Set for running, warning and breached clocks.
	Left time.Duration
	// Ticking says the reception calendar is open now, so Left shrinks in
	// real time (a page may count it down until its next refresh).
	Ticking bool
	// Response is the reception time the first public reply took (met, late).
	Response time.Duration
}

// running reports whether the round's clock still waits for a first reply.
func running(t *models.Ticket) bool { return t.FirstResponseAt == nil && !t.State.Closed() }

// warnAfter is the reception time after which the warning fires.
func (s *Service) warnAfter() time.Duration {
	return time.Duration(float64(s.cfg.FirstResponse) * warnShare).Round(time.Second)
}

// WarnLeft is the reception time left when the warning fires.
func (s *Service) WarnLeft() time.Duration { return s.cfg.FirstResponse - s.warnAfter() }

// FirstResponse is the first-response target.
func (s *Service) FirstResponse() time.Duration { return s.cfg.FirstResponse }

// pausesOf turns a round's state events into the clock's pauses: every stay
// in awaiting_customer; the last one open while the ticket still waits.
func pausesOf(evs []models.TicketEvent) []bizclock.Pause {
	var out []bizclock.Pause
	var from *time.Time
	for _, e := range evs {
		if e.Kind != models.TicketEvState {
			continue
		}
		if e.FromState == models.TicketAwaiting && from != nil {
			out = append(out, bizclock.Pause{From: *from, To: e.At, Reason: string(models.TicketAwaiting)})
			from = nil
		}
		if e.ToState == models.TicketAwaiting && from == nil {
			at := e.At
			from = &at
		}
	}
	if from != nil {
		out = append(out, bizclock.Pause{From: *from, Reason: string(models.TicketAwaiting)})
	}
	return out
}

// roundPauses loads the current round's pauses from the ticket's history.
func roundPauses(tx *gorm.DB, t *models.Ticket) ([]bizclock.Pause, error) {
	var evs []models.TicketEvent
	err := tx.Where("ticket_ref = ? AND round = ? AND kind = ?", t.ID, t.Round, models.TicketEvState).
		Order("id").Find(&evs).Error
	return pausesOf(evs), err
}

// plan recomputes the round's deadlines from its start and pauses on the
// calendar (nil: the merchant does not receive tickets) and sets the next
// alert the sweep must fire. A clock that no longer runs keeps the deadlines
// it had, for display, and has nothing left to fire.
func (s *Service) plan(t *models.Ticket, cal *bizclock.Calendar, pauses []bizclock.Pause) {
	if running(t) {
		t.WarnAt, t.DueAt = nil, nil
		if cal != nil {
			if w, ok := cal.AddBusiness(t.ClockStartAt, s.warnAfter(), pauses...); ok {
				w = w.UTC()
				t.WarnAt = &w
			}
			if d, ok := cal.AddBusiness(t.ClockStartAt, s.cfg.FirstResponse, pauses...); ok {
				d = d.UTC()
				t.DueAt = &d
			}
		}
	}
	t.NextAlertAt = nextAlert(t)
}

// nextAlert is what the sweep fires next on a ticket: the warning until it
// fired, then the breach; nil once both fired or the clock stopped.
func nextAlert(t *models.Ticket) *time.Time {
	switch {
	case !running(t):
		return nil
	case t.WarnedAt == nil && t.WarnAt != nil:
		return t.WarnAt
	case t.BreachedAt == nil && t.DueAt != nil:
		return t.DueAt
	}
	return nil
}

// replan reloads the round's pauses and plans again; the pauses are
// returned for a caller that also needs them (the first reply's elapsed
// time), so they are read once.
func (s *Service) replan(tx *gorm.DB, t *models.Ticket, cal *bizclock.Calendar) ([]bizclock.Pause, error) {
	pauses, err := roundPauses(tx, t)
	if err != nil {
		return nil, err
	}
	s.plan(t, cal, pauses)
	return pauses, nil
}

// calendar is the merchant's reception calendar, nil when it does not
// receive tickets.
func (s *Service) calendar(ctx context.Context, merchantID int64) (*bizclock.Calendar, error) {
	cal, ok, err := s.cals.ForMerchant(ctx, merchantID)
	if err != nil || !ok {
		return nil, err
	}
	return cal, nil
}

// ClockOf is the clock of a ticket at now on the merchant's calendar.
func ClockOf(t *models.Ticket, cal *bizclock.Calendar, now time.Time) Clock {
	c := Clock{DueAt: t.DueAt}
	switch {
	case t.FirstResponseAt != nil:
		c.Status = models.ClockMet
		if t.BreachedAt != nil {
			c.Status = models.ClockLate
		}
		if t.FirstResponseS != nil {
			c.Response = time.Duration(*t.FirstResponseS) * time.Second
		}
		return c
	case t.State.Closed():
		c.Status = models.ClockStopped
		return c
	case t.DueAt == nil && t.State == models.TicketAwaiting:
		c.Status = models.ClockPaused
		return c
	case t.DueAt == nil || cal == nil:
		c.Status = models.ClockNone
		return c
	}
	due := *t.DueAt
	if now.Before(due) {
		c.Left = cal.Elapsed(now, due)
	} else {
		c.Left = -cal.Elapsed(due, now)
	}
	switch {
	case t.BreachedAt != nil || !now.Before(due):
		c.Status = models.ClockBreached
	case t.WarnedAt != nil || (t.WarnAt != nil && !now.Before(*t.WarnAt)):
		c.Status = models.ClockWarning
	default:
		c.Status = models.ClockRunning
	}
	c.Ticking = cal.IsOpen(now)
	return c
}
