package orders

import (
	"context"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
)

// walkMin is the size of a filtered set from which an amount-sorted page is
// read by walking the amount index and skipping the lines the filter drops:
// at worst 51 × 680k / 20k ≈ 1,700 lines of the largest merchant are passed
// over before the page is full (a quarter of it inside one product, charging
// mode or order type: its lines are fewer). Smaller sets are collected
// through their filters' indexes and sorted.
var walkMin int64 = 20_000

// pageSpec is the page asked for: its sort and where the cursor left off.
// The list and Each both read their order and keyset bound from it, so a
// page and an export of the same filter never order the lines differently.
type pageSpec struct {
	byAmount, desc bool
	key, op, dir   string
	cursorAt       time.Time // time sorts
	cursorKey      any       // the cursor's sort key; nil on the first page
	cursorID       int64
	limit          int
	// back reads the page before the cursor: the sort runs the other way
	// from the cursor, and the caller puts the rows back in list order.
	back bool
}

func newPageSpec(sort string) pageSpec {
	pg := pageSpec{byAmount: sort == SortAmountDesc || sort == SortAmountAsc, key: "l.ordered_at", op: "<", dir: "DESC"}
	pg.desc = sort == SortTimeDesc || sort == SortAmountDesc || sort == ""
	if pg.byAmount {
		pg.key = "l.amount"
	}
	if !pg.desc {
		pg.op, pg.dir = ">", "ASC"
	}
	return pg
}

func isAmountSort(sort string) bool { return sort == SortAmountDesc || sort == SortAmountAsc }

// from positions pg at cursor c, turning it round for a backward read.
func (pg pageSpec) from(c models.Cursor) pageSpec {
	pg.cursorKey, pg.cursorID = c.Key, c.ID
	if c.Kind == 't' {
		pg.cursorAt = time.Unix(0, c.Key).UTC()
		pg.cursorKey = pg.cursorAt
	}
	if c.Back {
		pg.back, pg.desc = true, !pg.desc
		pg.op, pg.dir = ">", "ASC"
		if pg.desc {
			pg.op, pg.dir = "<", "DESC"
		}
	}
	return pg
}

func (pg pageSpec) order(prefix string) string {
	return prefix + pg.key + " " + pg.dir + ", " + prefix + "l.id " + pg.dir
}

// seek keeps the lines after the one with sort key kv and id.
func (pg pageSpec) seek(q *gorm.DB, kv any, id int64) *gorm.DB {
	// The first bound repeats the key alone so SQLite starts the index
	// range at the cursor instead of scanning every earlier page.
	k, op := pg.key, pg.op
	return q.Where(k+" "+op+"= ? AND ("+k+" "+op+" ? OR ("+k+" = ? AND l.id "+op+" ?))", kv, kv, kv, id)
}

// pageIDs is the query of the page's line ids, in order: one index walk or
// one collect-and-sort, chosen from what the filter is and how many lines
// it keeps (fs, known exactly before any row is read), so the choice never
// rests on the planner's guess of how selective a combination is.
func (s Service) pageIDs(ctx context.Context, t target, f Filter, fs filtered, pg pageSpec) *gorm.DB {
	// Only the time range is read through indexes that do not start with
	// the merchant.
	if t.merchants != nil || !f.hasDims(t) && f.OrderPrefix == "" {
		return s.scopeIDs(ctx, t, f, fs.n, fs.lo, fs.hi, pg, false)
	}
	// Across merchants, the list's indexes start with the merchant: each
	// merchant with lines in the set gives its own first page, and the
	// page is the first of their union.
	merchants := make([]int64, 0, len(fs.perMerchant))
	for m, n := range fs.perMerchant {
		if n > 0 {
			merchants = append(merchants, m)
		}
	}
	slices.Sort(merchants)
	arms := make([]any, 0, len(merchants)+1)
	for _, m := range merchants {
		tm := t
		tm.merchants = []int64{m}
		arms = append(arms, s.scopeIDs(ctx, tm, f, fs.perMerchant[m], fs.lo, fs.hi, pg, true))
	}
	arms = append(arms, pg.limit+1)
	sql := "SELECT id FROM (" + strings.Repeat("SELECT * FROM (?) UNION ALL ", len(merchants)-1) + "SELECT * FROM (?)) ORDER BY k " +
		pg.dir + ", id " + pg.dir + " LIMIT ?"
	return s.db.WithContext(ctx).Raw(sql, arms...)
}

// hasDims tells whether the filter names one of a line's own values (type,
// status, charging mode, supervision, product, customer), which the list
// reads through indexes that start with the merchant.
func (f Filter) hasDims(t target) bool {
	return f.Type != "" || f.Status != "" || f.ChargingMode != "" || f.Supervision != "" || t.product != 0 || t.buyer != 0
}

// scopeIDs reads the page's ids in one merchant (t.merchants) or, for a
// filter without merchant-indexed parts, across all of them (nil). n is the
// number of lines the filter keeps there; [lo, hi) the days an order-id
// prefix's lines fall in.
func (s Service) scopeIDs(ctx context.Context, t target, f Filter, n int64, lo, hi string, pg pageSpec, withKey bool) *gorm.DB {
	// SQLite ranges an index over one lower and one upper bound of a
	// column: on a time sort the cursor's bound replaces the end of the
	// range it is tighter than.
	if !pg.cursorAt.IsZero() {
		if pg.desc && (f.To.IsZero() || pg.cursorAt.Before(f.To)) {
			f.To, hi = time.Time{}, ""
		}
		if !pg.desc && (f.From.IsZero() || !pg.cursorAt.Before(f.From)) {
			f.From, lo = time.Time{}, ""
		}
	}
	from, order := "order_lines AS l", pg.order("")
	all := t.merchants == nil
	switch {
	case !pg.byAmount:
		// Each filter's index is in time order: with one, the planner
		// walks the most selective. Without, the time index is walked.
		if !f.hasDims(t) && (f.OrderPrefix == "" || n >= walkMin) {
			from += " INDEXED BY " + pick(all, "order_lines_all", "order_lines_list")
		}
	case f.Type != "" || f.ChargingMode != "" || t.product != 0:
		// Amounts follow the product, its charging mode and the order type
		// (trials are free, refunds negative): walking all amounts could
		// pass over most lines before the filter's. Each has its own index
		// in amount order (00007), walked when the set is large enough.
		switch {
		case n < walkMin/4:
			order = pg.order("+")
		case t.product != 0:
			from += " INDEXED BY order_lines_amount_product"
		case f.ChargingMode != "":
			from += " INDEXED BY order_lines_amount_charging"
		default:
			from += " INDEXED BY order_lines_amount_type"
		}
	case n >= walkMin:
		from += " INDEXED BY " + pick(all, "order_lines_amount_all", "order_lines_amount")
	default:
		order = pg.order("+") // sort what the filter's index collects
	}
	q := s.rowsIn(ctx, from, t, f)
	if lo != "" {
		q = q.Where("l.ordered_at >= ?", lo)
	}
	if hi != "" {
		q = q.Where("l.ordered_at < ?", hi)
	}
	if pg.cursorKey != nil {
		q = pg.seek(q, pg.cursorKey, pg.cursorID)
	}
	if withKey {
		q = q.Select("l.id AS id, " + pg.key + " AS k")
	} else {
		q = q.Select("l.id")
	}
	return q.Order(order).Limit(pg.limit + 1)
}

func pick(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}
