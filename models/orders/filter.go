package orders

import (
	"encoding/base64"
	"fmt"
	"net/url"
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

// Sorts lists them in display order.
var Sorts = []string{SortTimeDesc, SortTimeAsc, SortAmountDesc, SortAmountAsc}

// Filter is the list's filter; it round-trips through a URL query so a
// filtered view can be bookmarked, shared and exported.
type Filter struct {
	MerchantID   int64 // operations managers only; 0 = all merchants
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
// silently shows something other than what it says. Merchant slugs are the
// caller's business (they need the database).
func ParseFilter(q url.Values, loc *time.Location) (Filter, *models.ValidationError) {
	v := &models.ValidationError{}
	f := Filter{OrderPrefix: strings.TrimSpace(q.Get("order")), Type: q.Get("type"), Status: models.LineStatus(q.Get("status")),
		ProductID: strings.TrimSpace(q.Get("product")), ChargingMode: q.Get("charging"),
		Supervision: models.Supervision(q.Get("supervision")), CustomerID: strings.TrimSpace(q.Get("customer")),
		Sort: q.Get("sort"), Cursor: q.Get("cursor")}
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
	for field, val := range map[string]string{"order": f.OrderPrefix, "product": f.ProductID, "customer": f.CustomerID} {
		if len(val) > 64 || strings.ContainsAny(val, "%_\\\x00") {
			v.Add(field, models.M("err.id_format"))
		}
	}
	if f.Cursor != "" {
		if kind, _, _, err := decodeCursor(f.Cursor); err != nil || (kind == 'a') != strings.HasPrefix(f.Sort, "amount") {
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

// A cursor is the last row's sort key and id: "t<unixnano>.<id>" for time
// sorts, "a<amount>.<id>" for amount sorts.
func encodeCursor(kind byte, key int64, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("%c%d.%d", kind, key, id)))
}

func decodeCursor(c string) (kind byte, key, id int64, err error) {
	b, derr := base64.RawURLEncoding.DecodeString(c)
	if derr != nil || len(b) < 4 || len(b) > 48 || (b[0] != 't' && b[0] != 'a') {
		return 0, 0, 0, errBadCursor
	}
	k, i, ok := strings.Cut(string(b[1:]), ".")
	if !ok {
		return 0, 0, 0, errBadCursor
	}
	key, err1 := strconv.ParseInt(k, 10, 64)
	id, err2 := strconv.ParseInt(i, 10, 64)
	if err1 != nil || err2 != nil || id <= 0 {
		return 0, 0, 0, errBadCursor
	}
	return b[0], key, id, nil
}

var errBadCursor = ErrBadCursor
