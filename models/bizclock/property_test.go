package bizclock_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models/bizclock"
)

// Zones for random calendars: no DST, half-hour offsets, DST at 02:00/03:00,
// a 30-minute DST shift (Lord Howe) and changes at midnight (Santiago).
var propertyZones = []string{"UTC", "Asia/Shanghai", "Asia/Kolkata", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "America/Santiago"}

type randomCal struct {
	loc      *time.Location
	week     bizclock.Week
	holidays *bizclock.HolidaySet
	cal      *bizclock.Calendar
	desc     string
}

// newRandomCal draws 0–3 ranges a day on a granularity of 5 to 60 minutes,
// sometimes on the mainland holidays, sometimes on a random set with long
// closures.
func newRandomCal(t testing.TB, r *rand.Rand) randomCal {
	t.Helper()
	zn := propertyZones[r.IntN(len(propertyZones))]
	rc := randomCal{loc: zone(t, zn)}
	step := []int{5, 15, 30, 60}[r.IntN(4)]
	for {
		for wd := range rc.week {
			rc.week[wd] = nil
			cursor := 0
			for k := r.IntN(4); k > 0; k-- {
				from := cursor + r.IntN(max(1, (1440-cursor)/step))*step
				if from >= 1440 {
					break
				}
				to := from + step*(1+r.IntN(max(1, (1440-from)/step)))
				to = min(to, 1440)
				rc.week[wd] = append(rc.week[wd], bizclock.Range{From: from, To: to})
				cursor = to
			}
		}
		var err error
		switch r.IntN(3) {
		case 0:
			rc.holidays = nil
		case 1:
			rc.holidays = bizclock.MainlandChina()
		default:
			off, work := map[bizclock.Date]string{}, map[bizclock.Date]string{}
			d := bizclock.Date{Year: 2025, Month: time.January, Day: 1}
			for i := 0; i < 40; i++ {
				d = d.AddDays(r.IntN(40))
				for k := r.IntN(20); k >= 0; k-- { // closures up to three weeks
					off[d] = "x"
					d = d.AddDays(1)
				}
				if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
					work[d] = "y"
				}
			}
			rc.holidays = bizclock.NewHolidaySet(off, work)
		}
		rc.cal, err = bizclock.NewCalendar(rc.loc, rc.week, rc.holidays)
		if err == nil {
			rc.desc = fmt.Sprintf("%s %v holidays=%v", zn, rc.week, rc.holidays != nil)
			return rc
		}
	}
}

func randomInstant(r *rand.Rand) time.Time {
	lo := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	hi := time.Date(2027, 12, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	return time.Unix(0, lo+r.Int64N(hi-lo)).UTC()
}

func randomPauses(r *rand.Rand, t time.Time) []bizclock.Pause {
	var ps []bizclock.Pause
	for k := r.IntN(4); k > 0; k-- {
		from := t.Add(time.Duration(r.Int64N(int64(10*24*time.Hour))) - 2*24*time.Hour)
		p := bizclock.Pause{From: from, To: from.Add(time.Duration(r.Int64N(int64(4 * 24 * time.Hour))))}
		if r.IntN(8) == 0 {
			p.To = time.Time{}
		}
		ps = append(ps, p)
	}
	return ps
}

// Elapsed(t, AddBusiness(t, d)) == d, and no earlier instant reaches d.
func TestPropertyElapsedOfAddIsD(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 2026))
	samples := 0
	for i := 0; i < 400; i++ {
		rc := newRandomCal(t, r)
		for j := 0; j < 25; j++ {
			start := randomInstant(r)
			d := time.Duration(r.Int64N(int64(60 * time.Hour)))
			ps := randomPauses(r, start)
			due, ok := rc.cal.AddBusiness(start, d, ps...)
			if !ok {
				// Only an open-ended pause may withhold a deadline, and then
				// the open time before it must fall short of d.
				open := false
				for _, p := range ps {
					open = open || p.To.IsZero()
				}
				far := start.Add(5 * 365 * 24 * time.Hour)
				if !open || rc.cal.Elapsed(start, far, ps...) >= d {
					t.Fatalf("%s: no deadline for %v + %v pauses %v", rc.desc, start, d, ps)
				}
				continue
			}
			samples++
			if got := rc.cal.Elapsed(start, due, ps...); got != d {
				t.Fatalf("%s: Elapsed(%v, %v) = %v, want %v (pauses %v)", rc.desc, start, due, got, d, ps)
			}
			if d > 0 {
				if got := rc.cal.Elapsed(start, due.Add(-1), ps...); got >= d {
					t.Fatalf("%s: %v is not the first instant reaching %v", rc.desc, due, d)
				}
			}
		}
	}
	if samples < 5000 {
		t.Fatalf("only %d samples with a deadline", samples)
	}
}

// brute is an independent minute-by-minute model of a calendar: a range on
// date D runs from the first minute the wall clock reads D at From (or
// later) to the first minute it reads D at To (or later).
type brute struct {
	rc    randomCal
	spans map[bizclock.Date][][2]int64 // per date: [from, to) in Unix seconds
}

func (b *brute) rangesOn(d bizclock.Date) []bizclock.Range {
	if b.rc.holidays.IsOff(d) {
		return nil
	}
	if b.rc.holidays.IsMakeup(d) {
		for i := 1; i <= 7; i++ {
			if rs := b.rc.week[i%7]; len(rs) > 0 {
				return rs
			}
		}
	}
	return b.rc.week[d.Weekday()]
}

func (b *brute) firstWall(d bizclock.Date, m int) time.Time {
	want := time.Date(d.Year, d.Month, d.Day, 0, m, 0, 0, time.UTC) // wall time as if UTC
	u := want.Add(-16 * time.Hour)
	for {
		w := u.In(b.rc.loc)
		wall := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), 0, 0, time.UTC)
		if !wall.Before(want) {
			break
		}
		u = u.Add(time.Minute)
	}
	return u
}

func (b *brute) open(u time.Time) bool {
	d := bizclock.DateOf(u, b.rc.loc)
	s := u.Unix()
	for k := -1; k <= 1; k++ {
		dd := d.AddDays(k)
		sp, ok := b.spans[dd]
		if !ok {
			for _, r := range b.rangesOn(dd) {
				sp = append(sp, [2]int64{b.firstWall(dd, r.From).Unix(), b.firstWall(dd, r.To).Unix()})
			}
			b.spans[dd] = sp
		}
		for _, x := range sp {
			if x[0] <= s && s < x[1] {
				return true
			}
		}
	}
	return false
}

// The engine agrees with the brute-force model on minute-aligned inputs,
// across all the zones above, DST days included.
func TestAgreesWithMinuteByMinuteModel(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 2026))
	for i := 0; i < 150; i++ {
		rc := newRandomCal(t, r)
		b := &brute{rc: rc, spans: map[bizclock.Date][][2]int64{}}
		for j := 0; j < 8; j++ {
			start := randomInstant(r).Truncate(time.Minute)
			if j%2 == 0 { // land on a DST change now and then
				start = time.Date(2026, []time.Month{3, 4, 9, 10, 11}[r.IntN(5)], 1+r.IntN(28), r.IntN(24), 0, 0, 0, rc.loc).Truncate(time.Minute)
			}
			mins := 1 + r.IntN(600)
			var pause []bizclock.Pause
			pf := start.Add(time.Duration(r.IntN(3000)) * time.Minute)
			pt := pf.Add(time.Duration(r.IntN(3000)) * time.Minute)
			if r.IntN(2) == 0 {
				pause = []bizclock.Pause{{From: pf, To: pt}}
			}
			paused := func(u time.Time) bool { return len(pause) > 0 && !u.Before(pf) && u.Before(pt) }

			// Walk minute by minute: the first open minute, and the end of the
			// mins-th open unpaused minute.
			var firstOpen, due time.Time
			count := 0
			for u := start; u.Before(start.Add(90 * 24 * time.Hour)); u = u.Add(time.Minute) {
				o := b.open(u)
				if o && firstOpen.IsZero() {
					firstOpen = u
				}
				if o && !paused(u) {
					count++
					if count == mins {
						due = u.Add(time.Minute)
						break
					}
				}
			}
			if due.IsZero() {
				continue // closed for three months in the model: not comparable
			}
			if got := rc.cal.NextOpening(start); !got.Equal(firstOpen) {
				t.Fatalf("%s: NextOpening(%v) = %v, model %v", rc.desc, start, got, firstOpen)
			}
			if got := rc.cal.IsOpen(start); got != b.open(start) {
				t.Fatalf("%s: IsOpen(%v) = %v, model %v", rc.desc, start, got, !got)
			}
			got, ok := rc.cal.AddBusiness(start, time.Duration(mins)*time.Minute, pause...)
			if !ok || !got.Equal(due) {
				t.Fatalf("%s: AddBusiness(%v, %dm, %v) = %v %v, model %v", rc.desc, start, mins, pause, got, ok, due)
			}
		}
	}
}
