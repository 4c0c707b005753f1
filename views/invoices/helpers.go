// Package invoices renders 发票管理: the invoice list with its customer and
// platform tabs, an invoice's page with its timeline and action forms, and
// the buyer's own invoices.
package invoices

import (
	"context"
	"encoding/json"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/sellercenter/sellercenter/models"
	mi "github.com/sellercenter/sellercenter/models/invoices"
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

// offered are the lines the buyer's form shows: this page's and the ticks
// carried from other pages.
func offered(d BuyerData) []mi.BuyerLine {
	return append(append([]mi.BuyerLine{}, d.P.Lines.Rows...), d.P.Carried...)
}

// otherLineErrs are the messages about lines the form does not offer (an
// id typed or sent by hand), so a refusal always names its line.
func otherLineErrs(ctx context.Context, v *models.ValidationError, offered []mi.BuyerLine) []string {
	if v == nil {
		return nil
	}
	shown := map[string]bool{}
	for _, l := range offered {
		shown["orderLineIds["+l.OrderLineID+"]"] = true
	}
	var keys []string
	for k := range v.Fields {
		if strings.HasPrefix(k, "orderLineIds[") && !shown[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = views.FieldErr(ctx, v, k)
	}
	return out
}

// carried are the ticked statements this page does not show, in id order:
// hidden fields, so paging and quoting keep the ticks of other pages.
func carried(d PlatformData) []int64 {
	shown := make(map[int64]bool, len(d.Statements.Rows))
	for _, r := range d.Statements.Rows {
		shown[r.ID] = true
	}
	var out []int64
	for id, on := range d.Picked {
		if on && !shown[id] {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// ratePercent shows a rate in basis points as a percentage ("5%", "12.5%").
func ratePercent(bp int) string { return mi.RatePercent(bp) }

// rateValue is a commission form's rate: as typed when it was refused,
// else the rate set (blank when none is).
func rateValue(d AdminStatementsData, m mi.MerchantRate) string {
	if d.RateFor == m.Slug {
		return d.Rate
	}
	if !m.Set {
		return ""
	}
	return strings.TrimSuffix(ratePercent(m.RateBP), "%")
}

// merchantName is the name of the merchant slug names on the page.
func merchantName(p *mi.StatementAdmin, slug string) string {
	for _, m := range p.Merchants {
		if m.Slug == slug {
			return m.Name
		}
	}
	return slug
}
