package bizclock

import (
	"slices"
	"time"
)

// Pause stops a clock between From and To; a zero To means still paused.
type Pause struct {
	From, To time.Time
	Reason   string
}

// normPauses sorts and merges pauses into disjoint spans; an open-ended pause
// runs to maxNanos. Pauses with a zero From or ending before they start are
// ignored: they stop nothing.
func normPauses(ps []Pause) []span {
	if len(ps) == 0 {
		return nil
	}
	out := make([]span, 0, len(ps))
	for _, p := range ps {
		if p.From.IsZero() {
			continue
		}
		sp := span{from: p.From.UnixNano(), to: maxNanos}
		if !p.To.IsZero() {
			sp.to = p.To.UnixNano()
		}
		if sp.to > sp.from {
			out = append(out, sp)
		}
	}
	slices.SortFunc(out, func(a, b span) int {
		switch {
		case a.from < b.from:
			return -1
		case a.from > b.from:
			return 1
		}
		return 0
	})
	k := 0
	for _, sp := range out {
		if k > 0 && sp.from <= out[k-1].to {
			out[k-1].to = max(out[k-1].to, sp.to)
			continue
		}
		out[k] = sp
		k++
	}
	return out[:k]
}

// AddBusiness is the instant when d of open time (minus pauses) has passed
// since t. ok is false when an open-ended pause means there is no deadline
// yet (or the calendar never opens). A due time that falls exactly at a
// closing is that closing instant, not the next opening. d <= 0 gives t.
func (c *Calendar) AddBusiness(t time.Time, d time.Duration, pauses ...Pause) (due time.Time, ok bool) {
	if d <= 0 {
		return t, true
	}
	if c == nil || c.loc == nil {
		return time.Time{}, false
	}
	ps := normPauses(pauses)
	cur := c.cursor(t.UnixNano())
	rem := int64(d)
	j := 0
	for {
		sp, ok := cur.next()
		if !ok {
			return time.Time{}, false
		}
		a := sp.from
		for a < sp.to {
			for j < len(ps) && ps[j].to <= a {
				j++
			}
			b := sp.to
			if j < len(ps) && ps[j].from < b {
				if ps[j].from <= a {
					if ps[j].to == maxNanos {
						return time.Time{}, false
					}
					a = ps[j].to
					continue
				}
				b = ps[j].from
			}
			if b-a >= rem {
				return time.Unix(0, a+rem).In(t.Location()), true
			}
			rem -= b - a
			a = b
		}
	}
}

// Elapsed is the open time (minus pauses) between from and to (0 if to <= from).
func (c *Calendar) Elapsed(from, to time.Time, pauses ...Pause) time.Duration {
	if c == nil || c.loc == nil || !to.After(from) {
		return 0
	}
	ps := normPauses(pauses)
	end := to.UnixNano()
	cur := c.cursor(from.UnixNano())
	var total int64
	j := 0
	for {
		sp, ok := cur.next()
		if !ok || sp.from >= end {
			return time.Duration(total)
		}
		sp.to = min(sp.to, end)
		a := sp.from
		for a < sp.to {
			for j < len(ps) && ps[j].to <= a {
				j++
			}
			b := sp.to
			if j < len(ps) && ps[j].from < b {
				if ps[j].from <= a {
					a = min(ps[j].to, sp.to)
					continue
				}
				b = ps[j].from
			}
			total += b - a
			a = b
		}
	}
}
