package models

import (
	"net/url"
	"time"
)

// DateRange reads a list filter's `from` and `to` dates (YYYY-MM-DD, the
// viewer's zone, both inclusive) as the half-open [from, to) the queries
// use; a zero time is an open end. A malformed or absurd date (outside
// 2000–2100) or an inverted range is added to v under its field.
func DateRange(q url.Values, loc *time.Location, v *ValidationError) (from, to time.Time) {
	date := func(field string) time.Time {
		s := q.Get(field)
		if s == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation(time.DateOnly, s, loc)
		if err != nil || t.Year() < 2000 || t.Year() > 2100 {
			v.Add(field, M("err.date_format"))
			return time.Time{}
		}
		return t
	}
	from, to = date("from"), date("to")
	if !to.IsZero() {
		to = to.AddDate(0, 0, 1)
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		v.Add("to", M("err.range_inverted"))
	}
	return from, to
}
