package bizclock_test

import (
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models/bizclock"
)

func TestAddBusiness(t *testing.T) {
	sh := zone(t, "Asia/Shanghai")
	acme := mustCal(t, sh, acmeWeek(), bizclock.MainlandChina())
	kolkata := zone(t, "Asia/Kolkata")
	var nineToFive bizclock.Week
	for d := time.Monday; d <= time.Friday; d++ {
		nineToFive[d] = []bizclock.Range{{From: hm(9, 0), To: hm(17, 0)}}
	}
	india := mustCal(t, kolkata, nineToFive, nil)
	mon := func(h, mi int) time.Time { return at(sh, 2026, 11, 23, h, mi) } // an ordinary Monday
	tue := func(h, mi int) time.Time { return at(sh, 2026, 11, 24, h, mi) }
	p := func(from, to time.Time) bizclock.Pause {
		return bizclock.Pause{From: from, To: to, Reason: "waiting on buyer"}
	}
	const m15 = 15 * time.Minute
	for _, tc := range []struct {
		name   string
		c      *bizclock.Calendar
		t      time.Time
		d      time.Duration
		pauses []bizclock.Pause
		want   time.Time
		ok     bool
	}{
		{"inside a range", acme, mon(10, 0), m15, nil, mon(10, 15), true},
		{"created at the exact opening", acme, mon(9, 0), m15, nil, mon(9, 15), true},
		{"created at the lunch closing", acme, mon(12, 0), m15, nil, mon(13, 45), true},
		{"created at the evening closing", acme, mon(18, 30), m15, nil, tue(9, 15), true},
		{"across lunch", acme, mon(11, 50), m15, nil, mon(13, 35), true},
		{"during lunch", acme, mon(12, 30), m15, nil, mon(13, 45), true},
		{"due exactly at a closing stays there", acme, mon(11, 45), m15, nil, mon(12, 0), true},
		{"night", acme, mon(23, 0), m15, nil, tue(9, 15), true},
		{"early morning", acme, tue(3, 0), m15, nil, tue(9, 15), true},
		{"across a weekend", acme, at(sh, 2026, 11, 27, 18, 20), m15, nil, at(sh, 2026, 11, 30, 9, 5), true},
		{"from Saturday", acme, at(sh, 2026, 11, 28, 10, 0), m15, nil, at(sh, 2026, 11, 30, 9, 15), true},
		{"across 国庆 2026", acme, at(sh, 2026, 9, 30, 18, 25), m15, nil, at(sh, 2026, 10, 8, 9, 10), true},
		{"onto the make-up Saturday after 国庆", acme, at(sh, 2026, 10, 9, 18, 25), m15, nil, at(sh, 2026, 10, 10, 9, 10), true},
		{"onto the make-up Sunday before 国庆", acme, at(sh, 2026, 9, 19, 10, 0), m15, nil, at(sh, 2026, 9, 20, 9, 15), true},
		{"onto the make-up Saturday before 春节", acme, at(sh, 2026, 2, 13, 18, 25), m15, nil, at(sh, 2026, 2, 14, 9, 10), true},
		{"across 春节 2026", acme, at(sh, 2026, 2, 14, 18, 25), m15, nil, at(sh, 2026, 2, 24, 9, 10), true},
		{"a whole day", acme, mon(9, 0), 8 * time.Hour, nil, mon(18, 30), true},
		{"a whole day and a minute", acme, mon(9, 0), 8*time.Hour + time.Minute, nil, tue(9, 1), true},
		{"zero", acme, mon(12, 30), 0, nil, mon(12, 30), true},
		{"half-hour offset zone over a weekend", india, at(kolkata, 2026, 11, 27, 16, 55), m15, nil, at(kolkata, 2026, 11, 30, 9, 10), true},
		{"pause spanning the night", acme, mon(18, 20), m15, []bizclock.Pause{p(mon(18, 25), tue(10, 0))}, tue(10, 10), true},
		{"pause inside a closure changes nothing", acme, mon(18, 20), m15, []bizclock.Pause{p(mon(20, 0), tue(8, 0))}, tue(9, 5), true},
		{"pause spanning the weekend and 国庆", acme, at(sh, 2026, 9, 30, 18, 0), time.Hour, []bizclock.Pause{p(at(sh, 2026, 9, 30, 18, 10), at(sh, 2026, 10, 8, 11, 0))}, at(sh, 2026, 10, 8, 11, 50), true},
		{"pause started before creation", acme, mon(10, 0), m15, []bizclock.Pause{p(mon(9, 0), mon(10, 30))}, mon(10, 45), true},
		{"overlapping pauses", acme, mon(10, 0), m15, []bizclock.Pause{p(mon(10, 5), mon(10, 20)), p(mon(10, 10), mon(10, 30))}, mon(10, 40), true},
		{"pause ended before creation", acme, mon(10, 0), m15, []bizclock.Pause{p(mon(9, 0), mon(9, 30))}, mon(10, 15), true},
		{"still paused: no deadline", acme, mon(10, 0), m15, []bizclock.Pause{{From: mon(10, 5)}}, time.Time{}, false},
		{"still paused from before creation", acme, mon(10, 0), m15, []bizclock.Pause{{From: mon(9, 5)}}, time.Time{}, false},
		{"open pause after the deadline", acme, mon(10, 0), m15, []bizclock.Pause{{From: mon(10, 20)}}, mon(10, 15), true},
		{"open pause exactly at the deadline", acme, mon(10, 0), m15, []bizclock.Pause{{From: mon(10, 15)}}, mon(10, 15), true},
		{"inverted pause is ignored", acme, mon(10, 0), m15, []bizclock.Pause{p(mon(10, 30), mon(10, 5))}, mon(10, 15), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := tc.c.AddBusiness(tc.t, tc.d, tc.pauses...)
			if ok != tc.ok || !got.Equal(tc.want) {
				t.Fatalf("AddBusiness = %v, %v; want %v, %v", got.In(tc.c.Location()), ok, tc.want, tc.ok)
			}
			if ok {
				if e := tc.c.Elapsed(tc.t, got, tc.pauses...); e != tc.d {
					t.Errorf("Elapsed back = %v, want %v", e, tc.d)
				}
			}
		})
	}
}

// A day of ten short ranges (more than the engine keeps inline).
func TestManyRangesADay(t *testing.T) {
	var rs []bizclock.Range
	for h := 8; h < 18; h++ {
		rs = append(rs, bizclock.Range{From: hm(h, 0), To: hm(h, 30)})
	}
	c := mustCal(t, time.UTC, everyDay(rs...), nil)
	from := at(time.UTC, 2026, 11, 23, 7, 0)
	if got, _ := c.AddBusiness(from, 5*time.Hour+10*time.Minute); !got.Equal(at(time.UTC, 2026, 11, 24, 8, 10)) {
		t.Errorf("AddBusiness = %v", got)
	}
	if got := c.Elapsed(from, at(time.UTC, 2026, 11, 23, 17, 15)); got != 4*time.Hour+45*time.Minute {
		t.Errorf("Elapsed = %v", got)
	}
	if got := c.NextOpening(at(time.UTC, 2026, 11, 23, 16, 40)); !got.Equal(at(time.UTC, 2026, 11, 23, 17, 0)) {
		t.Errorf("NextOpening = %v", got)
	}
}

func TestElapsed(t *testing.T) {
	sh := zone(t, "Asia/Shanghai")
	acme := mustCal(t, sh, acmeWeek(), bizclock.MainlandChina())
	mon := func(h, mi int) time.Time { return at(sh, 2026, 11, 23, h, mi) }
	for _, tc := range []struct {
		name     string
		from, to time.Time
		pauses   []bizclock.Pause
		want     time.Duration
	}{
		{"across lunch", mon(10, 0), mon(14, 0), nil, 2*time.Hour + 30*time.Minute},
		{"a whole day", mon(0, 0), mon(23, 59), nil, 8 * time.Hour},
		{"weekend", at(sh, 2026, 11, 27, 18, 0), at(sh, 2026, 11, 30, 9, 30), nil, time.Hour},
		{"国庆 week", at(sh, 2026, 9, 30, 0, 0), at(sh, 2026, 10, 9, 0, 0), nil, 16 * time.Hour},
		{"reversed", mon(14, 0), mon(10, 0), nil, 0},
		{"equal", mon(10, 0), mon(10, 0), nil, 0},
		{"closed the whole time", mon(19, 0), at(sh, 2026, 11, 24, 8, 0), nil, 0},
		{"pause across lunch", mon(9, 0), mon(18, 30), []bizclock.Pause{{From: mon(11, 0), To: mon(14, 0)}}, 6*time.Hour + 30*time.Minute},
		{"open-ended pause", mon(9, 0), mon(18, 30), []bizclock.Pause{{From: mon(10, 0)}}, time.Hour},
		{"pause covering everything", mon(9, 0), mon(18, 30), []bizclock.Pause{{From: mon(8, 0), To: mon(19, 0)}}, 0},
		// 2026: 261 weekdays, 19 of them holidays, 6 make-up weekend days = 248.
		{"a year", at(sh, 2026, 1, 1, 0, 0), at(sh, 2027, 1, 1, 0, 0), nil, 248 * 8 * time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := acme.Elapsed(tc.from, tc.to, tc.pauses...); got != tc.want {
				t.Errorf("Elapsed = %v, want %v", got, tc.want)
			}
		})
	}
}

// Long closures are skipped a day at a time, never minute by minute, and a
// calendar that cannot open refuses instead of looping.
func TestLongClosuresAndNoOpenTime(t *testing.T) {
	sh := zone(t, "Asia/Shanghai")
	off := map[bizclock.Date]string{}
	start := bizclock.Date{Year: 2030, Month: time.January, Day: 1}
	for i := 0; i < 3650; i++ { // ten years of Saturdays off
		if d := start.AddDays(i); d.Weekday() == time.Saturday {
			off[d] = "closed"
		}
	}
	var satOnly bizclock.Week
	satOnly[time.Saturday] = []bizclock.Range{{From: hm(10, 0), To: hm(11, 0)}}
	c := mustCal(t, sh, satOnly, bizclock.NewHolidaySet(off, nil))
	from := at(sh, 2030, 1, 1, 0, 0)
	want := at(sh, 2039, 12, 31, 10, 0) // the first Saturday past the ten years
	if want.Weekday() != time.Saturday {
		t.Fatalf("fixture: %v", want.Weekday())
	}
	if got := c.NextOpening(from); !got.Equal(want) {
		t.Errorf("NextOpening = %v, want %v", got, want)
	}
	if got, ok := c.AddBusiness(from, 30*time.Minute); !ok || !got.Equal(want.Add(30*time.Minute)) {
		t.Errorf("AddBusiness = %v %v", got, ok)
	}

	if _, err := bizclock.NewCalendar(sh, bizclock.Week{}, nil); err != bizclock.ErrNoOpenTime {
		t.Errorf("empty week: %v", err)
	}
	var zero bizclock.Calendar
	if _, ok := zero.AddBusiness(from, time.Minute); ok {
		t.Error("zero calendar gave a deadline")
	}
	if !zero.NextOpening(from).IsZero() || zero.IsOpen(from) || zero.Elapsed(from, from.Add(time.Hour)) != 0 {
		t.Error("zero calendar opened")
	}
}
