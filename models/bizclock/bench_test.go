package bizclock_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models/bizclock"
)

// sink keeps results alive so the compiler cannot drop the work.
var sink time.Time

// BenchmarkAdd15BusinessMinutes is the first-response deadline on the Acme
// calendar (two ranges a day, mainland holidays) from 1,024 creation instants
// spread over 2026: open, lunch, nights, weekends and holidays alike.
func BenchmarkAdd15BusinessMinutes(b *testing.B) {
	sh := zone(b, "Asia/Shanghai")
	c := mustCal(b, sh, acmeWeek(), bizclock.MainlandChina())
	r := rand.New(rand.NewPCG(15, 15))
	starts := make([]time.Time, 1024)
	base := at(sh, 2026, 1, 1, 0, 0)
	for i := range starts {
		starts[i] = base.Add(time.Duration(r.Int64N(int64(365 * 24 * time.Hour))))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		sink, _ = c.AddBusiness(starts[i&1023], 15*time.Minute)
	}
}

// BenchmarkAdd15BusinessMinutesInsideHours is the common case: created while open.
func BenchmarkAdd15BusinessMinutesInsideHours(b *testing.B) {
	sh := zone(b, "Asia/Shanghai")
	c := mustCal(b, sh, acmeWeek(), bizclock.MainlandChina())
	t := at(sh, 2026, 11, 23, 10, 7)
	b.ReportAllocs()
	for b.Loop() {
		sink, _ = c.AddBusiness(t, 15*time.Minute)
	}
}

// BenchmarkAdd15BusinessMinutesWorstCase starts on the Friday evening before
// a 16-day closure (a week-long holiday bridged by a second one), with a
// pause across part of it, in a zone with DST.
func BenchmarkAdd15BusinessMinutesWorstCase(b *testing.B) {
	berlin := zone(b, "Europe/Berlin")
	off := map[bizclock.Date]string{}
	for d := (bizclock.Date{Year: 2026, Month: time.October, Day: 12}); d.Before(bizclock.Date{Year: 2026, Month: time.October, Day: 26}); d = d.AddDays(1) {
		off[d] = "Herbstferien"
	}
	c := mustCal(b, berlin, acmeWeek(), bizclock.NewHolidaySet(off, nil))
	t := at(berlin, 2026, 10, 9, 18, 29) // Friday, a minute before closing
	pause := bizclock.Pause{From: at(berlin, 2026, 10, 9, 20, 0), To: at(berlin, 2026, 10, 26, 9, 5)}
	want := at(berlin, 2026, 10, 26, 9, 19) // 1 minute on Friday, 14 after the pause
	if got, _ := c.AddBusiness(t, 15*time.Minute, pause); !got.Equal(want) {
		b.Fatalf("got %v, want %v", got, want)
	}
	b.ReportAllocs()
	for b.Loop() {
		sink, _ = c.AddBusiness(t, 15*time.Minute, pause)
	}
}

// BenchmarkAdd15BusinessMinutesAcrossGoldenWeek starts at the closing
// instant on the eve of 国庆 2026 (open again eight days later).
func BenchmarkAdd15BusinessMinutesAcrossGoldenWeek(b *testing.B) {
	sh := zone(b, "Asia/Shanghai")
	c := mustCal(b, sh, acmeWeek(), bizclock.MainlandChina())
	t := at(sh, 2026, 9, 30, 18, 30)
	b.ReportAllocs()
	for b.Loop() {
		sink, _ = c.AddBusiness(t, 15*time.Minute)
	}
}

// BenchmarkElapsedYear measures the open time of a whole year (2026) on the
// mainland calendar: the cost of a long span, a day at a time.
func BenchmarkElapsedYear(b *testing.B) {
	sh := zone(b, "Asia/Shanghai")
	c := mustCal(b, sh, acmeWeek(), bizclock.MainlandChina())
	from, to := at(sh, 2026, 1, 1, 0, 0), at(sh, 2027, 1, 1, 0, 0)
	var d time.Duration
	b.ReportAllocs()
	for b.Loop() {
		d = c.Elapsed(from, to)
	}
	if d != 248*8*time.Hour {
		b.Fatal(d)
	}
}
