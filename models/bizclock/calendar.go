package bizclock

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Range is one opening range of a day in minutes since local midnight,
// [From, To), 0..1440. Minutes are wall-clock minutes: 09:00 is 540 whatever
// the zone's offset that day.
type Range struct{ From, To int }

// Week is the weekly schedule indexed by time.Weekday (Sunday = 0).
type Week [7][]Range

// ErrNoOpenTime refuses a calendar that would never open: every search on it
// would run forever.
var ErrNoOpenTime = errors.New("bizclock: the calendar has no opening hours")

// Calendar is a reception calendar: weekly hours in a zone, optionally on a
// holiday set. It is immutable, so one value may serve many goroutines.
type Calendar struct {
	loc      *time.Location
	week     Week
	makeup   []Range // the hours of a make-up workday
	holidays *HolidaySet
}

// NewCalendar validates and builds a calendar. Ranges must lie inside
// 0..1440 with From < To and must not overlap within a day; at least one range
// must exist. holidays may be nil (the weekly hours apply every week). On a
// holiday (IsOff) the calendar is closed; on a make-up workday it uses
// Monday's ranges, or if Monday is closed the first open weekday's after it.
// A nil loc means UTC.
func NewCalendar(loc *time.Location, week Week, holidays *HolidaySet) (*Calendar, error) {
	if loc == nil {
		loc = time.UTC
	}
	c := &Calendar{loc: loc, holidays: holidays}
	total := 0
	for wd := range week {
		rs := slices.Clone(week[wd])
		slices.SortFunc(rs, func(a, b Range) int { return a.From - b.From })
		for i, r := range rs {
			if r.From < 0 || r.To > 1440 || r.From >= r.To {
				return nil, fmt.Errorf("bizclock: %s range %s is inverted or outside the day", time.Weekday(wd), r)
			}
			if i > 0 && r.From < rs[i-1].To {
				return nil, fmt.Errorf("bizclock: %s ranges %s and %s overlap", time.Weekday(wd), rs[i-1], r)
			}
			total += r.To - r.From
		}
		c.week[wd] = rs
	}
	if total == 0 {
		return nil, ErrNoOpenTime
	}
	for i := range 7 {
		wd := (int(time.Monday) + i) % 7
		if len(c.week[wd]) > 0 {
			c.makeup = c.week[wd]
			break
		}
	}
	return c, nil
}

// String formats a range as "09:00-12:00".
func (r Range) String() string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", r.From/60, r.From%60, r.To/60, r.To%60)
}

// Location is the calendar's zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// Week is a copy of the weekly hours.
func (c *Calendar) Week() Week {
	var w Week
	for i := range w {
		w[i] = slices.Clone(c.week[i])
	}
	return w
}

// rangesOn is the day's hours after holidays and make-up days.
func (c *Calendar) rangesOn(n int) []Range {
	switch c.holidays.kind(n) {
	case kindOff:
		return nil
	case kindMakeup:
		return c.makeup
	}
	return c.week[weekdayOf(n)]
}

// IsOpen reports whether t falls inside an opening range.
func (c *Calendar) IsOpen(t time.Time) bool {
	if c == nil || c.loc == nil {
		return false
	}
	cur := c.cursor(t.UnixNano())
	sp, ok := cur.next()
	return ok && sp.from == t.UnixNano()
}

// NextOpening is t itself when the calendar is open at t, otherwise the
// start of the next opening range. It is the zero Time only for a calendar
// that never opens (which NewCalendar refuses to build).
func (c *Calendar) NextOpening(t time.Time) time.Time {
	if c == nil || c.loc == nil {
		return time.Time{}
	}
	cur := c.cursor(t.UnixNano())
	sp, ok := cur.next()
	if !ok {
		return time.Time{}
	}
	if sp.from == t.UnixNano() {
		return t
	}
	return time.Unix(0, sp.from).In(t.Location())
}
