package exports

import (
	"strings"
	"time"

	"github.com/sellercenter/sellercenter/models/audit"
	"github.com/sellercenter/sellercenter/models/i18n"
)

// auditColumns are the audit log export's columns: what /settings/audit
// and /admin/audit show, localized the same way.
var auditColumns = []column{
	{"exports.col.at", cellTime, 20},
	{"pages.audit.col.actor_name", cellText, 14},
	{"pages.audit.col.actor_email", cellText, 24},
	{"pages.audit.col.action", cellText, 20},
	{"pages.audit.col.target_type", cellText, 12},
	{"pages.audit.col.target", cellText, 24},
	{"pages.audit.col.detail", cellText, 50},
	{"pages.audit.col.ip", cellText, 16},
}

// auditValues fills vals with an entry's cells (the merchant's name first
// when names is set).
func auditValues(vals []any, r audit.Row, lb *labels, names map[int64]string) []any {
	vals = vals[:0]
	if names != nil {
		name := ""
		if r.MerchantID != nil {
			name = names[*r.MerchantID]
		}
		vals = append(vals, name)
	}
	target := r.TargetName
	if target == "" {
		target = r.TargetID
	}
	var detail []string
	for _, f := range r.Fields() {
		v := f.Value
		if f.ValueID != "" {
			if s := lb.of("", f.ValueID); s != f.ValueID {
				v = s
			}
		}
		k := "pages.audit.key." + f.Key
		if s := lb.of("", k); s != k {
			k = s
		} else {
			k = strings.ReplaceAll(f.Key, "_", " ")
		}
		detail = append(detail, k+": "+v)
	}
	tt := lb.of("pages.audit.target.", r.TargetType)
	if tt == "pages.audit.target."+r.TargetType {
		tt = r.TargetType
	}
	return append(vals, r.At, r.ActorName, r.ActorEmail, lb.of("audit.action.", r.Action), tt, target,
		strings.Join(detail, "; "), r.IP)
}

// auditSummary is the audit filter in a few words.
func auditSummary(l *i18n.Localizer, f audit.Filter, loc *time.Location, merchant string) string {
	parts := []string{dateSummary(l, f.From, f.To, loc)}
	if merchant != "" {
		parts = append(parts, merchant)
	}
	if f.Actor != "" {
		parts = append(parts, l.T("audit.actor")+" "+f.Actor)
	}
	if f.Action != "" {
		parts = append(parts, l.T("audit.action."+f.Action))
	}
	if f.Target != "" {
		parts = append(parts, l.T("pages.audit.target."+f.Target)+" "+f.TargetID)
	}
	return joinSummary(parts)
}
