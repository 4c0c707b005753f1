package audit

import (
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/sellercenter/sellercenter/models"
)

// Targets are the kinds of object an entry is about, in the object filter's
// order (catalog: pages.audit.target.<kind>).
var Targets = []string{"order", "call", "user", "merchant", "product", "endpoint", "key", "api_token", "export",
	"demand", "invoice", "supervision", "supervision_appeal", "reception", "holiday", "holidays", "setting",
	"debugger", "test_case"}

// Filter narrows the audit log: who (an e-mail or its beginning), what
// action, which object (kind, and its id or name), when (dates in the
// reader's zone), and for operations which merchant.
type Filter struct {
	Actor      string
	Action     string
	Target     string
	TargetID   string
	From, To   time.Time
	Merchant   string // the merchant's slug as asked for (operations)
	MerchantID int64
	Cursor     string
	Limit      int
}

// ParseFilter reads the audit page's query; every field is checked and a
// bad one is named in a localized message.
func ParseFilter(q url.Values, loc *time.Location) (Filter, *models.ValidationError) {
	v := &models.ValidationError{}
	f := Filter{Actor: strings.ToLower(strings.TrimSpace(q.Get("actor"))), Action: q.Get("action"), Target: q.Get("target"),
		TargetID: strings.TrimSpace(q.Get("target_id")), Merchant: strings.TrimSpace(q.Get("merchant")),
		Cursor: q.Get(models.ParamCursor)}
	f.From, f.To = models.DateRange(q, loc, v)
	if f.Action != "" && !models.KnownAuditAction(f.Action) {
		v.Add("action", models.M("err.filter_value"))
	}
	if f.Target != "" && !slices.Contains(Targets, f.Target) {
		v.Add("target", models.M("err.filter_value"))
	}
	if len(f.Actor) > 254 || strings.ContainsAny(f.Actor, "%_\\\x00") {
		v.Add("actor", models.M("err.id_format"))
	}
	if len(f.TargetID) > 64 || strings.ContainsAny(f.TargetID, "%\\\x00") {
		v.Add("target_id", models.M("err.id_format"))
	}
	if f.Cursor != "" {
		if _, err := models.ParseCursor(f.Cursor, cursorKinds); err != nil {
			v.Add("cursor", models.M("err.cursor"))
		}
	}
	return f, v
}

// Query is the filter's URL form without its page position, in the
// reader's zone (what an export of the page repeats).
func (f Filter) Query(loc *time.Location) url.Values {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("actor", f.Actor)
	set("action", f.Action)
	set("target", f.Target)
	set("target_id", f.TargetID)
	set("merchant", f.Merchant)
	if !f.From.IsZero() {
		set("from", f.From.In(loc).Format(time.DateOnly))
	}
	if !f.To.IsZero() {
		set("to", f.To.In(loc).AddDate(0, 0, -1).Format(time.DateOnly))
	}
	return q
}

// An audit cursor is the entry's id ('i'): the log is in id order.
const cursorKinds = "i"
