package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/tenancy"
)

// Row is one entry as the log shows it: with the actor's name, the
// merchant's name and the object's name where the object is known.
type Row struct {
	models.AuditEntry
	ActorName    string `gorm:"column:actor_name"`
	MerchantName string `gorm:"column:merchant_name"`
	// TargetName is what people call the object (an order's id, a user's
	// e-mail, a merchant's name); "" when the entry's id is all there is.
	TargetName string `gorm:"column:target_name"`
}

// Field is one line of an entry's details: Key names it (catalog
// pages.audit.key.<Key>); Value is shown as is unless ValueID, a catalog id,
// names a localized value.
type Field struct {
	Key, Value, ValueID string
}

// valuePrefixes localize the detail values that are enum codes.
var valuePrefixes = map[string]string{
	"role": "role.", "status_reason": "line.reason.", "previous_state": "call.state.", "outcome": "outcome.",
	"class": "errclass.", "kind": "exports.kind.", "activity": "activity.",
}

// actionValuePrefixes localize the codes whose meaning depends on the action
// ("from" is a supervision node in one entry and a price in another).
var actionValuePrefixes = map[string]map[string]string{
	models.AuditSupAction: {"from": "supervision.node.", "to": "supervision.node.",
		"party": "supervision.party.", "action": "supervision.action."},
	models.AuditSupAppealed:  {"party": "supervision.party.", "outcome": "supervision.ruling."},
	models.AuditDemandClosed: {"reason": "pages.audit.close_reason."},
}

// Fields are the entry's details in key order; a detail that is not a JSON
// object shows whole under "detail".
func (r Row) Fields() []Field {
	if r.Detail == "" {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(r.Detail), &m); err != nil {
		return []Field{{Key: "detail", Value: r.Detail}}
	}
	out := make([]Field, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		f := Field{Key: k, Value: valueText(m[k])}
		if p, ok := actionValuePrefixes[r.Action][k]; ok && f.Value != "" {
			f.ValueID = p + f.Value
		} else if p, ok := valuePrefixes[k]; ok && f.Value != "" {
			f.ValueID = p + f.Value
		}
		if b, ok := m[k].(bool); ok {
			f.ValueID = map[bool]string{true: "pages.audit.yes", false: "pages.audit.no"}[b]
		}
		out = append(out, f)
	}
	return out
}

func valueText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		if x == float64(int64(x)) {
			return fmt.Sprintf("%d", int64(x))
		}
		return fmt.Sprint(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = valueText(e)
		}
		return strings.Join(parts, ", ")
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

// Page is one page of entries, newest first.
type Page struct {
	models.Page[Row]
	// Merchants are the merchant filter's choices for a platform reader,
	// who reads every merchant's log (nil for a merchant user).
	Merchants []models.Merchant
}

// Reader lists audit entries, scoped to what the actor may see.
type Reader struct{ db *gorm.DB }

// NewReader builds the audit log reader.
func NewReader(db *gorm.DB) Reader { return Reader{db: db} }

// scope is the filtered entries the actor may see, over audit_log AS a.
func (r Reader) scope(ctx context.Context, actor models.Actor, f *Filter) (*gorm.DB, []models.Merchant, error) {
	q := r.db.WithContext(ctx).Table("audit_log AS a")
	var ms []models.Merchant
	switch {
	case actor.Can(models.PermAdminAudit):
		var err error
		if ms, f.MerchantID, err = tenancy.Filter(ctx, r.db, actor, f.Merchant, f.MerchantID); err != nil {
			return nil, nil, err
		}
		if f.MerchantID != 0 {
			q = q.Where("a.merchant_id = ?", f.MerchantID)
		}
	case actor.Can(models.PermMerchantAudit) && actor.MerchantID != 0:
		q = q.Where("a.merchant_id = ?", actor.MerchantID)
	default:
		return nil, nil, models.ErrForbidden
	}
	if f.Action != "" {
		q = q.Where("a.action = ?", f.Action)
	}
	if f.Actor != "" {
		q = q.Where("a.actor_email >= ? AND a.actor_email < ?", f.Actor, f.Actor+"\U0010FFFF")
	}
	if f.Target != "" {
		q = q.Where("a.target_type = ?", f.Target)
	}
	if f.TargetID != "" {
		// The object as people name it, or its id.
		q = q.Where(`(a.target_id = ? OR (a.target_type = 'order' AND a.target_id IN (SELECT CAST(id AS TEXT) FROM orders WHERE order_id = ?))
			OR (a.target_type = 'user' AND a.target_id IN (SELECT CAST(id AS TEXT) FROM users WHERE email = ?)))`,
			f.TargetID, f.TargetID, strings.ToLower(f.TargetID))
	}
	if !f.From.IsZero() {
		q = q.Where("a.at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("a.at < ?", f.To.UTC())
	}
	return q, ms, nil
}

const rowColumns = `a.*, u.name AS actor_name, m.name AS merchant_name,
	CASE a.target_type
		WHEN 'order' THEN (SELECT o.order_id FROM orders o WHERE o.id = a.target_id)
		WHEN 'user' THEN (SELECT t.email FROM users t WHERE t.id = a.target_id)
		WHEN 'merchant' THEN (SELECT t.name FROM merchants t WHERE t.id = a.target_id)
	END AS target_name`

func withNames(q *gorm.DB) *gorm.DB {
	return q.Select(rowColumns).Joins("LEFT JOIN users u ON u.id = a.actor_user_id").
		Joins("LEFT JOIN merchants m ON m.id = a.merchant_id")
}

// List returns one page of the entries the actor may see: operations
// managers every merchant's (and the platform's own), a merchant's owner
// its merchant's only. Pages run both ways from a cursor on the entry id.
func (r Reader) List(ctx context.Context, actor models.Actor, f Filter) (Page, error) {
	var at models.Cursor
	if f.Cursor != "" {
		var err error
		if at, err = models.ParseCursor(f.Cursor, cursorKinds); err != nil {
			return Page{}, models.ErrBadCursor
		}
	}
	q, ms, err := r.scope(ctx, actor, &f)
	if err != nil {
		return Page{}, err
	}
	limit := models.PageLimit(f.Limit)
	order := "a.id DESC"
	switch {
	case at.ID != 0 && at.Back:
		q, order = q.Where("a.id > ?", at.ID), "a.id ASC"
	case at.ID != 0:
		q = q.Where("a.id < ?", at.ID)
	}
	var rows []Row
	if err := withNames(q).Order(order).Limit(limit + 1).Scan(&rows).Error; err != nil {
		return Page{}, err
	}
	pg, first := models.CursorPage(rows, limit, at, func(r Row) models.Cursor { return models.Cursor{Kind: 'i', Key: r.ID, ID: r.ID} })
	if first {
		f.Cursor = ""
		return r.List(ctx, actor, f)
	}
	return Page{Page: pg, Merchants: ms}, nil
}

// Count is the number of entries the filter selects (an export's size).
func (r Reader) Count(ctx context.Context, actor models.Actor, f Filter) (int64, error) {
	q, _, err := r.scope(ctx, actor, &f)
	if err != nil {
		return 0, err
	}
	var n int64
	return n, q.Count(&n).Error
}

// Each calls fn with every entry the filter selects, newest first, reading
// in keyset batches so an export never holds the log in memory.
func (r Reader) Each(ctx context.Context, actor models.Actor, f Filter, fn func(Row) error) (int64, error) {
	var n, before int64
	for {
		q, _, err := r.scope(ctx, actor, &f)
		if err != nil {
			return n, err
		}
		if before != 0 {
			q = q.Where("a.id < ?", before)
		}
		var rows []Row
		if err := withNames(q).Order("a.id DESC").Limit(1000).Scan(&rows).Error; err != nil {
			return n, err
		}
		for _, row := range rows {
			if err := fn(row); err != nil {
				return n, err
			}
			n++
		}
		if len(rows) < 1000 {
			return n, nil
		}
		before = rows[len(rows)-1].ID
	}
}
