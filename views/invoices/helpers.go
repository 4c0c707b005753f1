// Package invoices renders 发票管理: the invoice list with its customer and
// platform tabs, an invoice's page with its timeline and action forms, and
// the buyer's own invoices.
package invoices

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/views"
)

func statusClass(s models.InvoiceStatus) string {
	switch s {
	case models.InvoicePending, models.InvoiceReturning:
		return "warn"
	case models.InvoiceIssued:
		return "ok"
	case models.InvoiceRejected:
		return "bad"
	}
	return ""
}

func boolAttr(b bool) string { return strconv.FormatBool(b) }

// eventNote is the short detail a timeline line shows.
func eventNote(ctx context.Context, ev models.InvoiceEvent) string {
	var m map[string]any
	if json.Unmarshal([]byte(ev.Detail), &m) != nil {
		return ""
	}
	str := func(k string) string { s, _ := m[k].(string); return s }
	switch ev.Kind {
	case models.InvoiceEvIssued:
		return str("number") + " · " + str("date")
	case models.InvoiceEvRejected, models.InvoiceEvReturnAsked:
		return str("reason")
	case models.InvoiceEvReturned:
		return str("red_letter_no")
	case models.InvoiceEvRequested:
		if a, ok := m["amount"].(float64); ok {
			return views.Money(int64(a), str("currency"))
		}
	case models.InvoiceEvLineRefunded:
		return str("line")
	}
	return ""
}

// has reports whether the detail allows action a.
func has(actions []models.InvoiceAction, a models.InvoiceAction) bool {
	for _, x := range actions {
		if x == a {
			return true
		}
	}
	return false
}
