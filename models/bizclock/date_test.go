package bizclock_test

import (
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models/bizclock"
)

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bizclock.Date
		ok   bool
	}{
		{"2026-10-01", bizclock.Date{Year: 2026, Month: time.October, Day: 1}, true},
		{"2024-02-29", bizclock.Date{Year: 2024, Month: time.February, Day: 29}, true},
		{"2025-02-29", bizclock.Date{}, false},
		{"2025-02-30", bizclock.Date{}, false},
		{"2025-13-01", bizclock.Date{}, false},
		{"2025-1-01", bizclock.Date{}, false},
		{"20250101", bizclock.Date{}, false},
		{"", bizclock.Date{}, false},
	} {
		got, err := bizclock.ParseDate(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
		if tc.ok && got.String() != tc.in {
			t.Errorf("String() = %q, want %q", got.String(), tc.in)
		}
	}
}

// The engine's own day arithmetic must agree with the time package for every
// day over a long span, weekdays included.
func TestDateArithmeticAgreesWithTimePackage(t *testing.T) {
	start := time.Date(1960, 1, 1, 12, 0, 0, 0, time.UTC)
	base := bizclock.Date{Year: 1960, Month: time.January, Day: 1}
	for i := 0; i < 366*120; i += 7 {
		want := start.AddDate(0, 0, i)
		got := base.AddDays(i)
		if got.Year != want.Year() || got.Month != want.Month() || got.Day != want.Day() || got.Weekday() != want.Weekday() {
			t.Fatalf("day %d: got %v %v, want %v", i, got, got.Weekday(), want)
		}
	}
}

func TestDateOfReadsTheZonesWallClock(t *testing.T) {
	sh := zone(t, "Asia/Shanghai")
	ny := zone(t, "America/New_York")
	u := time.Date(2026, 10, 1, 20, 0, 0, 0, time.UTC) // 04:00 on 2 Oct in Shanghai, 16:00 on 1 Oct in New York
	if got := bizclock.DateOf(u, sh).String(); got != "2026-10-02" {
		t.Errorf("Shanghai: %s", got)
	}
	if got := bizclock.DateOf(u, ny).String(); got != "2026-10-01" {
		t.Errorf("New York: %s", got)
	}
}
