package bizclock_test

import (
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models/bizclock"
)

func TestMainlandChinaDays(t *testing.T) {
	h := bizclock.MainlandChina()
	for _, tc := range []struct {
		day                  string
		workday, off, makeup bool
		name                 string
	}{
		{"2025-01-01", false, true, false, "元旦"},
		{"2025-01-26", true, false, true, "春节"},  // Sunday, make-up
		{"2025-02-04", false, true, false, "春节"}, // Tuesday, 正月初七
		{"2025-02-05", true, false, false, ""},   // back to work
		{"2025-02-08", true, false, true, "春节"},  // Saturday, make-up
		{"2025-10-08", false, true, false, "国庆节、中秋节"},
		{"2025-10-11", true, false, true, "国庆节、中秋节"},
		{"2025-10-12", false, false, false, ""}, // ordinary Sunday
		{"2026-01-04", true, false, true, "元旦"}, // Sunday, make-up
		{"2026-02-14", true, false, true, "春节"},
		{"2026-02-23", false, true, false, "春节"}, // Monday, 正月初七
		{"2026-02-28", true, false, true, "春节"},
		{"2026-09-20", true, false, true, "国庆节"},
		{"2026-10-07", false, true, false, "国庆节"},
		{"2026-10-10", true, false, true, "国庆节"},
		{"2026-11-23", true, false, false, ""}, // ordinary Monday
		{"2024-10-01", true, false, false, ""}, // before the data: plain weekdays
	} {
		d := date(t, tc.day)
		if h.IsWorkday(d) != tc.workday || h.IsOff(d) != tc.off || h.IsMakeup(d) != tc.makeup || h.Name(d) != tc.name {
			t.Errorf("%s: workday=%v off=%v makeup=%v name=%q; want %v %v %v %q", tc.day,
				h.IsWorkday(d), h.IsOff(d), h.IsMakeup(d), h.Name(d), tc.workday, tc.off, tc.makeup, tc.name)
		}
	}
}

func TestNilHolidaySetIsMondayToFriday(t *testing.T) {
	var h *bizclock.HolidaySet
	for i, want := range []bool{true, true, true, true, true, false, false} { // 2026-11-23 is a Monday
		d := date(t, "2026-11-23").AddDays(i)
		if h.IsWorkday(d) != want || h.IsOff(d) || h.IsMakeup(d) {
			t.Errorf("%s: IsWorkday=%v, want %v", d, h.IsWorkday(d), want)
		}
	}
}

func TestAddWorkingDays(t *testing.T) {
	sh := zone(t, "Asia/Shanghai")
	cn := bizclock.MainlandChina()
	for _, tc := range []struct {
		name string
		h    *bizclock.HolidaySet
		from time.Time
		n    int
		want time.Time
	}{
		{"plain week", cn, at(sh, 2026, 11, 23, 10, 0), 3, at(sh, 2026, 11, 26, 10, 0)},
		{"over a weekend", cn, at(sh, 2026, 11, 27, 10, 0), 1, at(sh, 2026, 11, 30, 10, 0)},
		{"zero on a workday", cn, at(sh, 2026, 11, 24, 10, 0), 0, at(sh, 2026, 11, 24, 10, 0)},
		{"from Saturday starts Monday", cn, at(sh, 2026, 11, 28, 10, 0), 1, at(sh, 2026, 12, 1, 10, 0)},
		{"zero from Saturday is Monday", cn, at(sh, 2026, 11, 28, 10, 0), 0, at(sh, 2026, 11, 30, 10, 0)},
		// 国庆 2025: 1–8 Oct off, Sat 11 Oct a make-up day.
		{"into 国庆 2025", cn, at(sh, 2025, 9, 30, 10, 0), 1, at(sh, 2025, 10, 9, 10, 0)},
		{"国庆 2025 make-up Saturday counts", cn, at(sh, 2025, 9, 30, 10, 0), 3, at(sh, 2025, 10, 11, 10, 0)},
		{"from inside 国庆 2025", cn, at(sh, 2025, 10, 3, 15, 0), 1, at(sh, 2025, 10, 10, 15, 0)},
		{"make-up Sunday before 国庆 2025", cn, at(sh, 2025, 9, 27, 9, 0), 1, at(sh, 2025, 9, 29, 9, 0)},
		// 春节 2026: Sat 14 Feb make-up, 15–23 Feb off, Sat 28 Feb make-up.
		{"into 春节 2026 via make-up Saturday", cn, at(sh, 2026, 2, 13, 16, 0), 1, at(sh, 2026, 2, 14, 16, 0)},
		{"across 春节 2026", cn, at(sh, 2026, 2, 13, 16, 0), 2, at(sh, 2026, 2, 24, 16, 0)},
		{"five days after 春节 2026 reach its make-up Saturday", cn, at(sh, 2026, 2, 24, 9, 0), 4, at(sh, 2026, 2, 28, 9, 0)},
		{"no holidays: 国庆 is a plain week", nil, at(sh, 2025, 9, 30, 10, 0), 1, at(sh, 2025, 10, 1, 10, 0)},
		// The wall-clock time is kept, not the offset: New York changes clocks on 8 March 2026.
		{"across a DST change", nil, at(zone(t, "America/New_York"), 2026, 3, 6, 9, 0), 1, at(zone(t, "America/New_York"), 2026, 3, 9, 9, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.h.AddWorkingDays(tc.from, tc.n, tc.want.Location())
			if !got.Equal(tc.want) {
				t.Errorf("got %v, want %v", got.In(tc.want.Location()), tc.want)
			}
		})
	}
}

func TestAddNaturalDays(t *testing.T) {
	from := time.Date(2026, 3, 6, 14, 0, 0, 0, time.UTC)
	if got := bizclock.AddNaturalDays(from, 5); !got.Equal(from.Add(120 * time.Hour)) {
		t.Errorf("got %v", got)
	}
}

func TestNewHolidaySetTieCountsAsOff(t *testing.T) {
	d := date(t, "2026-12-05") // a Saturday
	h := bizclock.NewHolidaySet(map[bizclock.Date]string{d: "a"}, map[bizclock.Date]string{d: "b"})
	if !h.IsOff(d) || h.IsMakeup(d) || h.IsWorkday(d) {
		t.Errorf("off=%v makeup=%v", h.IsOff(d), h.IsMakeup(d))
	}
	if days := h.Days(); len(days) != 1 || days[0].Kind != bizclock.KindOff {
		t.Errorf("Days = %+v", days)
	}
}
