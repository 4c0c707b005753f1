package exports

import (
	"time"

	"github.com/sellercenter/sellercenter/models/i18n"
	"github.com/sellercenter/sellercenter/models/interfacelog"
	"github.com/sellercenter/sellercenter/models/invoices"
	"github.com/sellercenter/sellercenter/models/orders"
	"github.com/sellercenter/sellercenter/models/supervision"
)

// orderColumns are the order export's columns; merchant is added first for
// an export across merchants.
var orderColumns = []column{
	{"exports.col.order_id", cellText, 24},
	{"exports.col.order_line_id", cellText, 26},
	{"exports.col.order_type", cellText, 10},
	{"exports.col.product_name", cellText, 24},
	{"exports.col.product_id", cellText, 20},
	{"exports.col.sku", cellText, 14},
	{"exports.col.charging", cellText, 12},
	{"exports.col.period", cellText, 10},
	{"exports.col.customer", cellText, 12},
	{"exports.col.customer_id", cellText, 18},
	{"exports.col.ordered_at", cellTime, 20},
	{"exports.col.expire_at", cellTime, 20},
	{"exports.col.amount", cellMoney, 12},
	{"exports.col.currency", cellText, 8},
	{"exports.col.status", cellText, 12},
	{"exports.col.supervision", cellText, 12},
	{"exports.col.instance_id", cellText, 24},
	{"exports.col.provisioning", cellText, 12},
}

// ilogColumns are the message-log export's columns.
var ilogColumns = []column{
	{"exports.col.at", cellTime, 20},
	{"exports.col.activity", cellText, 18},
	{"exports.col.order_id", cellText, 24},
	{"exports.col.order_line_id", cellText, 26},
	{"exports.col.instance_id", cellText, 24},
	{"exports.col.protocol", cellText, 8},
	{"exports.col.url", cellText, 40},
	{"exports.col.http_status", cellInt, 10},
	{"exports.col.result_code", cellText, 10},
	{"exports.col.outcome", cellText, 10},
	{"exports.col.error_class", cellText, 14},
	{"exports.col.error_detail", cellText, 40},
	{"exports.col.latency_ms", cellInt, 10},
	{"exports.col.attempt", cellInt, 8},
	{"exports.col.max_attempts", cellInt, 8},
	{"exports.col.next_retry", cellTime, 20},
	{"exports.col.call_state", cellText, 10},
	{"exports.col.manual", cellText, 8},
	{"exports.col.actor", cellText, 20},
}

// invoiceColumns are the invoice export's columns (finance's list). The
// buyer's e-mail stays out: the list does not show it either.
var invoiceColumns = []column{
	{"exports.col.request_id", cellText, 24},
	{"exports.col.invoice_number", cellText, 22},
	{"exports.col.invoice_status", cellText, 10},
	{"exports.col.needs_return", cellText, 8},
	{"exports.col.overdue", cellText, 8},
	{"exports.col.invoice_kind", cellText, 10},
	{"exports.col.title", cellText, 28},
	{"exports.col.tax_id", cellText, 22},
	{"exports.col.customer_id", cellText, 18},
	{"exports.col.amount", cellMoney, 12},
	{"exports.col.currency", cellText, 8},
	{"exports.col.requested_at", cellTime, 20},
	{"exports.col.invoice_date", cellText, 12},
	{"exports.col.issued_at", cellTime, 20},
	{"exports.col.reason", cellText, 30},
}

// supervisionColumns are the 服务监管 list's columns, the list's own
// headers; a product and a customer are a name and an id, as the list
// shows them on two lines.
var supervisionColumns = []column{
	{"supervision.col.order", cellText, 24},
	{"supervision.col.product", cellText, 24},
	{"exports.col.product_id", cellText, 20},
	{"supervision.col.customer", cellText, 12},
	{"exports.col.customer_id", cellText, 18},
	{"supervision.col.node", cellText, 12},
	{"supervision.col.entered", cellTime, 20},
	{"supervision.col.left", cellText, 16},
	{"supervision.col.rejects", cellInt, 8},
	{"supervision.col.appeal", cellText, 10},
	{"supervision.col.mode", cellText, 10},
}

// statementColumns are a settlement statement's lines, as its page shows
// them; at is when the line was ordered (a sale) or refunded.
var statementColumns = []column{
	{"exports.col.order_id", cellText, 24},
	{"exports.col.order_line_id", cellText, 26},
	{"exports.col.product_name", cellText, 24},
	{"exports.col.statement_kind", cellText, 10},
	{"exports.col.statement_at", cellTime, 20},
	{"exports.col.amount", cellMoney, 12},
	{"exports.col.rate", cellText, 8},
	{"exports.col.fee", cellMoney, 12},
	{"exports.col.currency", cellText, 8},
}

var merchantColumn = column{"exports.col.merchant", cellText, 12}

// labels localizes enum values once per value, not once per row.
type labels struct {
	l     *i18n.Localizer
	cache map[string]string
}

func newLabels(l *i18n.Localizer) *labels { return &labels{l: l, cache: map[string]string{}} }

// of returns the label of prefix+value, or "" for an empty value.
func (b *labels) of(prefix, value string) string {
	if value == "" {
		return ""
	}
	id := prefix + value
	s, ok := b.cache[id]
	if !ok {
		s = b.l.T(id)
		b.cache[id] = s
	}
	return s
}

// orderValues fills vals (len(orderColumns), plus one in front (the merchant's name) when names
// is set) with a row's cells.
func orderValues(vals []any, r orders.Row, lb *labels, names map[int64]string) []any {
	vals = vals[:0]
	if names != nil {
		vals = append(vals, names[r.MerchantID])
	}
	period := ""
	if r.PeriodNumber > 0 && r.PeriodType != "" {
		period = lb.l.T("period.n."+r.PeriodType, "N", r.PeriodNumber)
	}
	var expire any
	if r.ExpireAt != nil {
		expire = *r.ExpireAt
	}
	return append(vals, r.OrderCode, r.OrderLineID, lb.of("order.type.", r.OrderType), r.ProductName, r.ProductID,
		r.SKUCode, lb.of("charging.", r.ChargingMode), period, r.Customer, r.CustomerID, r.OrderedAt, expire,
		r.Amount, r.Currency, lb.of("order.status.", string(r.Status)), lb.of("supervision.", string(r.Supervision)),
		r.InstanceID, lb.of("call.state.", string(r.CallState)))
}

// ilogValues fills vals with a message-log row's cells.
func ilogValues(vals []any, r interfacelog.Row, lb *labels, names map[int64]string) []any {
	vals = vals[:0]
	if names != nil {
		vals = append(vals, names[r.MerchantID])
	}
	var status, next any
	if r.ResponseStatus != 0 {
		status = int64(r.ResponseStatus)
	}
	if r.NextRetryAt != nil {
		next = *r.NextRetryAt
	}
	return append(vals, r.At, r.Activity, r.OrderID, r.OrderLineID, r.InstanceID, r.Protocol, r.URL, status,
		r.ResultCode, lb.of("outcome.", r.Outcome), lb.of("errclass.", r.ErrorClass), r.ErrorDetail,
		r.LatencyMS, int64(r.AttemptNo), int64(r.MaxAttempts), next, lb.of("call.state.", string(r.CallState)),
		lb.yesNo(r.Manual), r.ActorEmail)
}

// invoiceValues fills vals with an invoice row's cells. Titles and reasons
// are typed by buyers and staff: the writer escapes them like every text.
func invoiceValues(vals []any, r invoices.Row, lb *labels, names map[int64]string) []any {
	vals = vals[:0]
	if names != nil {
		vals = append(vals, names[r.MerchantID])
	}
	var issued any
	if r.IssuedAt != nil {
		issued = *r.IssuedAt
	}
	reason := r.RejectReason
	if r.ReturnReason != "" {
		reason = r.ReturnReason
	}
	return append(vals, r.RequestID, r.InvoiceNumber, lb.of("invoice.status.", string(r.Status)), lb.yesNo(r.NeedsReturn),
		lb.yesNo(r.Overdue), lb.of("invoice.kind.", string(r.Kind)), r.Title, r.TaxID, r.CustomerID, r.Amount, r.Currency,
		r.RequestedAt, r.InvoiceDate, issued, reason)
}

// statementValues fills vals with a statement line's cells.
func statementValues(vals []any, r invoices.StatementLineRow, currency string, lb *labels) []any {
	return append(vals[:0], r.OrderCode, r.OrderLineID, r.ProductName, lb.of("statement.kind.", r.Kind), r.At,
		r.Gross, invoices.RatePercent(r.RateBP), r.Fee, currency)
}

// yesNo is the localized yes or no.
func (b *labels) yesNo(v bool) string {
	if v {
		return b.of("exports.", "yes")
	}
	return b.of("exports.", "no")
}

// supervisionValues fills vals with a flow's cells: labels for the node,
// appeal state and acceptance mode, the time left as the list words it
// (empty when no clock runs), an overdue SLA beside the node as the list's
// badge is.
func supervisionValues(vals []any, r supervision.Row, now time.Time, lb *labels, names map[int64]string) []any {
	vals = vals[:0]
	if names != nil {
		vals = append(vals, names[r.MerchantID])
	}
	node := lb.of("supervision.node.", string(r.Node))
	if r.Overdue() {
		node += " · " + lb.of("supervision.", "overdue")
	}
	left := ""
	if d, ok := r.Left(now); ok {
		days, hours, overdue := supervision.LeftParts(d)
		left = lb.l.T("supervision.left_dh", "D", days, "H", hours)
		if overdue {
			left = lb.l.T("supervision.overdue_by", "Left", left)
		}
	}
	return append(vals, r.OrderCode, r.ProductName, r.ProductID, r.CustomerName, r.CustomerID, node, r.NodeEnteredAt,
		left, int64(r.RejectCount), lb.of("supervision.appeal.", string(r.SupFlow.Appeal)),
		lb.of("supervision.accept_mode.", r.AcceptanceMode))
}
