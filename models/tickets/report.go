package tickets

import (
	"context"
	"sort"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/stats"
)

// ReportWeeks is how many weeks the SLA report covers, this one included.
const ReportWeeks = 12

// ReportRow is one line of the SLA report: the first-response clocks of a
// week (by when they started) or of a staff member (by who answered; a
// breach nobody answered counts for the assignee).
type ReportRow struct {
	Label    string    // staff: the name; weeks: empty (see Week)
	Week     time.Time // the week's Monday, in the viewer's zone
	UserID   int64
	Clocks   int // clocks started (weeks) or handled (staff)
	Answered int
	Breached int
	// Unanswered is the breached clocks that still have no reply.
	Unanswered int
	Median     time.Duration // reception time to the first reply, answered clocks
	P90        time.Duration
}

// Decided is the clocks whose outcome is known: answered, or breached
// before any answer. Clocks still running count in no rate.
func (r ReportRow) Decided() int { return r.Answered + r.Unanswered }

// BreachRate is breached ÷ decided, 0 when nothing was decided.
func (r ReportRow) BreachRate() float64 {
	if d := r.Decided(); d > 0 {
		return float64(r.Breached) / float64(d)
	}
	return 0
}

// Report is the SLA report (首次响应 SLA).
type Report struct {
	From  time.Time
	Weeks []ReportRow
	Staff []ReportRow
	Total ReportRow
}

type roundKey struct {
	ticket int64
	round  int
}

type roundFacts struct {
	start    time.Time
	answered bool
	elapsed  time.Duration
	breached bool
	by       int64
}

// weekStart is the midnight that starts t's week (Monday) in loc.
func weekStart(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc).AddDate(0, 0, -((int(t.Weekday()) + 6) % 7))
}

// Report computes the merchant's first-response figures over the last
// ReportWeeks weeks, weeks starting on Monday in loc.
func (s *Service) Report(ctx context.Context, actor models.Actor, loc *time.Location) (*Report, error) {
	if err := merchantScope(actor); err != nil {
		return nil, err
	}
	now := s.now().In(loc)
	from := weekStart(now, loc).AddDate(0, 0, -7*(ReportWeeks-1))
	db := s.db.WithContext(ctx)
	var evs []models.TicketEvent
	if err := db.Where("merchant_id = ? AND kind IN ? AND at >= ?", actor.MerchantID,
		[]string{models.TicketEvClockStarted, models.TicketEvResponded, models.TicketEvBreached}, from.UTC()).
		Order("id").Find(&evs).Error; err != nil {
		return nil, err
	}
	rounds := map[roundKey]*roundFacts{}
	for _, e := range evs {
		k := roundKey{e.TicketRef, e.Round}
		if e.Kind == models.TicketEvClockStarted {
			rounds[k] = &roundFacts{start: e.At}
		}
	}
	tickets := map[int64]bool{}
	for _, e := range evs {
		r := rounds[roundKey{e.TicketRef, e.Round}]
		if r == nil {
			continue // a round started before the window
		}
		tickets[e.TicketRef] = true
		switch e.Kind {
		case models.TicketEvResponded:
			r.answered, r.elapsed = true, time.Duration(e.ElapsedSec)*time.Second
			r.breached = r.breached || e.Breached
			if e.ActorUserID != nil {
				r.by = *e.ActorUserID
			}
		case models.TicketEvBreached:
			r.breached = true
		}
	}
	// A breach nobody answered is the assignee's; a current clock past its
	// deadline is breached even before the sweep has marked it.
	assignees := map[int64]int64{}
	if len(tickets) > 0 {
		ids := make([]int64, 0, len(tickets))
		for id := range tickets {
			ids = append(ids, id)
		}
		for len(ids) > 0 {
			n := min(len(ids), 500)
			var ts []models.Ticket
			if err := db.Where("id IN ?", ids[:n]).Find(&ts).Error; err != nil {
				return nil, err
			}
			for i := range ts {
				t := &ts[i]
				if t.AssigneeID != nil {
					assignees[t.ID] = *t.AssigneeID
				}
				if r := rounds[roundKey{t.ID, t.Round}]; r != nil && running(t) && t.DueAt != nil && !now.Before(*t.DueAt) {
					r.breached = true
				}
			}
			ids = ids[n:]
		}
	}
	rep := &Report{From: from}
	weekIdx := map[time.Time]int{}
	for i := 0; i < ReportWeeks; i++ {
		w := from.AddDate(0, 0, 7*i)
		weekIdx[w] = i
		rep.Weeks = append(rep.Weeks, ReportRow{Week: w})
	}
	weekTimes := make([][]time.Duration, ReportWeeks)
	staffRows := map[int64]*ReportRow{}
	staffTimes := map[int64][]time.Duration{}
	var allTimes []time.Duration
	add := func(row *ReportRow, times *[]time.Duration, r *roundFacts) {
		row.Clocks++
		if r.answered {
			row.Answered++
			*times = append(*times, r.elapsed)
		}
		if r.breached {
			row.Breached++
			if !r.answered {
				row.Unanswered++
			}
		}
	}
	for k, r := range rounds {
		if i, ok := weekIdx[weekStart(r.start, loc)]; ok {
			add(&rep.Weeks[i], &weekTimes[i], r)
		}
		add(&rep.Total, &allTimes, r)
		if !r.answered && !r.breached {
			continue // still running: nobody's yet
		}
		who := r.by
		if !r.answered {
			who = assignees[k.ticket]
		}
		row := staffRows[who]
		if row == nil {
			row = &ReportRow{UserID: who}
			staffRows[who] = row
		}
		t := staffTimes[who]
		add(row, &t, r)
		staffTimes[who] = t
	}
	for i := range rep.Weeks {
		rep.Weeks[i].Median, rep.Weeks[i].P90 = stats.Percentile(weekTimes[i], 50), stats.Percentile(weekTimes[i], 90)
	}
	rep.Total.Median, rep.Total.P90 = stats.Percentile(allTimes, 50), stats.Percentile(allTimes, 90)
	names := map[int64]string{}
	var users []models.User
	if err := db.Where("merchant_id = ?", actor.MerchantID).Find(&users).Error; err != nil {
		return nil, err
	}
	for _, u := range users {
		names[u.ID] = u.DisplayName()
	}
	for id, row := range staffRows {
		row.Label = names[id]
		row.Median, row.P90 = stats.Percentile(staffTimes[id], 50), stats.Percentile(staffTimes[id], 90)
		rep.Staff = append(rep.Staff, *row)
	}
	sort.Slice(rep.Staff, func(i, j int) bool {
		a, b := rep.Staff[i], rep.Staff[j]
		if a.Answered != b.Answered {
			return a.Answered > b.Answered
		}
		return a.UserID < b.UserID
	})
	return rep, nil
}
