package bizclock

import (
	"sort"
	"time"
)

// HolidaySet is a public-holiday calendar: days off (holidays) and make-up
// workdays (调休). It is immutable once built, so one set can be shared by
// every calendar and goroutine.
type HolidaySet struct {
	// kinds is dense over [first, first+len) so the hot path is an index, not a map.
	first int
	kinds []dayKind
	names map[int]string
}

type dayKind uint8

const (
	kindNormal dayKind = iota
	kindOff
	kindMakeup
)

// Kind names the two sorts of special day in files and the database.
const (
	KindOff     = "off"
	KindWorkday = "workday"
)

// Day is one special day of a HolidaySet.
type Day struct {
	Date Date
	Kind string // KindOff or KindWorkday
	Name string
}

// NewHolidaySet builds a set from days off and make-up workdays, each with its
// holiday's name. A date in both maps counts as off: files are validated
// before they get here (see ParseHolidayFile), so this only settles a tie.
func NewHolidaySet(off, workdays map[Date]string) *HolidaySet {
	h := &HolidaySet{names: make(map[int]string, len(off)+len(workdays))}
	lo, hi, any := 0, 0, false
	for _, m := range []map[Date]string{off, workdays} {
		for d := range m {
			n := d.num()
			if !any || n < lo {
				lo = n
			}
			if !any || n > hi {
				hi = n
			}
			any = true
		}
	}
	if !any {
		return h
	}
	h.first = lo
	h.kinds = make([]dayKind, hi-lo+1)
	for d, name := range workdays {
		h.kinds[d.num()-lo] = kindMakeup
		h.names[d.num()] = name
	}
	for d, name := range off {
		h.kinds[d.num()-lo] = kindOff
		h.names[d.num()] = name
	}
	return h
}

func (h *HolidaySet) kind(n int) dayKind {
	if h == nil {
		return kindNormal
	}
	i := n - h.first
	if i < 0 || i >= len(h.kinds) {
		return kindNormal
	}
	return h.kinds[i]
}

// isWorkdayNum is IsWorkday on a day number.
func (h *HolidaySet) isWorkdayNum(n int) bool {
	switch h.kind(n) {
	case kindOff:
		return false
	case kindMakeup:
		return true
	}
	w := weekdayOf(n)
	return w != time.Saturday && w != time.Sunday
}

// IsWorkday: Monday to Friday unless a day off; Saturday and Sunday only when
// a make-up workday. A nil set means plain Monday to Friday.
func (h *HolidaySet) IsWorkday(d Date) bool { return h.isWorkdayNum(d.num()) }

// IsOff reports a public holiday (a day off).
func (h *HolidaySet) IsOff(d Date) bool { return h.kind(d.num()) == kindOff }

// IsMakeup reports a make-up workday (调休上班).
func (h *HolidaySet) IsMakeup(d Date) bool { return h.kind(d.num()) == kindMakeup }

// Name is the holiday a special day belongs to ("" for an ordinary day).
func (h *HolidaySet) Name(d Date) string {
	if h == nil {
		return ""
	}
	return h.names[d.num()]
}

// Days lists the set's special days in date order.
func (h *HolidaySet) Days() []Day {
	if h == nil {
		return nil
	}
	out := make([]Day, 0, len(h.names))
	for i, k := range h.kinds {
		if k == kindNormal {
			continue
		}
		n := h.first + i
		kind := KindOff
		if k == kindMakeup {
			kind = KindWorkday
		}
		out = append(out, Day{Date: dateOfNum(n), Kind: kind, Name: h.names[n]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date.num() < out[j].Date.num() })
	return out
}

// lastSpecial is the day number after which the set changes nothing, so
// searches past it can rely on the plain weekly pattern.
func (h *HolidaySet) lastSpecial() int {
	if h == nil || len(h.kinds) == 0 {
		return minInt
	}
	return h.first + len(h.kinds) - 1
}

const minInt = -1 << 62

// AddWorkingDays is the same wall-clock time n working days later, read in
// loc. From a non-working day the count starts at the next working day, as if
// t had happened then: Saturday 10:00 + 1 working day is Tuesday 10:00 (after
// an ordinary weekend), which leaves n whole working days to act. n <= 0 gives
// t itself on a working day, or that next working day's same time.
func (h *HolidaySet) AddWorkingDays(t time.Time, n int, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	lt := t.In(loc)
	y, m, d := lt.Date()
	day := Date{y, m, d}.num()
	start := day
	for !h.isWorkdayNum(day) {
		day++
	}
	for i := 0; i < n; i++ {
		day++
		for !h.isWorkdayNum(day) {
			day++
		}
	}
	if day == start {
		return t
	}
	nd := dateOfNum(day)
	hh, mm, ss := lt.Clock()
	return time.Date(nd.Year, nd.Month, nd.Day, hh, mm, ss, lt.Nanosecond(), loc)
}

// AddNaturalDays is n×24 hours after t.
func AddNaturalDays(t time.Time, n int) time.Time {
	return t.Add(time.Duration(n) * 24 * time.Hour)
}
