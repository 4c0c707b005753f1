package bizclock_test

import (
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models/bizclock"
)

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("zone %s: %v", name, err)
	}
	return loc
}

// hm is a wall-clock minute: hm(13, 30) = 810.
func hm(h, m int) int { return h*60 + m }

// acmeWeek is DESIGN's Acme: Monday–Friday 09:00–12:00 and 13:30–18:30.
func acmeWeek() bizclock.Week {
	var w bizclock.Week
	for d := time.Monday; d <= time.Friday; d++ {
		w[d] = []bizclock.Range{{hm(9, 0), hm(12, 0)}, {hm(13, 30), hm(18, 30)}}
	}
	return w
}

// everyDay opens the same ranges all seven days.
func everyDay(rs ...bizclock.Range) bizclock.Week {
	var w bizclock.Week
	for d := range w {
		w[d] = rs
	}
	return w
}

func mustCal(t testing.TB, loc *time.Location, w bizclock.Week, h *bizclock.HolidaySet) *bizclock.Calendar {
	t.Helper()
	c, err := bizclock.NewCalendar(loc, w, h)
	if err != nil {
		t.Fatalf("NewCalendar: %v", err)
	}
	return c
}

func at(loc *time.Location, y int, mo time.Month, d, h, mi int) time.Time {
	return time.Date(y, mo, d, h, mi, 0, 0, loc)
}

func date(t testing.TB, s string) bizclock.Date {
	t.Helper()
	d, err := bizclock.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
