package orders

import (
	"context"
	"database/sql"
)

// rebuildTotals recomputes the aggregates of migrations 00007 and 00015 from
// the rows (the migrations' own backfills, kept in step with them).
var rebuildTotals = []string{
	`DELETE FROM order_totals_month`,
	`DELETE FROM order_totals_all`,
	`DELETE FROM order_totals_time`,
	`DELETE FROM order_totals_buyer`,
	`DELETE FROM order_totals_day`,
	`DELETE FROM order_currencies`,
	`INSERT INTO order_currencies SELECT DISTINCT merchant_id, currency FROM order_lines`,
	`INSERT INTO order_totals_month (merchant_id, month, code6, product_ref, order_type, status, charging_mode, supervision, currency, n, amount)
	 SELECT merchant_id, coalesce(substr(CAST(ordered_at AS TEXT), 1, 7), ''), substr(order_code, 1, 6), product_ref, order_type, status,
	        charging_mode, supervision, currency, count(*), sum(amount)
	 FROM order_lines GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
	`INSERT INTO order_totals_day (merchant_id, day, code8, product_ref, order_type, status, charging_mode, supervision, currency, n, amount)
	 SELECT merchant_id, coalesce(substr(CAST(ordered_at AS TEXT), 1, 10), ''), substr(order_code, 1, 8), product_ref, order_type, status,
	        charging_mode, supervision, currency, count(*), sum(amount)
	 FROM order_lines GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9`,
	`INSERT INTO order_totals_all (merchant_id, currency, product_ref, order_type, status, charging_mode, supervision, n, amount)
	 SELECT merchant_id, currency, product_ref, order_type, status, charging_mode, supervision, count(*), sum(amount)
	 FROM order_lines GROUP BY 1, 2, 3, 4, 5, 6, 7`,
	`INSERT INTO order_totals_time (merchant_id, currency, grain, bucket, n, amount)
	 SELECT merchant_id, currency, 'd', coalesce(substr(CAST(ordered_at AS TEXT), 1, 10), ''), count(*), sum(amount) FROM order_lines GROUP BY 1, 2, 3, 4`,
	`INSERT INTO order_totals_time (merchant_id, currency, grain, bucket, n, amount)
	 SELECT merchant_id, currency, 'h', coalesce(substr(CAST(ordered_at AS TEXT), 1, 13), ''), count(*), sum(amount) FROM order_lines GROUP BY 1, 2, 3, 4`,
	`INSERT INTO order_totals_buyer (merchant_id, buyer_ref, currency, n, amount)
	 SELECT merchant_id, coalesce(buyer_ref, 0), currency, count(*), sum(amount) FROM order_lines GROUP BY 1, 2, 3`,
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
