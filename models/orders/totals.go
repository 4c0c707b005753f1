package orders

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// codeKeyLen is how many characters of the order id order_totals_day keeps
// (migration 00007): "CS" and the yyMMdd of a marketplace order id;
// order_totals_month keeps 6 ("CS" and yyMM).
const codeKeyLen = 8

// filtered describes the filtered set before any of its rows is read: its
// totals, how many lines each merchant has in it, and for an order-id
// prefix the UTC days [lo, hi) its lines fall in ("" when unknown;
// marketplace order ids start with their date).
type filtered struct {
	totals      []Total
	n           int64
	perMerchant map[int64]int64
	lo, hi      string
}

// measure computes the filtered set's totals exactly. The aggregate tables
// of migration 00007 answer whole UTC months and days; the rows of the
// partial days at the ends of the range, a customer's lines and a long
// order-id prefix's lines are summed from order_lines itself (they are few:
// a day's, a customer's).
func (s Service) measure(ctx context.Context, t target, f Filter) (filtered, error) {
	var sum totalsSum
	if t.none {
		return sum.result(), nil
	}
	if t.merchants == nil {
		// Listed, so every query seeks per merchant instead of scanning a
		// whole table, and the page knows which merchants to read.
		if err := s.db.WithContext(ctx).Table("merchants").Order("id").Pluck("id", &t.merchants).Error; err != nil {
			return filtered{}, err
		}
		if len(t.merchants) == 0 {
			return sum.result(), nil
		}
	}
	dims := f.Type != "" || f.Status != "" || f.ChargingMode != "" || f.Supervision != "" || t.product != 0
	bounded := !f.From.IsZero() || !f.To.IsZero()
	if t.buyer != 0 && !dims && !bounded && f.OrderPrefix == "" {
		// A customer alone: one group per merchant and currency (00015).
		err := sum.add(s.db.WithContext(ctx).Table("order_totals_buyer AS a").
			Select("a.merchant_id AS merchant_id, a.currency AS currency, sum(a.n) AS n, sum(a.amount) AS total").
			Where("a.merchant_id IN ? AND a.buyer_ref = ?", t.merchants, t.buyer).Group("a.merchant_id, a.currency"))
		if err != nil {
			return filtered{}, err
		}
		return sum.result(), nil
	}
	if t.buyer != 0 || utf8.RuneCountInString(f.OrderPrefix) > codeKeyLen {
		if err := sum.add(rowTotals(s.rows(ctx, t, f))); err != nil {
			return filtered{}, err
		}
		return sum.result(), nil
	}
	// Per merchant and currency, each a range of the aggregate's key (see
	// order_currencies in 00007): grouped without a sort.
	agg := func(table string) *gorm.DB {
		q := s.db.WithContext(ctx).Table("order_currencies AS c").
			Joins("JOIN "+table+" AS a ON a.merchant_id = c.merchant_id AND a.currency = c.currency").
			Select("c.merchant_id AS merchant_id, c.currency AS currency, sum(a.n) AS n, sum(a.amount) AS total").
			Where("c.merchant_id IN ?", t.merchants).Group("c.merchant_id, c.currency")
		return whereDims(q, "a", f, t.product)
	}
	if bounded && !dims && f.OrderPrefix == "" {
		if h := splitHours(f.From, f.To); !h.rowsOnly {
			// A time range alone: whole days, the hours of the partial
			// days and the rows of the partial hours (00015).
			if err := sum.add(s.union(ctx, s.timeTotals(ctx, t, f, h, agg))); err != nil {
				return filtered{}, err
			}
			return sum.result(), nil
		}
	}
	r := splitRange(f.From, f.To)
	var qs []*gorm.DB
	switch {
	case r.rowsOnly:
		// Two calendar days at most: the rows are few.
	case f.OrderPrefix != "" && !r.bounded:
		// Without a time range, also the months or days the prefix's
		// lines fall in.
		sum.spans = true
		table, key, bucket := "order_totals_day", "code8", "day"
		if utf8.RuneCountInString(f.OrderPrefix) <= 6 {
			table, key, bucket = "order_totals_month", "code6", "month"
		}
		qs = append(qs, agg(table).Where("a."+key+" >= ? AND a."+key+" < ?", f.OrderPrefix, f.OrderPrefix+"\U0010FFFF").
			Select("c.merchant_id AS merchant_id, c.currency AS currency, sum(a.n) AS n, sum(a.amount) AS total, "+
				"min(a."+bucket+") AS lo, max(a."+bucket+") AS hi, sum(a."+bucket+" = '') AS timeless"))
	case f.OrderPrefix != "":
		qs = append(qs, r.days(agg("order_totals_day").Where("a.code8 >= ? AND a.code8 < ?", f.OrderPrefix, f.OrderPrefix+"\U0010FFFF"),
			r.dayLo, r.dayHi))
	case !r.bounded:
		// The whole history: its groups by the filter's dimensions only
		// (00015), as many as the catalogue gives, however long the history.
		qs = append(qs, agg("order_totals_all"))
	default:
		mLo, mHi := r.months()
		if mLo != "" && mHi != "" && mLo >= mHi {
			qs = append(qs, r.days(agg("order_totals_day"), r.dayLo, r.dayHi))
			break
		}
		q := agg("order_totals_month")
		if mLo != "" {
			q = q.Where("a.month >= ?", mLo)
		} else {
			q = q.Where("a.month > ''")
		}
		if mHi != "" {
			q = q.Where("a.month < ?", mHi)
		}
		qs = append(qs, q)
		if mLo != "" && r.dayLo < mLo+"-01" {
			qs = append(qs, r.days(agg("order_totals_day"), r.dayLo, mLo+"-01"))
		}
		if mHi != "" && mHi+"-01" < r.dayHi {
			qs = append(qs, r.days(agg("order_totals_day"), mHi+"-01", r.dayHi))
		}
	}
	// The partial days at the ends, from the rows themselves. Each edge
	// gets only its own bounds: SQLite ranges an index over one lower and
	// one upper bound, and the filter's would span the whole range.
	switch {
	case r.rowsOnly:
		qs = append(qs, rowTotals(s.rows(ctx, t, f)))
	case r.bounded:
		if !f.From.IsZero() {
			e := f
			e.To = time.Time{}
			qs = append(qs, rowTotals(s.rows(ctx, t, e).Where("l.ordered_at < ?", r.dayLo)))
		}
		if !f.To.IsZero() {
			e := f
			e.From = time.Time{}
			qs = append(qs, rowTotals(s.rows(ctx, t, e).Where("l.ordered_at >= ?", r.dayHi)))
		}
	}
	if len(qs) > 0 {
		if err := sum.add(s.union(ctx, qs)); err != nil {
			return filtered{}, err
		}
	}
	return sum.result(), nil
}

// union sums per-merchant, per-currency totals queries (merchant_id,
// currency, n, total; no spans) in one statement: one round trip and one
// scan instead of one per part.
func (s Service) union(ctx context.Context, qs []*gorm.DB) *gorm.DB {
	if len(qs) == 1 {
		return qs[0]
	}
	args := make([]any, len(qs))
	for i, q := range qs {
		args[i] = q
	}
	return s.db.WithContext(ctx).Raw("SELECT merchant_id, currency, sum(n) AS n, sum(total) AS total FROM ("+
		strings.Repeat("SELECT * FROM (?) UNION ALL ", len(qs)-1)+"SELECT * FROM (?)) GROUP BY merchant_id, currency", args...)
}

func rowTotals(q *gorm.DB) *gorm.DB {
	return q.Select("l.merchant_id AS merchant_id, l.currency AS currency, count(*) AS n, coalesce(sum(l.amount), 0) AS total").
		Group("l.merchant_id, l.currency")
}

// totalsSum adds up per-merchant, per-currency totals from several queries.
type totalsSum struct {
	by          map[string]Total
	perMerchant map[int64]int64
	spans       bool // the queries read the days their lines fall in
	lo, hi      string
	timeless    bool // some lines have no time: no window of days holds them all
}

func (s *totalsSum) add(q *gorm.DB) error {
	var ts []struct {
		MerchantID int64
		Total
		Lo, Hi   string
		Timeless int64
	}
	if err := q.Scan(&ts).Error; err != nil {
		return err
	}
	if s.by == nil {
		s.by, s.perMerchant = map[string]Total{}, map[int64]int64{}
	}
	for _, t := range ts {
		if t.Count == 0 {
			continue
		}
		if s.spans {
			if s.lo == "" || t.Lo < s.lo {
				s.lo = t.Lo
			}
			s.hi = max(s.hi, t.Hi)
			s.timeless = s.timeless || t.Timeless > 0
		}
		a := s.by[t.Currency]
		a.Currency, a.Count, a.Amount = t.Currency, a.Count+t.Count, a.Amount+t.Amount
		s.by[t.Currency] = a
		s.perMerchant[t.MerchantID] += t.Count
	}
	return nil
}

func (s *totalsSum) result() filtered {
	r := filtered{totals: make([]Total, 0, len(s.by)), perMerchant: s.perMerchant}
	for _, t := range s.by {
		r.totals = append(r.totals, t)
		r.n += t.Count
	}
	slices.SortFunc(r.totals, func(a, b Total) int { return strings.Compare(a.Currency, b.Currency) })
	if s.spans && s.lo != "" && !s.timeless {
		// Month keys ("YYYY-MM") or day keys ("YYYY-MM-DD") to days.
		if len(s.lo) == 7 {
			d, _ := time.Parse(time.DateOnly, s.hi+"-01")
			r.lo, r.hi = s.lo+"-01", d.AddDate(0, 1, 0).Format(time.DateOnly)
		} else {
			d, _ := time.Parse(time.DateOnly, s.hi)
			r.lo, r.hi = s.lo, d.AddDate(0, 0, 1).Format(time.DateOnly)
		}
	}
	return r
}

// timeSplit cuts a filter's time range [From, To) into whole UTC days
// [dayLo, dayHi), answered by the aggregates, and the partial days at its
// ends, read from the rows. The day keys are compared as text with
// ordered_at, whose stored form starts with the UTC date, so a day key
// splits the rows exactly where the aggregates' substr(ordered_at, 1, 10)
// does. The first day is always read from the rows, even when From is a
// UTC midnight: that keeps the split exact whatever the stored form of a
// midnight instant.
type timeSplit struct {
	bounded      bool   // the filter has a time range
	rowsOnly     bool   // the range spans two calendar days or fewer
	dayLo, dayHi string // "YYYY-MM-DD"; "" = open on that side
}

func splitRange(from, to time.Time) timeSplit {
	var r timeSplit
	if from.IsZero() && to.IsZero() {
		return r
	}
	r.bounded = true
	const day = 24 * time.Hour
	if !from.IsZero() {
		r.dayLo = from.UTC().Truncate(day).Add(day).Format(time.DateOnly)
	}
	if !to.IsZero() {
		r.dayHi = to.UTC().Truncate(day).Format(time.DateOnly)
	}
	r.rowsOnly = r.dayLo != "" && r.dayHi != "" && r.dayLo >= r.dayHi
	return r
}

// days bounds a day-keyed aggregate query to [lo, hi); "" is open, though
// never below the real dates (the "" key holds lines without a time).
func (r timeSplit) days(q *gorm.DB, lo, hi string) *gorm.DB {
	if !r.bounded {
		return q
	}
	// One lower bound only: SQLite ranges the key over one of them.
	if lo != "" {
		q = q.Where("a.day >= ?", lo)
	} else {
		q = q.Where("a.day > ''")
	}
	if hi != "" {
		q = q.Where("a.day < ?", hi)
	}
	return q
}

// months are the whole months [lo, hi) ("YYYY-MM") inside [dayLo, dayHi);
// "" is open on that side.
func (r timeSplit) months() (lo, hi string) {
	if r.dayLo != "" {
		lo = r.dayLo[:7]
		if !strings.HasSuffix(r.dayLo, "-01") {
			t, _ := time.Parse(time.DateOnly, r.dayLo[:7]+"-01")
			lo = t.AddDate(0, 1, 0).Format("2006-01")
		}
	}
	if r.dayHi != "" {
		hi = r.dayHi[:7]
	}
	return lo, hi
}
