package bizclock_test

import (
	"errors"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models/bizclock"
)

func TestNewCalendarValidates(t *testing.T) {
	one := func(wd time.Weekday, rs ...bizclock.Range) bizclock.Week {
		var w bizclock.Week
		w[wd] = rs
		return w
	}
	for _, tc := range []struct {
		name string
		week bizclock.Week
		ok   bool
	}{
		{"acme", acmeWeek(), true},
		{"whole day", one(time.Monday, bizclock.Range{From: 0, To: 1440}), true},
		{"touching ranges", one(time.Monday, bizclock.Range{From: 540, To: 720}, bizclock.Range{From: 720, To: 800}), true},
		{"unsorted input", one(time.Monday, bizclock.Range{From: 810, To: 1110}, bizclock.Range{From: 540, To: 720}), true},
		{"inverted", one(time.Monday, bizclock.Range{From: 720, To: 540}), false},
		{"empty range", one(time.Monday, bizclock.Range{From: 540, To: 540}), false},
		{"negative", one(time.Monday, bizclock.Range{From: -10, To: 540}), false},
		{"past midnight", one(time.Monday, bizclock.Range{From: 1200, To: 1441}), false},
		{"overlap", one(time.Tuesday, bizclock.Range{From: 540, To: 720}, bizclock.Range{From: 700, To: 800}), false},
		{"never open", bizclock.Week{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := bizclock.NewCalendar(time.UTC, tc.week, nil)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok=%v", err, tc.ok)
			}
			if tc.name == "never open" && !errors.Is(err, bizclock.ErrNoOpenTime) {
				t.Errorf("err = %v, want ErrNoOpenTime", err)
			}
			if err == nil && c.Location() != time.UTC {
				t.Errorf("location %v", c.Location())
			}
		})
	}
}

func TestIsOpenAndNextOpening(t *testing.T) {
	sh := zone(t, "Asia/Shanghai")
	acme := mustCal(t, sh, acmeWeek(), bizclock.MainlandChina())
	plain := mustCal(t, sh, acmeWeek(), nil)
	globex := mustCal(t, sh, everyDay(bizclock.Range{From: hm(8, 0), To: hm(20, 0)}), bizclock.MainlandChina())
	var tueToSat bizclock.Week
	tueToSat[time.Tuesday] = []bizclock.Range{{From: hm(10, 0), To: hm(19, 0)}}
	for d := time.Wednesday; d <= time.Saturday; d++ {
		tueToSat[d] = []bizclock.Range{{From: hm(9, 0), To: hm(17, 0)}}
	}
	mondayless := mustCal(t, sh, tueToSat, bizclock.MainlandChina())
	sec := time.Second
	for _, tc := range []struct {
		name string
		c    *bizclock.Calendar
		t    time.Time
		open bool
		next time.Time
	}{
		{"morning", acme, at(sh, 2026, 11, 23, 10, 0), true, at(sh, 2026, 11, 23, 10, 0)},
		{"exact opening", acme, at(sh, 2026, 11, 23, 9, 0), true, at(sh, 2026, 11, 23, 9, 0)},
		{"a second before opening", acme, at(sh, 2026, 11, 23, 9, 0).Add(-sec), false, at(sh, 2026, 11, 23, 9, 0)},
		{"last second before lunch", acme, at(sh, 2026, 11, 23, 12, 0).Add(-sec), true, at(sh, 2026, 11, 23, 12, 0).Add(-sec)},
		{"exact lunch closing", acme, at(sh, 2026, 11, 23, 12, 0), false, at(sh, 2026, 11, 23, 13, 30)},
		{"lunch", acme, at(sh, 2026, 11, 23, 12, 45), false, at(sh, 2026, 11, 23, 13, 30)},
		{"exact evening closing", acme, at(sh, 2026, 11, 23, 18, 30), false, at(sh, 2026, 11, 24, 9, 0)},
		{"night", acme, at(sh, 2026, 11, 23, 23, 59), false, at(sh, 2026, 11, 24, 9, 0)},
		{"Saturday", acme, at(sh, 2026, 11, 28, 10, 0), false, at(sh, 2026, 11, 30, 9, 0)},
		{"eve of 国庆", acme, at(sh, 2026, 9, 30, 20, 0), false, at(sh, 2026, 10, 8, 9, 0)},
		{"国庆 without the holiday set", plain, at(sh, 2026, 10, 1, 10, 0), true, at(sh, 2026, 10, 1, 10, 0)},
		{"国庆", acme, at(sh, 2026, 10, 1, 10, 0), false, at(sh, 2026, 10, 8, 9, 0)},
		{"make-up Saturday", acme, at(sh, 2026, 10, 10, 10, 0), true, at(sh, 2026, 10, 10, 10, 0)},
		{"before make-up Saturday", acme, at(sh, 2026, 10, 9, 19, 0), false, at(sh, 2026, 10, 10, 9, 0)},
		{"make-up Saturday lunch", acme, at(sh, 2026, 10, 10, 12, 30), false, at(sh, 2026, 10, 10, 13, 30)},
		{"holiday closes an every-day calendar", globex, at(sh, 2026, 10, 1, 9, 0), false, at(sh, 2026, 10, 8, 8, 0)},
		{"every-day calendar on an ordinary Sunday", globex, at(sh, 2026, 11, 29, 9, 0), true, at(sh, 2026, 11, 29, 9, 0)},
		{"make-up Sunday takes Tuesday's hours when Monday is closed", mondayless, at(sh, 2026, 9, 20, 9, 30), false, at(sh, 2026, 9, 20, 10, 0)},
		{"春节 2026", acme, at(sh, 2026, 2, 14, 19, 0), false, at(sh, 2026, 2, 24, 9, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.c.IsOpen(tc.t); got != tc.open {
				t.Errorf("IsOpen = %v, want %v", got, tc.open)
			}
			if got := tc.c.NextOpening(tc.t); !got.Equal(tc.next) {
				t.Errorf("NextOpening = %v, want %v", got.In(sh), tc.next)
			}
		})
	}
}

// Wall-clock ranges on the days the clocks change: the range keeps its wall
// times, so it is an hour shorter in spring and an hour longer in autumn.
func TestDSTDays(t *testing.T) {
	berlin := zone(t, "Europe/Berlin")
	night := mustCal(t, berlin, everyDay(bizclock.Range{From: hm(1, 0), To: hm(4, 0)}), nil)
	inGap := mustCal(t, berlin, everyDay(bizclock.Range{From: hm(2, 30), To: hm(5, 0)}), nil)
	utc := func(y int, mo time.Month, d, h, mi int) time.Time { return time.Date(y, mo, d, h, mi, 0, 0, time.UTC) }

	// 29 March 2026: 02:00 CET becomes 03:00 CEST (01:00Z).
	if got := night.Elapsed(at(berlin, 2026, 3, 29, 0, 0), at(berlin, 2026, 3, 30, 0, 0)); got != 2*time.Hour {
		t.Errorf("spring day open %v, want 2h", got)
	}
	if got := night.Elapsed(at(berlin, 2026, 3, 28, 0, 0), at(berlin, 2026, 3, 29, 0, 0)); got != 3*time.Hour {
		t.Errorf("ordinary day open %v, want 3h", got)
	}
	if got, _ := night.AddBusiness(at(berlin, 2026, 3, 29, 0, 30), 2*time.Hour); !got.Equal(utc(2026, 3, 29, 2, 0)) {
		t.Errorf("spring: due %v, want 04:00 CEST", got.UTC())
	}
	if got, _ := night.AddBusiness(at(berlin, 2026, 3, 29, 0, 30), 2*time.Hour+time.Minute); !got.Equal(utc(2026, 3, 29, 23, 1)) {
		t.Errorf("spring +1m: due %v, want 01:01 CEST next day", got.UTC())
	}
	if got := inGap.NextOpening(at(berlin, 2026, 3, 29, 0, 0)); !got.Equal(utc(2026, 3, 29, 1, 0)) {
		t.Errorf("opening inside the skipped hour: %v, want 03:00 CEST", got.UTC())
	}
	if got := inGap.Elapsed(at(berlin, 2026, 3, 29, 0, 0), at(berlin, 2026, 3, 30, 0, 0)); got != 2*time.Hour {
		t.Errorf("range starting in the skipped hour is open %v, want 2h", got)
	}

	// 25 October 2026: 03:00 CEST becomes 02:00 CET (01:00Z).
	if got := night.Elapsed(at(berlin, 2026, 10, 25, 0, 0), at(berlin, 2026, 10, 26, 0, 0)); got != 4*time.Hour {
		t.Errorf("autumn day open %v, want 4h", got)
	}
	if got, _ := night.AddBusiness(at(berlin, 2026, 10, 25, 0, 0), 3*time.Hour+30*time.Minute); !got.Equal(utc(2026, 10, 25, 2, 30)) {
		t.Errorf("autumn: due %v, want 03:30 CET", got.UTC())
	}
	if !night.IsOpen(utc(2026, 10, 25, 0, 30)) || !night.IsOpen(utc(2026, 10, 25, 1, 30)) {
		t.Error("both 02:30s of the autumn night are inside 01:00–04:00")
	}

	// New York office hours across both changes of 2026.
	ny := zone(t, "America/New_York")
	var w bizclock.Week
	for d := time.Monday; d <= time.Friday; d++ {
		w[d] = []bizclock.Range{{From: hm(9, 0), To: hm(17, 0)}}
	}
	office := mustCal(t, ny, w, nil)
	if got, _ := office.AddBusiness(at(ny, 2026, 3, 6, 16, 50), 30*time.Minute); !got.Equal(utc(2026, 3, 9, 13, 20)) {
		t.Errorf("NY spring: due %v, want 09:20 EDT (13:20Z)", got.UTC())
	}
	if got, _ := office.AddBusiness(at(ny, 2026, 10, 30, 16, 50), 30*time.Minute); !got.Equal(utc(2026, 11, 2, 14, 20)) {
		t.Errorf("NY autumn: due %v, want 09:20 EST (14:20Z)", got.UTC())
	}
}
