package interfacelog

import (
	"net/url"
	"strings"
	"time"

	"github.com/sellercenter/sellercenter/models"
)

// ParseFilter reads the log's filter from URL values, in the viewer's zone;
// to is an inclusive date. Unknown values are refused, not ignored, so a
// shared link or an export never silently shows something else. The
// merchant slug is kept as asked: whether it applies is the service's rule
// (tenancy.Chosen). The returned error holds every field message; check it
// with Err.
func ParseFilter(q url.Values, loc *time.Location) (Filter, *models.ValidationError) {
	v := &models.ValidationError{}
	f := Filter{Activity: q.Get("activity"), OrderID: q.Get("order"),
		State: legacyState(q.Get("state")), ErrorClass: q.Get("class"), Cursor: q.Get(models.ParamCursor),
		Merchant: strings.TrimSpace(q.Get("merchant"))}
	f.From, f.To = models.DateRange(q, loc, v)
	if f.Activity != "" && !oneOf(f.Activity, models.Activities...) {
		v.Add("activity", models.M("err.filter_value"))
	}
	if f.State != "" && !oneOf(f.State, models.CallViews...) {
		v.Add("state", models.M("err.filter_value"))
	}
	if f.ErrorClass != "" && !oneOf(f.ErrorClass, ErrorClasses...) {
		v.Add("class", models.M("err.filter_value"))
	}
	if len(f.OrderID) > 65 {
		v.Add("order", models.M("err.too_long", "Max", 64))
	}
	return f, v
}

func oneOf[T comparable](x T, xs ...T) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// legacyState reads the call states older links carry (the log filtered on
// them before it showed calls) as the view they now belong to.
func legacyState(v string) models.CallView {
	switch models.CallState(v) {
	case models.CallSucceeded:
		return models.ViewOK
	case models.CallPending, models.CallPolling:
		return models.ViewRetrying
	}
	return models.CallView(v)
}
