package exports

import (
	"strings"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/i18n"
	"github.com/sellercenter/sellercenter/models/interfacelog"
	"github.com/sellercenter/sellercenter/models/invoices"
	"github.com/sellercenter/sellercenter/models/orders"
	"github.com/sellercenter/sellercenter/models/supervision"
)

// fileName is what the browser saves: merchant slug, kind, the date range
// and the time of the request, ASCII only, e.g.
// acme-orders-2026-11-01_2026-11-30-20261123-1015.xlsx.
func fileName(slug, kind string, from, to time.Time, at time.Time, loc *time.Location, format string) string {
	parts := []string{asciiSlug(slug), strings.ReplaceAll(kind, "_", "-")}
	if !from.IsZero() || !to.IsZero() {
		a, b := "begin", "now"
		if !from.IsZero() {
			a = from.In(loc).Format("2006-01-02")
		}
		if !to.IsZero() {
			b = to.In(loc).AddDate(0, 0, -1).Format("2006-01-02") // the inclusive end date
		}
		parts = append(parts, a+"_"+b)
	}
	parts = append(parts, at.In(loc).Format("20060102-1504"))
	return strings.Join(parts, "-") + "." + format
}

func asciiSlug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		return "export"
	}
	return b.String()
}

const maxSummary = 240

// dateSummary shows a filter's range in the viewer's terms (inclusive end).
func dateSummary(l *i18n.Localizer, from, to time.Time, loc *time.Location) string {
	switch {
	case from.IsZero() && to.IsZero():
		return l.T("exports.summary.all_time")
	case to.IsZero():
		return from.In(loc).Format("2006-01-02") + " ~"
	case from.IsZero():
		return "~ " + to.In(loc).AddDate(0, 0, -1).Format("2006-01-02")
	}
	return from.In(loc).Format("2006-01-02") + " ~ " + to.In(loc).AddDate(0, 0, -1).Format("2006-01-02")
}

func joinSummary(parts []string) string {
	s := strings.Join(parts, " · ")
	if r := []rune(s); len(r) > maxSummary {
		s = string(r[:maxSummary-1]) + "…"
	}
	return s
}

// orderSummary is the order filter in a few words, in the export's language.
func orderSummary(l *i18n.Localizer, f orders.Filter, loc *time.Location, merchant string) string {
	parts := []string{dateSummary(l, f.From, f.To, loc)}
	if merchant != "" {
		parts = append(parts, merchant)
	}
	if f.OrderPrefix != "" {
		parts = append(parts, l.T("orders.order_id")+" "+f.OrderPrefix)
	}
	if f.Type != "" {
		parts = append(parts, l.T("order.type."+f.Type))
	}
	if f.Status != "" {
		parts = append(parts, l.T("order.status."+string(f.Status)))
	}
	if f.ProductID != "" {
		parts = append(parts, f.ProductID)
	}
	if f.ChargingMode != "" {
		parts = append(parts, l.T("charging."+f.ChargingMode))
	}
	if f.Supervision != "" {
		parts = append(parts, l.T("orders.supervision")+" "+l.T("supervision."+string(f.Supervision)))
	}
	if f.CustomerID != "" {
		parts = append(parts, l.T("orders.customer")+" "+f.CustomerID)
	}
	return joinSummary(parts)
}

// ilogSummary is the message-log filter in a few words.
func ilogSummary(l *i18n.Localizer, f interfacelog.Filter, loc *time.Location, merchant string) string {
	parts := []string{dateSummary(l, f.From, f.To, loc)}
	if merchant != "" {
		parts = append(parts, merchant)
	}
	if f.Activity != "" {
		parts = append(parts, f.Activity)
	}
	if f.OrderID != "" {
		parts = append(parts, l.T("ilog.order")+" "+f.OrderID)
	}
	if f.State != "" {
		parts = append(parts, l.T("call.view."+string(f.State)))
	}
	if f.ErrorClass != "" {
		parts = append(parts, l.T("errclass."+f.ErrorClass))
	}
	return joinSummary(parts)
}

// invoiceSummary is the invoice filter in a few words.
func invoiceSummary(l *i18n.Localizer, f invoices.Filter, loc *time.Location, merchant string) string {
	parts := []string{dateSummary(l, f.From, f.To, loc)}
	if merchant != "" {
		parts = append(parts, merchant)
	}
	if f.Status != "" {
		parts = append(parts, l.T(f.Status.MsgID()))
	}
	if f.NeedsReturn {
		parts = append(parts, l.T("exports.col.needs_return"))
	}
	if f.Overdue {
		parts = append(parts, l.T("exports.col.overdue"))
	}
	if f.CustomerID != "" {
		parts = append(parts, l.T("exports.col.customer_id")+" "+f.CustomerID)
	}
	return joinSummary(parts)
}

// supervisionSummary is the 服务监管 filter in a few words.
func supervisionSummary(l *i18n.Localizer, f supervision.Filter, loc *time.Location, merchant string) string {
	parts := []string{dateSummary(l, f.From, f.To, loc)}
	if merchant != "" {
		parts = append(parts, merchant)
	}
	if f.Node != "" {
		parts = append(parts, l.T(f.Node.MsgID()))
	}
	if f.Appeal != "" {
		parts = append(parts, l.T("supervision.col.appeal")+" "+l.T(f.Appeal.MsgID()))
	}
	if f.Overdue {
		parts = append(parts, l.T("supervision.overdue"))
	}
	if f.MerchantTurn {
		parts = append(parts, l.T("todo.sup_merchant_turn"))
	}
	if f.ProductCode != "" {
		parts = append(parts, f.ProductCode)
	}
	if f.Customer != "" {
		parts = append(parts, l.T("exports.col.customer_id")+" "+f.Customer)
	}
	return joinSummary(parts)
}

// statementSummary names the statement an export holds: month and currency.
func statementSummary(l *i18n.Localizer, st *models.SettlementStatement) string {
	return l.T("exports.summary.statement", "Month", st.Month, "Currency", st.Currency)
}
