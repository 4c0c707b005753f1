package invoices

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
)

// rateSQL is a line's commission: the product's override, else the
// merchant's rate, else none. Statements read lines through the covering
// order_lines_list_status (hence +ol.amount, which keeps SQLite off the
// amount index that nearly every line matches): no row lookups per line.
const rateSQL = `coalesce(
	(SELECT c.rate_bp FROM commission_rates c WHERE c.merchant_id = ol.merchant_id AND c.product_ref = ol.product_ref),
	(SELECT c.rate_bp FROM commission_rates c WHERE c.merchant_id = ol.merchant_id AND c.product_ref IS NULL), 0)`

// GenerateStatements builds (or rebuilds, while unpaid) a merchant's
// statements of an ended month, one per currency: every sale that passed
// the settlement gate by the month's end and was not settled before, at
// its commission rate, and every refund of a settled sale made by then as
// a negative line. Set-based: three statements of SQL whatever the volume.
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
	gate, gargs := s.cfg.Gate.SettleableSQL()
	var out []models.SettlementStatement
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var paid int64
		if err := tx.Model(&models.SettlementStatement{}).Where("merchant_id = ? AND month = ? AND paid = 1", merchantID, month).
			Count(&paid).Error; err != nil {
			return err
		}
		if paid > 0 {
			return conflict(models.M("invoices.err.statement_paid"))
		}
		for _, q := range []string{
			`DELETE FROM statement_lines WHERE statement_ref IN (SELECT id FROM settlement_statements WHERE merchant_id = ? AND month = ?)`,
			`DELETE FROM settlement_statements WHERE merchant_id = ? AND month = ?`,
		} {
			if err := tx.Exec(q, merchantID, month).Error; err != nil {
				return err
			}
		}
		if err := tx.Exec(`CREATE TEMP TABLE IF NOT EXISTS settle_tmp (order_line_ref INTEGER, refund_ref INTEGER,
			kind TEXT, currency TEXT, gross INTEGER, rate_bp INTEGER, fee INTEGER)`).Error; err != nil {
			return err
		}
		if err := tx.Exec(`DELETE FROM settle_tmp`).Error; err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO settle_tmp
			SELECT id, NULL, 'sale', currency, amount, bp, (amount * bp + 5000) / 10000 FROM (
				SELECT ol.id, ol.currency, ol.amount, `+rateSQL+` AS bp
				FROM order_lines ol
				WHERE ol.merchant_id = ? AND ol.ordered_at < ? AND +ol.amount > 0 AND ol.order_type <> 'UNSUBSCRIBE'
					AND ol.status IN ('completed', 'supervising', 'unsubscribed') AND (`+gate+`)
					AND NOT EXISTS (SELECT 1 FROM statement_lines sl WHERE sl.order_line_ref = ol.id AND sl.kind = 'sale'))`,
			append([]any{merchantID, end}, gargs...)...).Error; err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO settle_tmp
			SELECT line_ref, id, kind, currency, -amount, bp, -((amount * bp + 5000) / 10000) FROM (
				SELECT r.line_ref, r.id, CASE r.kind WHEN 'downgrade' THEN 'downgrade' ELSE 'refund' END AS kind,
					ol.currency, r.amount, `+rateSQL+` AS bp
				FROM line_refunds r JOIN order_lines ol ON ol.id = r.line_ref
				WHERE r.merchant_id = ? AND r.at < ? AND r.amount > 0
					AND NOT EXISTS (SELECT 1 FROM statement_lines sl WHERE sl.refund_ref = r.id AND sl.kind <> 'sale')
					AND (EXISTS (SELECT 1 FROM statement_lines sl WHERE sl.order_line_ref = r.line_ref AND sl.kind = 'sale')
						OR r.line_ref IN (SELECT order_line_ref FROM settle_tmp)))`, merchantID, end).Error; err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO settlement_statements (merchant_id, month, currency, gross, fee, refunds, net, line_count, generated_at)
			SELECT ?, ?, currency, sum(CASE WHEN gross > 0 THEN gross ELSE 0 END), sum(fee),
				sum(CASE WHEN gross < 0 THEN gross ELSE 0 END), sum(gross) - sum(fee), count(*), ?
			FROM settle_tmp GROUP BY currency`, merchantID, month, now).Error; err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO statement_lines (statement_ref, merchant_id, order_line_ref, refund_ref, kind, gross, rate_bp, fee)
			SELECT st.id, ?, t.order_line_ref, t.refund_ref, t.kind, t.gross, t.rate_bp, t.fee
			FROM settle_tmp t JOIN settlement_statements st ON st.merchant_id = ? AND st.month = ? AND st.currency = t.currency`,
			merchantID, merchantID, month).Error; err != nil {
			return err
		}
		if err := tx.Exec(`DELETE FROM settle_tmp`).Error; err != nil {
			return err
		}
		return tx.Where("merchant_id = ? AND month = ?", merchantID, month).Order("currency").Find(&out).Error
	})
	return out, err
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
			ON CONFLICT (merchant_id, ifnull(product_ref, 0)) DO UPDATE SET rate_bp = excluded.rate_bp,
				updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			merchantID, productRef, rateBP, actor.Email, now).Error; err != nil {
			return err
		}
		return audit.Write(tx, now, actor, audit.Event{Action: models.AuditCommissionChanged, MerchantID: merchantID,
			TargetType: "merchant", TargetID: merchantID, Detail: map[string]any{"product": productRef, "rate_bp": rateBP}})
	})
}
