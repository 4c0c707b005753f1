package orders

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// hourSplit cuts a time range [From, To) the way timeSplit does, one grain
// finer: whole UTC hours [hourLo, hourHi) ("YYYY-MM-DD HH", the first 13
// characters of ordered_at's stored form, so the keys split the rows exactly
// where order_totals_time's substr(ordered_at, 1, 13) does), answered by the
// rollup, and the partial hours at its ends, read from the rows. As with
// days, the first hour is always read from the rows.
type hourSplit struct {
	rowsOnly       bool   // the range spans two clock hours or fewer
	hourLo, hourHi string // "" = open on that side
}

const hourKey = "2006-01-02 15"

func splitHours(from, to time.Time) hourSplit {
	var h hourSplit
	if !from.IsZero() {
		h.hourLo = from.UTC().Truncate(time.Hour).Add(time.Hour).Format(hourKey)
	}
	if !to.IsZero() {
		h.hourHi = to.UTC().Truncate(time.Hour).Format(hourKey)
	}
	h.rowsOnly = h.hourLo != "" && h.hourHi != "" && h.hourLo >= h.hourHi
	return h
}

// days are the whole UTC days [lo, hi) ("YYYY-MM-DD") inside the whole
// hours; "" is open on that side.
func (h hourSplit) days() (lo, hi string) {
	if h.hourLo != "" {
		lo = h.hourLo[:10]
		if h.hourLo[11:] != "00" {
			d, _ := time.Parse(time.DateOnly, lo)
			lo = d.AddDate(0, 0, 1).Format(time.DateOnly)
		}
	}
	if h.hourHi != "" {
		hi = h.hourHi[:10]
	}
	return lo, hi
}

// timeTotals are the queries whose sums are the totals of a filter that is
// a time range only (no dimension, order id or customer), through agg (a
// rollup's query per merchant and currency, see measure).
func (s Service) timeTotals(ctx context.Context, t target, f Filter, h hourSplit, agg func(string) *gorm.DB) []*gorm.DB {
	grain := func(g, lo, hi string) *gorm.DB {
		q := agg("order_totals_time").Where("a.grain = ?", g)
		if lo != "" {
			q = q.Where("a.bucket >= ?", lo)
		} else {
			q = q.Where("a.bucket > ''") // never the lines without a time
		}
		if hi != "" {
			q = q.Where("a.bucket < ?", hi)
		}
		return q
	}
	var qs []*gorm.DB
	dLo, dHi := h.days()
	if dLo != "" && dHi != "" && dLo >= dHi {
		qs = append(qs, grain("h", h.hourLo, h.hourHi))
	} else {
		qs = append(qs, grain("d", dLo, dHi))
		if h.hourLo != "" && h.hourLo < dLo+" 00" {
			qs = append(qs, grain("h", h.hourLo, dLo+" 00"))
		}
		if h.hourHi != "" && dHi+" 00" < h.hourHi {
			qs = append(qs, grain("h", dHi+" 00", h.hourHi))
		}
	}
	// The partial hours at the ends, each with its own bounds only (see
	// measure).
	if !f.From.IsZero() {
		e := f
		e.To = time.Time{}
		qs = append(qs, rowTotals(s.rows(ctx, t, e).Where("l.ordered_at < ?", h.hourLo)))
	}
	if !f.To.IsZero() {
		e := f
		e.From = time.Time{}
		qs = append(qs, rowTotals(s.rows(ctx, t, e).Where("l.ordered_at >= ?", h.hourHi)))
	}
	return qs
}
