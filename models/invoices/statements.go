package invoices

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
)

// merchantOf is whose platform-side rows (statements, platform-fee
// requests) the actor reads: operations every merchant's (all), merchant
// users with perm only their own.
func merchantOf(actor models.Actor, perm models.Permission) (mid int64, all bool, err error) {
	switch {
	case actor.Can(models.PermAdminInvoices):
		return 0, true, nil
	case actor.Can(perm) && actor.MerchantID != 0:
		return actor.MerchantID, false, nil
	}
	return 0, false, models.ErrForbidden
}

// StatementFilter narrows the statement list, and is what "all matching"
// selects when finance ticks 跨页全选.
type StatementFilter struct {
	FromMonth, ToMonth string // YYYY-MM, inclusive; "" for open ends
	Currency           string
	// Requestable keeps the paid statements on no live platform-fee request.
	Requestable bool
	MerchantID  int64 // operations only: one merchant
}

var monthRE = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])$`)

func (f StatementFilter) validate() error {
	v := &models.ValidationError{}
	for field, m := range map[string]string{"fromMonth": f.FromMonth, "toMonth": f.ToMonth} {
		if m != "" && !monthRE.MatchString(m) {
			v.Add(field, models.M("invoices.err.month"))
		}
	}
	return v.Err()
}

// requestableSQL is the condition of a statement finance may still ask the
// platform-fee invoice for: paid, and on no live request.
const requestableSQL = `st.paid AND NOT EXISTS (SELECT 1 FROM platform_fee_statements ps
	WHERE ps.statement_ref = st.id AND ps.live)`

// apply narrows statements aliased "st" of merchant mid (0: all) by f.
func (f StatementFilter) apply(q *gorm.DB, mid int64) *gorm.DB {
	if mid != 0 {
		q = q.Where("st.merchant_id = ?", mid)
	}
	if f.FromMonth != "" {
		q = q.Where("st.month >= ?", f.FromMonth)
	}
	if f.ToMonth != "" {
		q = q.Where("st.month <= ?", f.ToMonth)
	}
	if f.Currency != "" {
		q = q.Where("st.currency = ?", f.Currency)
	}
	if f.Requestable {
		q = q.Where(requestableSQL)
	}
	return q
}

// StatementRow is a statement as the list shows it.
type StatementRow struct {
	models.SettlementStatement
	// RequestRef is the live platform-fee request covering it, if any.
	RequestRef *int64 `gorm:"column:request_ref"`
	// Forced: a requestable negative statement, ticked and not removable in
	// a selection of its currency.
	Forced bool `gorm:"-"`
}

// Requestable reports whether the statement may still be selected.
func (r *StatementRow) Requestable() bool { return r.Paid && r.RequestRef == nil }

// StatementPage is a keyset page of statements, latest month first.
type StatementPage struct {
	Rows []StatementRow
	Next string
}

// Statements lists the statements the actor may read (finance and the
// merchant's readers their own, operations all). cursor is a previous
// page's Next.
func (s *Service) Statements(ctx context.Context, actor models.Actor, f StatementFilter, cursor string) (StatementPage, error) {
	mid, all, err := merchantOf(actor, models.PermInvoicesView)
	if err != nil {
		return StatementPage{}, err
	}
	if err := f.validate(); err != nil {
		return StatementPage{}, err
	}
	if all {
		mid = f.MerchantID
	}
	q := f.apply(s.db.WithContext(ctx).Table("settlement_statements AS st"), mid).
		Select(`st.*, (SELECT ps.request_ref FROM platform_fee_statements ps WHERE ps.statement_ref = st.id AND ps.live) AS request_ref`)
	if cursor != "" {
		month, id, ok := strings.Cut(cursor, "_")
		n, err := strconv.ParseInt(id, 10, 64)
		if !ok || err != nil || !monthRE.MatchString(month) {
			return StatementPage{}, models.FormError(models.M("invoices.err.cursor"))
		}
		q = q.Where("(st.month < ? OR (st.month = ? AND st.id < ?))", month, month, n)
	}
	var rows []StatementRow
	if err := q.Order("st.month DESC, st.id DESC").Limit(PageSize + 1).Find(&rows).Error; err != nil {
		return StatementPage{}, err
	}
	var p StatementPage
	if len(rows) > PageSize {
		rows = rows[:PageSize]
		last := rows[PageSize-1]
		p.Next = fmt.Sprintf("%s_%d", last.Month, last.ID)
	}
	for i := range rows {
		rows[i].Forced = rows[i].Requestable() && rows[i].Negative()
	}
	p.Rows = rows
	return p, nil
}

// MarkStatementPaid is operations recording that the platform paid a
// statement: from then on it is final (never regenerated) and finance may
// ask for its platform-fee invoice.
func (s *Service) MarkStatementPaid(ctx context.Context, actor models.Actor, id int64) (*models.SettlementStatement, error) {
	if !actor.Can(models.PermAdminInvoices) {
		return nil, models.ErrForbidden
	}
	now := s.now()
	var st models.SettlementStatement
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Take(&st, id).Error; err != nil {
			return notFound(err)
		}
		res := tx.Model(&st).Where("NOT paid").Updates(map[string]any{"paid": true, "paid_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return conflict(models.M("invoices.err.statement_already_paid"))
		}
		return writeAudit(tx, now, actor, models.AuditStatementPaid, st.MerchantID, "statement", st.ID,
			map[string]any{"month": st.Month, "currency": st.Currency, "net": st.Net, "fee": st.Fee})
	})
	if err != nil {
		return nil, err
	}
	return &st, nil
}
