package orders

import (
	"context"
	"database/sql"
)

// rebuildTotals recomputes the aggregates of migration 00007 from the rows
// (the migration's own backfill, kept in step with it).
var rebuildTotals = []string{
	`DELETE FROM order_totals_month`,
	`DELETE FROM order_totals_day`,
	`DELETE FROM order_currencies`,
	`INSERT INTO order_currencies SELECT DISTINCT merchant_id, currency FROM order_lines`,
	`INSERT INTO order_totals_month (merchant_id, month, code6, product_ref, order_type, status, charging_mode, supervision, currency, n, amount)
	 SELECT merchant_id, coalesce(substr(ordered_at, 1, 7), ''), substr(order_code, 1, 6), product_ref, order_type, status,
	        charging_mode, supervision, currency, count(*), sum(amount)
	 FROM order_lines GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
	`INSERT INTO order_totals_day (merchant_id, day, code8, product_ref, order_type, status, charging_mode, supervision, currency, n, amount)
	 SELECT merchant_id, coalesce(substr(ordered_at, 1, 10), ''), substr(order_code, 1, 8), product_ref, order_type, status,
	        charging_mode, supervision, currency, count(*), sum(amount)
	 FROM order_lines GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
}

// RebuildTotals recomputes the list's totals aggregates from order_lines in
// tx: for bulk loads that ran with the maintaining triggers dropped.
func RebuildTotals(ctx context.Context, tx *sql.Tx) error {
	for _, q := range rebuildTotals {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}
