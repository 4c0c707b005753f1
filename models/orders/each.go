package orders

import (
	"context"
	"database/sql"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
)

// EachPage is how many rows Each reads per query.
const EachPage = 1000

// Each walks the whole filtered set in the filter's order (the cursor and
// limit are ignored), reading keyset pages of EachPage rows with the list's
// joins, so memory stays flat whatever the set's size. It stops at the first
// error of fn and returns how many rows fn accepted. Rows carry no
// CallID (the list's link to the call, which the export does not need).
func (s Service) Each(ctx context.Context, actor models.Actor, f Filter, fn func(Row) error) (int64, error) {
	base, err := s.scope(ctx, actor, f)
	if err != nil {
		return 0, err
	}
	pg := newPageSpec(f.Sort)
	var n int64
	var last *Row
	rows := make([]Row, 0, EachPage)
	for {
		q := base.Session(&gorm.Session{})
		if last != nil {
			var kv any = last.OrderedAt
			if pg.byAmount {
				kv = last.Amount
			}
			q = pg.seek(q, kv, last.LineID)
		}
		var err error
		rows, err = scanPage(withColumns(q, rowColumns).Order(pg.order("")).Limit(EachPage), rows[:0], false)
		if err != nil {
			return n, err
		}
		for _, r := range rows {
			if err := fn(r); err != nil {
				return n, err
			}
			n++
		}
		if len(rows) < EachPage {
			return n, nil
		}
		l := rows[len(rows)-1]
		last = &l
	}
}

// scanPage reads one page into rows by position: at a million rows GORM's
// reflective Scan costs as much as SQLite itself. The order of the targets
// is rowColumns', then call_id when withLast (the list's page).
func scanPage(q *gorm.DB, rows []Row, withLast bool) ([]Row, error) {
	rs, err := q.Rows()
	if err != nil {
		return rows, err
	}
	defer rs.Close()
	for rs.Next() {
		var r Row
		var customer, customerID, instance, callState sql.NullString
		dest := []any{&r.LineID, &r.OrderRef, &r.MerchantID, &r.OrderCode, &r.OrderLineID, &r.OrderType,
			&r.ProductID, &r.ProductName, &r.SKUCode, &r.ChargingMode, &r.PeriodType, &r.PeriodNumber, &customer,
			&customerID, &r.OrderedAt, &r.ExpireAt, &r.Amount, &r.Currency, &r.Status, &r.StatusReason,
			&r.Supervision, &instance, &callState, &r.InstanceAt, &r.CreatedInstance}
		if withLast {
			dest = append(dest, &r.CallID)
		}
		if err := rs.Scan(dest...); err != nil {
			return rows, err
		}
		r.Customer, r.CustomerID, r.InstanceID = customer.String, customerID.String, instance.String
		r.CallState = models.CallState(callState.String)
		rows = append(rows, r)
	}
	return rows, rs.Err()
}
