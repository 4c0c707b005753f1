package debugger

import (
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models/bizclock"
)

// sh is a wall-clock time in Asia/Shanghai.
func sh(day, hour, minute int) time.Time {
	return time.Date(2026, 11, day, hour, minute, 0, 0, bizclock.Shanghai)
}

// runs builds one run per (day, ok) at the given local hour.
func runsAt(hour int, days map[int][]bool) []DialPoint {
	var out []DialPoint
	for d, oks := range days {
		for i, ok := range oks {
			out = append(out, DialPoint{At: sh(d, hour, i), OK: ok})
		}
	}
	return out
}

func TestFailingDays(t *testing.T) {
	fail, pass := false, true
	cases := []struct {
		name   string
		runs   []DialPoint
		now    time.Time
		from   *time.Time
		streak int
		freeze bool
	}{
		{"five failing days freeze", runsAt(10, map[int][]bool{1: {fail}, 2: {fail}, 3: {fail}, 4: {fail}, 5: {fail}}),
			sh(5, 16, 0), nil, 5, true},
		{"four failing days do not", runsAt(10, map[int][]bool{2: {fail}, 3: {fail}, 4: {fail}, 5: {fail}}),
			sh(5, 16, 0), nil, 4, false},
		{"a passing day resets the streak", runsAt(10, map[int][]bool{1: {fail}, 2: {fail}, 3: {pass}, 4: {fail}, 5: {fail}, 6: {fail}, 7: {fail}}),
			sh(7, 16, 0), nil, 4, false},
		{"the reset streak reaches five later", runsAt(10, map[int][]bool{1: {fail}, 2: {fail}, 3: {pass}, 4: {fail}, 5: {fail}, 6: {fail}, 7: {fail}, 8: {fail}}),
			sh(8, 16, 0), nil, 5, true},
		{"one passing run makes the day pass", runsAt(10, map[int][]bool{1: {fail}, 2: {fail}, 3: {fail, pass}, 4: {fail}, 5: {fail}}),
			sh(5, 16, 0), nil, 2, false},
		{"days without runs do not break the streak", runsAt(10, map[int][]bool{1: {fail}, 2: {fail}, 4: {fail}, 7: {fail}, 9: {fail}}),
			sh(9, 16, 0), nil, 5, true},
		{"today's morning failure is undecided before the last slot", runsAt(10, map[int][]bool{1: {fail}, 2: {fail}, 3: {fail}, 4: {fail}, 5: {fail}}),
			sh(5, 11, 0), nil, 4, false},
		{"today's morning pass decides at once", runsAt(10, map[int][]bool{1: {fail}, 2: {fail}, 3: {fail}, 4: {fail}, 5: {fail}, 6: {pass}}),
			sh(6, 11, 0), nil, 0, false},
		{"runs before a reversal are ignored", runsAt(10, map[int][]bool{1: {fail}, 2: {fail}, 3: {fail}, 4: {fail}, 5: {fail}, 6: {fail}}),
			sh(6, 16, 0), ptr(sh(4, 12, 0)), 2, false},
		{"runs after now are ignored", runsAt(10, map[int][]bool{1: {fail}, 2: {fail}, 3: {fail}, 4: {fail}, 5: {fail}}),
			sh(4, 16, 0), nil, 4, false},
		{"no runs, no streak", nil, sh(5, 16, 0), nil, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := FailingDays(tc.runs, tc.now, tc.from); got != tc.streak {
				t.Errorf("FailingDays = %d, want %d", got, tc.streak)
			}
			if got := FreezeDue(tc.runs, tc.now, tc.from); got != tc.freeze {
				t.Errorf("FreezeDue = %v, want %v", got, tc.freeze)
			}
		})
	}
}

func TestFailingDaysCountShanghaiDays(t *testing.T) {
	// 23:30 and 00:30 local are one UTC day but two Shanghai days: the pass
	// after midnight does not rescue the failing evening before it.
	runs := []DialPoint{
		{At: sh(20, 23, 30), OK: false},
		{At: sh(21, 0, 30), OK: true},
	}
	if sh(20, 23, 30).UTC().YearDay() != sh(21, 0, 30).UTC().YearDay() {
		t.Fatal("fixture: both runs should share a UTC day")
	}
	if got := FailingDays(runs, sh(21, 1, 0), nil); got != 0 {
		t.Fatalf("after the passing run: %d", got)
	}
	var five []DialPoint
	for d := 16; d <= 20; d++ {
		five = append(five, DialPoint{At: sh(d, 23, 30), OK: false}, DialPoint{At: sh(d+1, 0, 10), OK: false})
	}
	// Six local days have failing runs (16th–21st, the 21st only after midnight).
	if got := FailingDays(five, sh(21, 16, 0), nil); got != 6 {
		t.Fatalf("late-evening failures: %d failing days, want 6", got)
	}
}

func TestFailingDaysLookback(t *testing.T) {
	// Four failing days long ago and one now are not five in a row.
	runs := runsAt(10, map[int][]bool{1: {false}, 2: {false}, 3: {false}, 4: {false}})
	now := sh(4, 16, 0).AddDate(0, 0, 40)
	runs = append(runs, DialPoint{At: now.Add(-6 * time.Hour), OK: false})
	if got := FailingDays(runs, now, nil); got != 1 {
		t.Fatalf("streak across the lookback: %d, want 1", got)
	}
}

func ptr(t time.Time) *time.Time { return &t }

func TestDelistRule(t *testing.T) {
	nov := func(day, hour int) time.Time { return time.Date(2026, 11, day, hour, 0, 0, 0, bizclock.Shanghai) }
	orders := func(n int, at time.Time) []FailedCreate {
		var fs []FailedCreate
		for i := 1; i <= n; i++ {
			fs = append(fs, FailedCreate{OrderRef: int64(i), At: at})
		}
		return fs
	}
	now := nov(20, 12)
	cases := []struct {
		name  string
		fs    []FailedCreate
		from  *time.Time
		count int
		due   bool
	}{
		{"five failed orders do not flag", orders(5, nov(3, 9)), nil, 5, false},
		{"six do", orders(6, nov(3, 9)), nil, 6, true},
		{"an order with two failed lines counts once", append(orders(5, nov(3, 9)), FailedCreate{OrderRef: 5, At: nov(4, 9)}), nil, 5, false},
		{"last month's failures do not count", append(orders(5, nov(3, 9)),
			FailedCreate{OrderRef: 100, At: time.Date(2026, 10, 31, 23, 0, 0, 0, bizclock.Shanghai)}), nil, 5, false},
		{"the month starts at midnight bizclock.Shanghai, not UTC", append(orders(5, nov(3, 9)),
			FailedCreate{OrderRef: 100, At: time.Date(2026, 11, 1, 0, 30, 0, 0, bizclock.Shanghai)}), nil, 6, true},
		{"failures before a cleared flag do not count", append(orders(5, nov(3, 9)),
			FailedCreate{OrderRef: 100, At: nov(15, 9)}), ptr(nov(10, 0)), 1, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := FailedOrdersThisMonth(tc.fs, now, tc.from); got != tc.count {
				t.Errorf("FailedOrdersThisMonth = %d, want %d", got, tc.count)
			}
			if got := DelistDue(tc.fs, now, tc.from); got != tc.due {
				t.Errorf("DelistDue = %v, want %v", got, tc.due)
			}
		})
	}
	// On the first of the next month the count starts over.
	if got := FailedOrdersThisMonth(orders(6, nov(3, 9)), time.Date(2026, 12, 1, 0, 5, 0, 0, bizclock.Shanghai), nil); got != 0 {
		t.Fatalf("December counts November's failures: %d", got)
	}
}

func TestNextSlot(t *testing.T) {
	cases := []struct{ now, want time.Time }{
		{sh(5, 9, 0), sh(5, 10, 0)},
		{sh(5, 10, 0), sh(5, 16, 0)},
		{sh(5, 12, 30), sh(5, 16, 0)},
		{sh(5, 16, 0), sh(6, 10, 0)},
		{sh(30, 23, 0), time.Date(2026, 12, 1, 10, 0, 0, 0, bizclock.Shanghai)},
	}
	for _, tc := range cases {
		if got := NextSlot(tc.now); !got.Equal(tc.want) {
			t.Errorf("NextSlot(%s) = %s, want %s", tc.now, got, tc.want)
		}
	}
	if SlotKey(sh(5, 16, 0).UTC()) != "2026-11-05T16" {
		t.Fatalf("slot key %q", SlotKey(sh(5, 16, 0)))
	}
}
