package invoices

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
)

// StatementLineRow is one line of a statement, as its page and its export
// show it: a sale at the run's commission, or a refund or downgrade as a
// negative line.
type StatementLineRow struct {
	Kind         string // models.StatementSale, StatementRefund or StatementDowngrade
	OrderRef     int64
	OrderCode    string
	OrderLineRef int64
	OrderLineID  string
	ProductRef   int64
	ProductName  string `gorm:"-"`
	RefundRef    *int64
	At           time.Time // ordered (a sale) or refunded
	Gross        int64     // minor units; negative for a refund
	RateBP       int
	Fee          int64
	// Key orders lines of the same instant: a sale's order line id, a
	// refund's negated id.
	Key int64 `gorm:"column:k"`
}

// StatementLinePage is a keyset page of a statement's lines, oldest first.
type StatementLinePage struct {
	Statement    models.SettlementStatement
	MerchantName string
	// RateBP is the run's merchant commission (0: a statement made before
	// runs); ProductRates tells that some products had their own.
	RateBP       int
	ProductRates bool
	Rows         []StatementLineRow
	Next         string
}

// StatementLines reads a page of the lines of a statement the actor may
// read (another merchant's is not found). cursor is a previous page's
// Next; limit is models.PageLimit's.
func (s *Service) StatementLines(ctx context.Context, actor models.Actor, id int64, cursor string, limit int) (*StatementLinePage, error) {
	db := s.db.WithContext(ctx)
	st, r, err := loadStatement(db, actor, id)
	if err != nil {
		return nil, err
	}
	var after *linePos
	if cursor != "" {
		_, at, k, err := models.DecodeCursor(cursor, "t")
		if err != nil {
			return nil, models.FormError(models.M("invoices.err.cursor"))
		}
		after = &linePos{at: time.Unix(0, at).UTC(), key: k}
	}
	limit = models.PageLimit(limit)
	rows, err := statementLines(db, st, r, after, limit+1)
	if err != nil {
		return nil, err
	}
	p := &StatementLinePage{Statement: *st, Rows: rows}
	if r != nil {
		p.RateBP, p.ProductRates = r.RateBP, r.overrides
	}
	if err := db.Model(&models.Merchant{}).Where("id = ?", st.MerchantID).Pluck("name", &p.MerchantName).Error; err != nil {
		return nil, err
	}
	if len(rows) > limit {
		p.Rows = rows[:limit]
		last := p.Rows[limit-1]
		p.Next = models.EncodeCursor('t', last.At.UnixNano(), last.Key)
	}
	return p, nil
}

// EachStatementLine calls fn with every line of a statement the actor may
// read, in keyset steps of EachPage so memory stays flat; it returns how
// many it passed.
func (s *Service) EachStatementLine(ctx context.Context, actor models.Actor, id int64, fn func(StatementLineRow) error) (int64, error) {
	return eachStatementLine(s.db.WithContext(ctx), actor, id, fn)
}

// EachStatementLine is the export engine's walk of a statement's lines
// (Service.EachStatementLine without the file store).
func (r Reader) EachStatementLine(ctx context.Context, actor models.Actor, id int64, fn func(StatementLineRow) error) (int64, error) {
	return eachStatementLine(r.db.WithContext(ctx), actor, id, fn)
}

func eachStatementLine(db *gorm.DB, actor models.Actor, id int64, fn func(StatementLineRow) error) (int64, error) {
	st, r, err := loadStatement(db, actor, id)
	if err != nil {
		return 0, err
	}
	var n int64
	var after *linePos
	for {
		rows, err := statementLines(db, st, r, after, EachPage)
		if err != nil {
			return n, err
		}
		for _, row := range rows {
			if err := fn(row); err != nil {
				return n, err
			}
			n++
		}
		if len(rows) < EachPage {
			return n, nil
		}
		last := rows[len(rows)-1]
		after = &linePos{at: last.At, key: last.Key}
	}
}

// loadStatement reads a statement the actor may read and its run (nil for
// a statement made before runs, whose lines are all explicit).
func loadStatement(db *gorm.DB, actor models.Actor, id int64) (*models.SettlementStatement, *run, error) {
	mid, all, err := merchantOf(actor, models.PermInvoicesView)
	if err != nil {
		return nil, nil, err
	}
	q := db.Where("id = ?", id)
	if !all {
		q = q.Where("merchant_id = ?", mid)
	}
	var st models.SettlementStatement
	if err := q.Take(&st).Error; err != nil {
		return nil, nil, notFound(err)
	}
	if st.RunRef == nil {
		return &st, nil, nil
	}
	r := &run{}
	if err := db.Take(&r.SettlementRun, *st.RunRef).Error; err != nil {
		return nil, nil, err
	}
	var n int64
	if err := db.Table("settlement_run_rates").Where("run_ref = ?", r.ID).Count(&n).Error; err != nil {
		return nil, nil, err
	}
	r.overrides = n > 0
	return &st, r, nil
}

// linePos is a position in a statement's line order (at, key).
type linePos struct {
	at  time.Time
	key int64
}

// statementLines reads up to limit lines of statement st after pos: the
// run's range in the statement's currency less its held lines, walked in
// the order of the covering order_lines_list, merged with the run's
// explicit lines.
func statementLines(db *gorm.DB, st *models.SettlementStatement, r *run, after *linePos, limit int) ([]StatementLineRow, error) {
	if r == nil {
		return nil, nil
	}
	region, args := r.regionSQL()
	rate := r.rateSQL()
	past := func(at, key string) string {
		if after == nil {
			return ""
		}
		// The leading >= gives SQLite the index range; an OR alone it
		// may answer by sorting the whole range.
		args = append(args, after.at, after.at, after.key)
		return " AND " + at + " >= ? AND (" + at + " > ? OR " + key + " > ?)"
	}
	var b strings.Builder
	b.WriteString(`SELECT * FROM (SELECT 'sale' AS kind, ol.order_ref, ol.order_code, ol.id AS order_line_ref, ol.order_line_id, ol.product_ref,
			CAST(NULL AS INTEGER) AS refund_ref, ol.ordered_at AS at, ol.amount AS gross, ` + rate + ` AS rate_bp,
			(ol.amount * ` + rate + ` + 5000) / 10000 AS fee, ol.id AS k
		FROM order_lines ol WHERE ` + region + ` AND ol.currency = ?`)
	args = append(args, st.Currency)
	b.WriteString(past("ol.ordered_at", "ol.id"))
	b.WriteString(` AND NOT EXISTS (SELECT 1 FROM statement_lines h WHERE h.order_line_ref = ol.id AND h.kind = 'held' AND h.run_ref = ?)
		ORDER BY ol.ordered_at, ol.id LIMIT ?) ranged
		UNION ALL
		SELECT * FROM (SELECT * FROM (SELECT sl.kind, ol.order_ref, ol.order_code, ol.id AS order_line_ref, ol.order_line_id, ol.product_ref,
				sl.refund_ref, coalesce(rf.at, ol.ordered_at) AS at, sl.gross, sl.rate_bp, sl.fee,
				CASE WHEN sl.refund_ref IS NULL THEN ol.id ELSE -sl.refund_ref END AS k
			FROM statement_lines sl JOIN order_lines ol ON ol.id = sl.order_line_ref
			LEFT JOIN line_refunds rf ON rf.id = sl.refund_ref
			WHERE sl.run_ref = ? AND sl.currency = ? AND sl.kind <> 'held') x WHERE 1 = 1`)
	args = append(args, r.ID, limit, r.ID, st.Currency)
	b.WriteString(past("at", "k"))
	b.WriteString(` ORDER BY at, k LIMIT ?) explicit ORDER BY at, k LIMIT ?`)
	args = append(args, limit, limit)
	var rows []StatementLineRow
	if err := db.Raw(b.String(), args...).Scan(&rows).Error; err != nil {
		return nil, err
	}
	return rows, nameProducts(db, rows)
}

// nameProducts fills the product names of a step of lines in one query: a
// join inside the keyset walk would cost a lookup per line.
func nameProducts(db *gorm.DB, rows []StatementLineRow) error {
	if len(rows) == 0 {
		return nil
	}
	refs := make([]int64, 0, 8)
	seen := map[int64]bool{}
	for _, r := range rows {
		if !seen[r.ProductRef] {
			seen[r.ProductRef] = true
			refs = append(refs, r.ProductRef)
		}
	}
	var ps []models.Product
	if err := db.Select("id, name").Where("id IN ?", refs).Find(&ps).Error; err != nil {
		return err
	}
	names := make(map[int64]string, len(ps))
	for _, p := range ps {
		names[p.ID] = p.Name
	}
	for i := range rows {
		rows[i].ProductName = names[rows[i].ProductRef]
	}
	return nil
}

// Statement is the statement id as the actor may read it (another
// merchant's is not found): what an export of its lines checks and names.
func (r Reader) Statement(ctx context.Context, actor models.Actor, id int64) (*models.SettlementStatement, error) {
	st, _, err := loadStatement(r.db.WithContext(ctx), actor, id)
	return st, err
}
