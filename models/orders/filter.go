package orders

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sellercenter/sellercenter/models"
)

// Sort orders of the list.
const (
	SortTimeDesc   = "time_desc"
	SortTimeAsc    = "time_asc"
	SortAmountDesc = "amount_desc"
	SortAmountAsc  = "amount_asc"
)

// PageSizes are the page sizes a reader may choose (size=); 50 by default.
var PageSizes = []int{20, 50, 100}

// Sorts lists them in display order.
var Sorts = []string{SortTimeDesc, SortTimeAsc, SortAmountDesc, SortAmountAsc}

// Filter is the list's filter; it round-trips through a URL query so a
// filtered view can be bookmarked, shared and exported.
type Filter struct {
	MerchantID   int64  // operations managers only; 0 = all merchants
	Merchant     string // the merchant's slug as asked for; List resolves it
	From, To     time.Time
	OrderPrefix  string
	Type         string
	Status       models.LineStatus
	ProductID    string // the marketplace productId
	ChargingMode string
	Supervision  models.Supervision
	CustomerID   string
	Sort         string
	Cursor       string
	Limit        int
}

// Query is the filter's URL form (without cursor and merchant, which the
// caller adds as it needs).
func (f Filter) Query(loc *time.Location) url.Values {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	if !f.From.IsZero() {
		set("from", f.From.In(loc).Format("2006-01-02"))
	}
	if !f.To.IsZero() {
		set("to", f.To.In(loc).AddDate(0, 0, -1).Format("2006-01-02"))
	}
	set("order", f.OrderPrefix)
	set("type", f.Type)
	set("status", string(f.Status))
	set("product", f.ProductID)
	set("charging", f.ChargingMode)
	set("supervision", string(f.Supervision))
	set("customer", f.CustomerID)
	if f.Sort != SortTimeDesc {
		set("sort", f.Sort)
	}
	return q
}

// ParseFilter reads a filter from URL values, in the viewer's zone. Every
// field is checked: an unknown value is refused, not ignored, so a link never
// silently shows something other than what it says. The merchant slug is
// kept as asked: whether it applies is the service's rule (tenancy.Chosen).
func ParseFilter(q url.Values, loc *time.Location) (Filter, *models.ValidationError) {
	v := &models.ValidationError{}
	f := Filter{OrderPrefix: strings.TrimSpace(q.Get("order")), Type: q.Get("type"), Status: models.LineStatus(q.Get("status")),
		ProductID: strings.TrimSpace(q.Get("product")), ChargingMode: q.Get("charging"),
		Supervision: models.Supervision(q.Get("supervision")), CustomerID: strings.TrimSpace(q.Get("customer")),
		Sort: q.Get("sort"), Cursor: q.Get(models.ParamCursor), Merchant: strings.TrimSpace(q.Get("merchant"))}
	f.From, f.To = models.DateRange(q, loc, v)
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Sub(f.From) > 3*366*24*time.Hour {
		v.Add("to", models.M("err.range_too_long", "Years", 3))
	}
	check := func(field, val string, allowed []string) {
		if val == "" {
			return
		}
		for _, a := range allowed {
			if a == val {
				return
			}
		}
		v.Add(field, models.M("err.filter_value"))
	}
	check("type", f.Type, models.OrderTypes)
	check("status", string(f.Status), strs(models.LineStatuses))
	check("charging", f.ChargingMode, models.ChargingModes)
	check("supervision", string(f.Supervision), strs(models.Supervisions))
	check("sort", f.Sort, Sorts)
	if f.Sort == "" {
		f.Sort = SortTimeDesc
	}
	if n := q.Get("size"); n != "" {
		f.Limit, _ = strconv.Atoi(n)
		if !slices.Contains(PageSizes, f.Limit) {
			v.Add("size", models.M("err.filter_value"))
			f.Limit = 0
		}
	}
	for field, val := range map[string]string{"order": f.OrderPrefix, "product": f.ProductID, "customer": f.CustomerID} {
		if len(val) > 64 || strings.ContainsAny(val, "%_\\\x00") {
			v.Add(field, models.M("err.id_format"))
		}
	}
	if f.Cursor != "" {
		if c, err := models.ParseCursor(f.Cursor, cursorKinds); err != nil || (c.Kind == 'a') != isAmountSort(f.Sort) {
			v.Add("cursor", models.M("err.cursor"))
		}
	}
	return f, v
}

func strs[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// A cursor's key is the last row's order time ('t', Unix nanoseconds) on a
// time sort and its amount ('a') on an amount sort.
const cursorKinds = "ta"
