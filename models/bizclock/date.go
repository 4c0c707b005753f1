package bizclock

import (
	"fmt"
	"time"
)

// Date is a civil date: a day of the calendar, with no zone attached.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf is the civil date of t as read on a wall clock in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return Date{y, m, d}
}

// ParseDate reads "2026-10-01" and refuses dates that do not exist (2025-02-30).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("bizclock: bad date %q (want YYYY-MM-DD)", s)
	}
	y, m, d := t.Date()
	return Date{y, m, d}, nil
}

// String formats d as "2026-10-01".
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Weekday is the day of the week d falls on.
func (d Date) Weekday() time.Weekday { return weekdayOf(d.num()) }

// AddDays is the date n days after d (before, for a negative n).
func (d Date) AddDays(n int) Date { return dateOfNum(d.num() + n) }

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.num() < e.num() }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// num is the count of days since 1970-01-01, so date arithmetic and lookups
// never go through time.Date (Hinnant's days_from_civil).
func (d Date) num() int {
	y, m := d.Year, int(d.Month)
	if m <= 2 {
		y--
	}
	era := y
	if era < 0 {
		era -= 399
	}
	era /= 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d.Day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func dateOfNum(z int) Date {
	z += 719468
	era := z
	if era < 0 {
		era -= 146096
	}
	era /= 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return Date{y, time.Month(m), d}
}

// weekdayOf maps a day number to its weekday: 1970-01-01 was a Thursday.
func weekdayOf(n int) time.Weekday {
	w := (n + 4) % 7
	if w < 0 {
		w += 7
	}
	return time.Weekday(w)
}
