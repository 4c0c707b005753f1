package invoices

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
)

// soldSQL is a line that counts as sold, over order_lines aliased "ol":
// the fields it reads never change once a line exists, and the statuses
// are closed under the line's transitions, so a line that counted once
// always counts. The unary plus keeps SQLite off the amount index that
// nearly every line matches: it reads the covering order_lines_list.
const soldSQL = `+ol.amount > 0 AND ol.order_type <> 'UNSUBSCRIBE'`

// paidStatusSQL is the part of "sold" that moves with the line's status;
// unpaidStatusSQL is its complement over the statuses order_lines allows,
// in a form order_lines_list_status answers from the few such lines.
const (
	paidStatusSQL   = `ol.status IN ('completed', 'supervising', 'unsubscribed')`
	unpaidStatusSQL = `ol.status IN ('processing', 'provisioning_failed')`
)

// settledSQL is true for a line (ol) some run settled: an explicit sale,
// or a line in a run's range the run did not hold back. Regions of runs
// are disjoint, so at most one run matches.
const settledSQL = `(EXISTS (SELECT 1 FROM statement_lines s WHERE s.order_line_ref = ol.id AND s.kind = 'sale')
	OR (EXISTS (SELECT 1 FROM settlement_runs sr WHERE sr.merchant_id = ol.merchant_id AND ol.ordered_at < sr.to_at
			AND (sr.from_at IS NULL OR ol.ordered_at >= sr.from_at) AND ol.id <= sr.max_line)
		AND ` + soldSQL + `
		AND NOT EXISTS (SELECT 1 FROM statement_lines s WHERE s.order_line_ref = ol.id AND s.kind = 'held')))`

// run is the rule of one generation while it is being made.
type run struct {
	models.SettlementRun
	overrides bool  // product rates other than the merchant's
	prevMax   int64 // the previous run's max_line
}

// rateSQL is a line's (ol) commission in the run: the product's override
// then, else the merchant's rate then.
func (r *run) rateSQL() string {
	if !r.overrides {
		return strconv.Itoa(r.RateBP)
	}
	return fmt.Sprintf(`coalesce((SELECT rr.rate_bp FROM settlement_run_rates rr WHERE rr.run_ref = %d AND rr.product_ref = ol.product_ref), %d)`,
		r.ID, r.RateBP)
}

// regionSQL is the run's range over order_lines (ol) and its arguments:
// what it covers, before held lines are taken out.
func (r *run) regionSQL() (string, []any) {
	// The unary plus on id keeps SQLite off the rowid range (which reads
	// every row) and on the covering order_lines_list.
	q, args := `ol.merchant_id = ? AND ol.ordered_at < ? AND +ol.id <= ? AND `+soldSQL, []any{r.MerchantID, r.ToAt, r.MaxLine}
	if r.FromAt != nil {
		q, args = q+` AND ol.ordered_at >= ?`, append(args, *r.FromAt)
	}
	return q, args
}

// GenerateStatements builds (or rebuilds, while unpaid) a merchant's
// statements of an ended month, one per currency: every sale that passed
// the settlement gate by the month's end and was not settled before, at
// its commission rate, and every refund of a settled sale made by then as
// a negative line. Months are settled in order: the sales a run covers
// are a range of order lines (see migrations/00016), so only the latest
// month may be rebuilt, and no row is written per settled sale.
func (s *Service) GenerateStatements(ctx context.Context, actor models.Actor, merchantID int64, month string) ([]models.SettlementStatement, error) {
	if !actor.Can(models.PermAdminInvoices) {
		return nil, models.ErrForbidden
	}
	start, err := time.Parse("2006-01", month)
	if err != nil {
		return nil, models.FormError(models.M("invoices.err.month"))
	}
	end, now := start.AddDate(0, 1, 0), s.now()
	if end.After(now) {
		return nil, models.FormError(models.M("invoices.err.month_open"))
	}
	var out []models.SettlementStatement
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		r, err := s.openRun(tx, merchantID, month, end, now)
		if err != nil {
			return err
		}
		if err := s.settle(tx, r); err != nil {
			return err
		}
		return tx.Where("run_ref = ?", r.ID).Order("currency").Find(&out).Error
	})
	return out, err
}

// openRun refuses a month that is paid or followed by a later run, drops
// the month's unpaid run, and records the new run's rule: its range starts
// where the previous run's ended, and it covers the lines inserted so far
// (one writer: no line with a smaller id can appear later).
func (s *Service) openRun(tx *gorm.DB, mid int64, month string, end, now time.Time) (*run, error) {
	var n int64
	if err := tx.Model(&models.SettlementStatement{}).Where("merchant_id = ? AND month = ? AND paid", mid, month).
		Count(&n).Error; err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, conflict(models.M("invoices.err.statement_paid"))
	}
	if err := tx.Model(&models.SettlementRun{}).Where("merchant_id = ? AND month > ?", mid, month).Count(&n).Error; err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, conflict(models.M("invoices.err.statement_later"))
	}
	var old []int64
	if err := tx.Model(&models.SettlementRun{}).Where("merchant_id = ? AND month = ?", mid, month).Pluck("id", &old).Error; err != nil {
		return nil, err
	}
	for _, q := range []string{
		`DELETE FROM statement_lines WHERE run_ref IN ?`,
		`DELETE FROM settlement_statements WHERE run_ref IN ?`,
		`DELETE FROM settlement_run_rates WHERE run_ref IN ?`,
		`DELETE FROM settlement_runs WHERE id IN ?`,
	} {
		if len(old) == 0 {
			break
		}
		if err := tx.Exec(q, old).Error; err != nil {
			return nil, err
		}
	}
	if err := tx.Exec(`DELETE FROM settlement_statements WHERE merchant_id = ? AND month = ?`, mid, month).Error; err != nil {
		return nil, err
	}
	r := &run{SettlementRun: models.SettlementRun{MerchantID: mid, Month: month, ToAt: end, GeneratedAt: now}}
	var prev models.SettlementRun
	switch err := tx.Where("merchant_id = ?", mid).Order("month DESC").Take(&prev).Error; {
	case err == nil:
		r.FromAt = &prev.ToAt
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return nil, err
	}
	if err := tx.Raw(`SELECT coalesce(max(id), 0) FROM order_lines`).Scan(&r.MaxLine).Error; err != nil {
		return nil, err
	}
	if err := tx.Raw(`SELECT coalesce((SELECT rate_bp FROM commission_rates WHERE merchant_id = ? AND product_ref IS NULL), 0)`, mid).
		Scan(&r.RateBP).Error; err != nil {
		return nil, err
	}
	if err := tx.Create(&r.SettlementRun).Error; err != nil {
		return nil, err
	}
	res := tx.Exec(`INSERT INTO settlement_run_rates (run_ref, product_ref, rate_bp)
		SELECT ?, product_ref, rate_bp FROM commission_rates WHERE merchant_id = ? AND product_ref IS NOT NULL`, r.ID, mid)
	if res.Error != nil {
		return nil, res.Error
	}
	r.overrides = res.RowsAffected > 0
	r.prevMax = prev.MaxLine
	return r, nil
}

// passSQL is whether a line (ol) passes now, 1 or 0: sold and past the
// settlement gate.
func (s *Service) passSQL() (string, []any) {
	gate, gargs := s.cfg.Gate.SettleableSQL()
	return `(CASE WHEN ` + paidStatusSQL + ` AND (` + gate + `) THEN 1 ELSE 0 END)`, gargs
}

// settle writes the run's explicit lines and its statements: set-based, a
// handful of statements whatever the volume. The range's sales are summed
// from the covering index, never copied.
func (s *Service) settle(tx *gorm.DB, r *run) error {
	pass, pargs := s.passSQL()
	held, hargs := heldSQL(s.cfg.Gate)
	region, rargs := r.regionSQL()
	rate := r.rateSQL()
	const into = `INSERT INTO statement_lines (run_ref, merchant_id, order_line_ref, refund_ref, kind, currency, gross, rate_bp, fee) `
	// What an explicit sale or held line is, from candidates with columns
	// id, merchant_id, currency, amount, bp and p (passes).
	const saleOrHeld = `SELECT ?, merchant_id, id, NULL, CASE WHEN p = 1 THEN 'sale' ELSE 'held' END, currency, amount,
		CASE WHEN p = 1 THEN bp ELSE 0 END, CASE WHEN p = 1 THEN (amount * bp + 5000) / 10000 ELSE 0 END FROM `
	cols := `ol.id, ol.merchant_id, ol.currency, ol.amount, ` + rate + ` AS bp, ` + pass + ` AS p`
	steps := []struct {
		sql  string
		args []any
	}{
		// The range's lines that do not pass now are held: those not paid
		// yet, and those the gate holds back, each found through an index
		// when the gate is a HeldGate (else this reads the whole range).
		{into + `SELECT ?, ol.merchant_id, ol.id, NULL, 'held', ol.currency, ol.amount, 0, 0 FROM order_lines ol
			WHERE ` + region + ` AND ` + unpaidStatusSQL, append([]any{r.ID}, rargs...)},
		{into + `SELECT ?, ol.merchant_id, ol.id, NULL, 'held', ol.currency, ol.amount, 0, 0 FROM order_lines ol
			WHERE ` + region + ` AND ` + paidStatusSQL + ` AND (` + held + `)`, append(append([]any{r.ID}, rargs...), hargs...)},
		// Lines held by earlier runs that pass now are this run's sales.
		{into + saleOrHeld + `(SELECT ` + cols + ` FROM statement_lines h JOIN order_lines ol ON ol.id = h.order_line_ref
			WHERE h.merchant_id = ? AND h.kind = 'held' AND h.run_ref <> ?
				AND NOT EXISTS (SELECT 1 FROM statement_lines s WHERE s.order_line_ref = h.order_line_ref AND s.kind = 'sale')) c
			WHERE p = 1`, append(append([]any{r.ID}, pargs...), r.MerchantID, r.ID)},
		// Refunds made by the month's end of settled sales, once each.
		{into + `SELECT ?, ol.merchant_id, rf.line_ref, rf.id, CASE rf.kind WHEN 'downgrade' THEN 'downgrade' ELSE 'refund' END,
				ol.currency, -rf.amount, ` + rate + `, -((rf.amount * ` + rate + ` + 5000) / 10000)
			FROM line_refunds rf JOIN order_lines ol ON ol.id = rf.line_ref
			WHERE rf.merchant_id = ? AND rf.at < ? AND rf.amount > 0
				AND NOT EXISTS (SELECT 1 FROM statement_lines s WHERE s.refund_ref = rf.id) AND ` + settledSQL,
			[]any{r.ID, r.MerchantID, r.ToAt}},
	}
	if r.FromAt != nil {
		// Lines inserted since the previous run but ordered before its end
		// fall in no range: settled or held here, explicitly. They are
		// found by id (the unary plus keeps SQLite on the rowid range).
		steps = append(steps[:2], append([]struct {
			sql  string
			args []any
		}{{into + saleOrHeld + `(SELECT ` + cols + ` FROM order_lines ol
			WHERE ol.id > ? AND ol.id <= ? AND +ol.merchant_id = ? AND +ol.ordered_at < ? AND ` + soldSQL + `) c`,
			append(append([]any{r.ID}, pargs...), r.prevMax, r.MaxLine, r.MerchantID, *r.FromAt)}}, steps[2:]...)...)
	}
	for _, st := range steps {
		if err := tx.Exec(st.sql, st.args...).Error; err != nil {
			return err
		}
	}
	ranged, err := rangeTotals(tx, r, pass, pargs)
	if err != nil {
		return err
	}
	var explicit []sum
	if err := tx.Raw(`SELECT currency, count(*) AS n, sum(CASE WHEN gross > 0 THEN gross ELSE 0 END) AS gross,
			sum(CASE WHEN gross < 0 THEN gross ELSE 0 END) AS ref, sum(fee) AS fee
		FROM statement_lines WHERE run_ref = ? AND kind <> 'held' GROUP BY currency`, r.ID).Scan(&explicit).Error; err != nil {
		return err
	}
	totals := map[string]*models.SettlementStatement{}
	for _, x := range append(ranged, explicit...) {
		if x.N == 0 {
			continue
		}
		st := totals[x.Currency]
		if st == nil {
			id := r.ID
			st = &models.SettlementStatement{MerchantID: r.MerchantID, Month: r.Month, Currency: x.Currency,
				GeneratedAt: r.GeneratedAt, RunRef: &id}
			totals[x.Currency] = st
		}
		st.LineCount += x.N
		st.Gross += x.Gross
		st.Refunds += x.Ref
		st.Fee += x.Fee
	}
	for _, cur := range slices.Sorted(maps.Keys(totals)) {
		st := totals[cur]
		st.Net = st.Gross + st.Refunds - st.Fee
		if err := tx.Create(st).Error; err != nil {
			return err
		}
	}
	return nil
}

// sum is what some lines of one currency add up to.
type sum struct {
	Currency           string
	N, Gross, Ref, Fee int64
}

// rangeTotals sums the sales of the run's range that pass now, per
// currency, in one walk of the covering index: an aggregate per currency
// the merchant has lines in (FILTER), not a GROUP BY, which would sort a
// row per line.
func rangeTotals(tx *gorm.DB, r *run, pass string, pargs []any) ([]sum, error) {
	var curs []string
	if err := tx.Table("order_currencies").Where("merchant_id = ?", r.MerchantID).Order("currency").
		Pluck("currency", &curs).Error; err != nil {
		return nil, err
	}
	if len(curs) == 0 {
		return nil, nil
	}
	region, rargs := r.regionSQL()
	rate := r.rateSQL()
	var cols []string
	var args []any
	for _, c := range curs {
		cols = append(cols, `count(*) FILTER (WHERE ol.currency = ?)`,
			`coalesce(sum(ol.amount) FILTER (WHERE ol.currency = ?), 0)`,
			`coalesce(sum((ol.amount * `+rate+` + 5000) / 10000) FILTER (WHERE ol.currency = ?), 0)`)
		args = append(args, c, c, c)
	}
	rows, err := tx.Raw(`SELECT `+strings.Join(cols, ", ")+` FROM order_lines ol WHERE `+region+` AND `+pass+` = 1`,
		append(append(args, rargs...), pargs...)...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	vals := make([]int64, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if !rows.Next() {
		return nil, rows.Err()
	}
	if err := rows.Scan(ptrs...); err != nil {
		return nil, err
	}
	out := make([]sum, len(curs))
	for i, c := range curs {
		out[i] = sum{Currency: c, N: vals[3*i], Gross: vals[3*i+1], Fee: vals[3*i+2]}
	}
	return out, rows.Err()
}

// SetCommission sets a merchant's rate (productRef nil) or a product's
// override, in basis points.
func (s *Service) SetCommission(ctx context.Context, actor models.Actor, merchantID int64, productRef *int64, rateBP int) error {
	if !actor.Can(models.PermAdminInvoices) {
		return models.ErrForbidden
	}
	if rateBP < 0 || rateBP > 10000 {
		v := &models.ValidationError{}
		v.Add("rate", models.M("invoices.err.rate"))
		return v
	}
	now := s.now()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if productRef != nil {
			var n int64
			if err := tx.Model(&models.Product{}).Where("id = ? AND merchant_id = ?", *productRef, merchantID).Count(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				v := &models.ValidationError{}
				v.Add("product", models.M("invoices.err.product_not_merchants"))
				return v
			}
		}
		if err := tx.Exec(`INSERT INTO commission_rates (merchant_id, product_ref, rate_bp, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (merchant_id, coalesce(product_ref, 0)) DO UPDATE SET rate_bp = excluded.rate_bp,
				updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			merchantID, productRef, rateBP, actor.Email, now).Error; err != nil {
			return err
		}
		return audit.Write(tx, now, actor, audit.Event{Action: models.AuditCommissionChanged, MerchantID: merchantID,
			TargetType: "merchant", TargetID: merchantID, Detail: map[string]any{"product": productRef, "rate_bp": rateBP}})
	})
}
