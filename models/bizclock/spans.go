package bizclock

import "time"

// span is an interval of instants [from, to) in Unix nanoseconds: the engine
// works on integers and only builds time.Time values at its edges.
type span struct{ from, to int64 }

const maxNanos = int64(^uint64(0) >> 1)

// horizonDays bounds how far past the last special day (and the last opening
// found) a search goes: after the holiday data ends the week repeats, so a
// calendar that has not opened in that long never will.
const horizonDays = 15

// cursor walks a calendar's opening spans forward from an instant, a day at a
// time: closed days (weekends, weeks of holidays) cost one table lookup each,
// never a minute-by-minute scan.
type cursor struct {
	c      *Calendar
	pos    int64 // nothing before pos is returned
	day    int   // the civil day whose spans are loaded
	n, i   int   // spans loaded, next to return
	buf    [6]span
	spill  []span // a day with more ranges than buf holds
	last   int    // last day with an opening, for the horizon
	limit  int
	zone   zoneCache
	primed bool
}

// zoneCache remembers one zone period (offset and its bounds, in seconds) so
// consecutive days in the same period skip the zone lookup.
type zoneCache struct {
	from, to int64 // [from, to) in Unix seconds; to = maxNanos when open-ended
	off      int64
	ok       bool
}

// cursor is returned by value so it stays on the caller's stack.
func (c *Calendar) cursor(pos int64) cursor {
	day := civilDay(pos, c.loc)
	return cursor{c: c, pos: pos, day: day, last: day, limit: max(day, c.holidays.lastSpecial())}
}

// civilDay is the day number of the wall-clock date of instant ns in loc.
func civilDay(ns int64, loc *time.Location) int {
	_, off := time.Unix(0, ns).In(loc).Zone()
	s := floorDiv(ns, 1e9) + int64(off)
	return int(floorDiv(s, 86400))
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// next returns the next opening span, clipped so it starts no earlier than
// the cursor's position; ok is false when the calendar never opens again.
func (cur *cursor) next() (span, bool) {
	if !cur.primed {
		cur.load(cur.day)
		cur.primed = true
	}
	for {
		for cur.i < cur.n {
			var sp span
			if cur.spill != nil {
				sp = cur.spill[cur.i]
			} else {
				sp = cur.buf[cur.i]
			}
			cur.i++
			if sp.to <= cur.pos {
				continue
			}
			if sp.from < cur.pos {
				sp.from = cur.pos
			}
			cur.pos = sp.to
			return sp, true
		}
		cur.day++
		if cur.day > max(cur.last, cur.limit)+horizonDays {
			return span{}, false
		}
		cur.load(cur.day)
	}
}

// load converts the day's wall-clock ranges to instants. A range boundary at
// minute m is the first instant the wall clock reads m or later that day: on
// a spring-forward day 02:00–03:00 does not exist and a range across it is an
// hour shorter; on a fall-back day it is an hour longer. The spans live in
// the cursor's own array (no allocation) unless the day has many ranges.
func (cur *cursor) load(n int) {
	cur.n, cur.i, cur.spill = 0, 0, nil
	rs := cur.c.rangesOn(n)
	if len(rs) == 0 {
		return
	}
	out := cur.buf[:]
	if len(rs) > len(cur.buf) {
		cur.spill = make([]span, len(rs))
		out = cur.spill
	}
	base := int64(n) * 86400
	if off, ok := cur.wholeDayOffset(base); ok {
		for i, r := range rs {
			out[i] = span{
				from: (base + int64(r.From)*60 - off) * 1e9,
				to:   (base + int64(r.To)*60 - off) * 1e9,
			}
		}
	} else {
		d := dateOfNum(n)
		for i, r := range rs {
			out[i] = span{from: wallInstant(d, r.From, cur.c.loc), to: wallInstant(d, r.To, cur.c.loc)}
		}
	}
	// Keep spans strictly ordered and drop empty ones (a range inside a
	// skipped hour).
	k := 0
	for _, sp := range out[:len(rs)] {
		if k > 0 && sp.from < out[k-1].to {
			sp.from = out[k-1].to
		}
		if sp.to > sp.from {
			out[k] = sp
			k++
		}
	}
	cur.n = k
	if k > 0 {
		cur.last = n
	}
}

// wholeDayOffset returns the zone offset when one zone period covers the
// whole civil day starting at wall second base, which is every day but the
// few a year when the clocks change.
func (cur *cursor) wholeDayOffset(base int64) (int64, bool) {
	z := &cur.zone
	if z.ok {
		if s0 := base - z.off; z.covers(s0) {
			return z.off, true
		}
	}
	probe := time.Unix(base+43200, 0).In(cur.c.loc)
	_, off := probe.Zone()
	zs, ze := probe.ZoneBounds()
	z.off, z.from, z.to, z.ok = int64(off), minSecs, maxNanos, true
	if !zs.IsZero() {
		z.from = zs.Unix()
	}
	if !ze.IsZero() {
		z.to = ze.Unix()
	}
	return z.off, z.covers(base - z.off)
}

// covers reports whether a day starting at instant s0 (seconds) can use the
// period's offset throughout. The period must start a margin earlier: after a
// fall-back the wall clock read the day's first hours before the change too.
// It must end after the day's end, since a change exactly at midnight moves
// where the day ends.
func (z *zoneCache) covers(s0 int64) bool {
	return (z.from == minSecs || z.from+fallBackMargin <= s0) && s0+86400 < z.to
}

// fallBackMargin exceeds any clock change ever used (double summer time: 2h).
const fallBackMargin = 3 * 3600

const minSecs = -maxNanos - 1

// wallInstant is the first instant, in Unix nanoseconds, at which the wall
// clock in loc reads date d at minute m or later.
func wallInstant(d Date, m int, loc *time.Location) int64 {
	want := (int64(d.num())*86400 + int64(m)*60)
	t := time.Date(d.Year, d.Month, d.Day, m/60, m%60, 0, 0, loc)
	_, off := t.Zone()
	got := t.Unix() + int64(off)
	switch {
	case got == want:
		// The wall time exists; on a fall-back day it may exist twice and
		// the earlier one is wanted.
		start, _ := t.ZoneBounds()
		if !start.IsZero() {
			_, prevOff := start.Add(-time.Second).Zone()
			if u := want - int64(prevOff); u < start.Unix() && u < t.Unix() {
				return u * 1e9
			}
		}
		return t.UnixNano()
	case got > want:
		// Inside a skipped hour; time.Date chose the later side: the first
		// instant past the gap is where its zone period starts.
		start, _ := t.ZoneBounds()
		return start.UnixNano()
	default:
		_, end := t.ZoneBounds()
		return end.UnixNano()
	}
}
