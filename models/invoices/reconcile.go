package invoices

import (
	"context"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
)

// ReconLimit is how many rows of each kind the page lists; the counts are
// always whole.
const ReconLimit = 200

// ReconRow is one finding, with what the page links to: the order (and
// line) and the invoice, if one holds the line.
type ReconRow struct {
	Kind          models.ReconKind
	MerchantID    int64
	OrderRef      int64
	OrderCode     string
	OrderLineRef  int64
	OrderLineID   string
	InvoiceRef    *int64
	InvoiceNumber string
	Currency      string
	Amount        int64 // refunded (refunded_issued), the unsubscribe's, or the line's (blocked)
	At            time.Time
	Total         int64 `gorm:"column:total"` // how many rows of the kind there are
}

// ReconMonth compares, per month (UTC) and currency, what was ordered,
// refunded and invoiced; Open is what is left to invoice or to return.
type ReconMonth struct {
	Month    string
	Currency string
	Ordered  int64
	Refunded int64
	Invoiced int64 // issued and not returned, by the month of issue
	Open     int64 // Ordered - Refunded - Invoiced
}

// Reconciliation is the /invoices/reconcile page.
type Reconciliation struct {
	Rows   map[models.ReconKind][]ReconRow // by kind, newest first, at most ReconLimit each
	Counts map[models.ReconKind]int64
	Months []ReconMonth // newest first
}

// ReconFilter narrows the reconciliation.
type ReconFilter struct {
	MerchantID int64 // operations only: one merchant
}

// paidSQL is a line that counts as sold (the statements' rule).
const paidSQL = soldSQL + ` AND ` + paidStatusSQL

// HeldGate is a Gate that can also say which lines it holds back in a form
// an index answers (supervision's "ol.supervision = 'in_progress'" reads
// order_lines_list_supervision); without it the reconciliation evaluates
// NOT (SettleableSQL) over every paid line.
type HeldGate interface {
	Gate
	// UnsettleableSQL is true for exactly the lines SettleableSQL is false for.
	UnsettleableSQL() (string, []any)
}

// UnsettleableSQL implements HeldGate: EveryLine holds nothing back.
func (EveryLine) UnsettleableSQL() (string, []any) { return "1 = 0", nil }

func heldSQL(g Gate) (string, []any) {
	if h, ok := g.(HeldGate); ok {
		return h.UnsettleableSQL()
	}
	q, args := g.SettleableSQL()
	return "NOT (" + q + ")", args
}

// Reconcile reads the actor's reconciliation (the merchant's readers their
// own, operations all or one merchant). Set-based: one statement per kind
// and per figure, each driven by an index, whatever the volume.
func (s *Service) Reconcile(ctx context.Context, actor models.Actor, f ReconFilter) (*Reconciliation, error) {
	mid, all, err := merchantOf(actor, models.PermInvoicesView)
	if err != nil {
		return nil, err
	}
	if all {
		mid = f.MerchantID
	}
	db := s.db.WithContext(ctx)
	// The merchant goes in as a literal, not "? = 0 OR col = ?": an OR over
	// a parameter keeps SQLite from the merchant's index.
	of := func(col string) string {
		if mid == 0 {
			return "1 = 1"
		}
		return col + " = " + strconv.FormatInt(mid, 10)
	}
	held, hargs := heldSQL(s.cfg.Gate)
	queries := map[models.ReconKind]struct {
		sql  string
		args []any
	}{
		models.ReconRefundedIssued: {`SELECT ol.merchant_id, ol.order_ref, ol.order_code, ol.id AS order_line_ref, ol.order_line_id,
				i.id AS invoice_ref, i.invoice_number, ol.currency, sum(r.amount) AS amount,
				max(r.at) AS last_at, r.at -- SQLite takes a bare column from the max() row, and keeps its DATETIME type
			FROM line_refunds r
			JOIN invoice_lines il ON il.order_line_ref = r.line_ref AND il.live
			JOIN invoices i ON i.id = il.invoice_ref AND i.status = 'issued'
			JOIN order_lines ol ON ol.id = r.line_ref
			WHERE ` + of("r.merchant_id") + ` AND r.amount > 0
			GROUP BY r.line_ref, i.id`, nil},
		models.ReconUnsubscribeUnrecorded: {`SELECT u.merchant_id, u.order_ref, u.order_code, u.id AS order_line_ref, u.order_line_id,
				(SELECT il.invoice_ref FROM order_lines p JOIN invoice_lines il ON il.order_line_ref = p.id AND il.live
					WHERE p.instance_ref = u.instance_ref ORDER BY il.invoice_ref DESC LIMIT 1) AS invoice_ref,
				'' AS invoice_number, u.currency, u.amount, u.ordered_at AS at
			FROM order_lines u
			WHERE ` + of("u.merchant_id") + ` AND u.order_type = 'UNSUBSCRIBE' AND u.instance_ref IS NOT NULL
				AND NOT EXISTS (SELECT 1 FROM line_refunds r WHERE r.refund_line_ref = u.id)`, nil},
		models.ReconBlocked: {`SELECT ol.merchant_id, ol.order_ref, ol.order_code, ol.id AS order_line_ref, ol.order_line_id,
				(SELECT il.invoice_ref FROM invoice_lines il WHERE il.order_line_ref = ol.id AND il.live) AS invoice_ref,
				'' AS invoice_number, ol.currency, ol.amount, ol.ordered_at AS at
			FROM order_lines ol
			WHERE ` + of("ol.merchant_id") + ` AND ` + paidSQL + ` AND (` + held + `)
				AND NOT ` + settledSQL,
			hargs},
	}
	out := &Reconciliation{Rows: map[models.ReconKind][]ReconRow{}, Counts: map[models.ReconKind]int64{}}
	for _, kind := range models.ReconKinds {
		q := queries[kind]
		var rows []ReconRow
		if err := db.Raw(`SELECT *, count(*) OVER () AS total FROM (`+q.sql+`) ORDER BY at DESC, order_line_ref DESC LIMIT ?`,
			append(q.args, ReconLimit)...).Scan(&rows).Error; err != nil {
			return nil, err
		}
		for i := range rows {
			rows[i].Kind = kind
			out.Counts[kind] = rows[i].Total
		}
		out.Rows[kind] = rows
	}
	if err := fillInvoiceNumbers(db, out); err != nil {
		return nil, err
	}
	// Ordered is 00007's order_totals_month less the renewal cancellations
	// (the only negative lines, which count as refunds): neither reads the
	// lines themselves. Invoiced is 00016's invoice_totals_month.
	lines := of("ol.merchant_id")
	if mid == 0 {
		lines = "ol.merchant_id IN (SELECT id FROM merchants)" // each merchant's amount index
	}
	err = db.Raw(`SELECT month, currency, sum(ordered) AS ordered, sum(refunded) AS refunded, sum(invoiced) AS invoiced,
			sum(ordered) - sum(refunded) - sum(invoiced) AS open
		FROM (
			SELECT t.month, t.currency, sum(t.amount) AS ordered, 0 AS refunded, 0 AS invoiced
			FROM order_totals_month t WHERE ` + of("t.merchant_id") + ` AND t.month <> ''
				AND t.order_type <> 'UNSUBSCRIBE' AND t.status IN ('completed', 'supervising', 'unsubscribed') GROUP BY 1, 2
			UNION ALL
			SELECT substr(CAST(ol.ordered_at AS TEXT), 1, 7), ol.currency, -sum(ol.amount), 0, 0
			FROM order_lines ol WHERE ` + lines + ` AND ol.order_type = 'RENEW' AND ol.amount < 0
				AND ol.status IN ('completed', 'supervising', 'unsubscribed') GROUP BY 1, 2
			UNION ALL
			SELECT substr(CAST(r.at AS TEXT), 1, 7), ol.currency, 0, sum(r.amount), 0
			FROM line_refunds r JOIN order_lines ol ON ol.id = r.line_ref WHERE ` + of("r.merchant_id") + ` GROUP BY 1, 2
			UNION ALL
			SELECT i.month, i.currency, 0, 0, sum(i.amount)
			FROM invoice_totals_month i WHERE ` + of("i.merchant_id") + ` GROUP BY 1, 2)
		GROUP BY month, currency HAVING sum(ordered) <> 0 OR sum(refunded) <> 0 OR sum(invoiced) <> 0
		ORDER BY month DESC, currency`).Scan(&out.Months).Error
	return out, err
}

// fillInvoiceNumbers names the invoices the rows link to that the kind's
// query did not read.
func fillInvoiceNumbers(db *gorm.DB, r *Reconciliation) error {
	var ids []int64
	for _, rows := range r.Rows {
		for _, row := range rows {
			if row.InvoiceRef != nil && row.InvoiceNumber == "" {
				ids = append(ids, *row.InvoiceRef)
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var invs []models.Invoice
	if err := db.Select("id, invoice_number").Where("id IN ?", ids).Find(&invs).Error; err != nil {
		return err
	}
	num := make(map[int64]string, len(invs))
	for _, inv := range invs {
		num[inv.ID] = inv.InvoiceNumber
	}
	for _, rows := range r.Rows {
		for i := range rows {
			if rows[i].InvoiceRef != nil && rows[i].InvoiceNumber == "" {
				rows[i].InvoiceNumber = num[*rows[i].InvoiceRef]
			}
		}
	}
	return nil
}
