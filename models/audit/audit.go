// Package audit writes and reads the audit log: who did what, when, from where.
package audit

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/tenancy"
)

// Event is what a service records; Write fills in the actor fields.
type Event struct {
	Action     string
	MerchantID int64 // 0 = none (platform)
	TargetType string
	TargetID   int64
	Target     string // used when the target id is not numeric
	Detail     map[string]any
}

// Write appends one entry inside the caller's transaction, so the audit line
// exists exactly when the change it describes does.
func Write(tx *gorm.DB, at time.Time, actor models.Actor, ev Event) error {
	e := models.AuditEntry{
		At:         at.UTC(),
		ActorEmail: actor.Email,
		Action:     ev.Action,
		TargetType: ev.TargetType,
		TargetID:   ev.Target,
		IP:         actor.IP,
	}
	if actor.UserID != 0 {
		id := actor.UserID
		e.ActorUserID = &id
	}
	mid := ev.MerchantID
	if mid == 0 {
		mid = actor.MerchantID
	}
	if mid != 0 {
		e.MerchantID = &mid
	}
	if ev.TargetID != 0 {
		e.TargetID = strconv.FormatInt(ev.TargetID, 10)
	}
	if len(ev.Detail) > 0 {
		b, err := json.Marshal(ev.Detail)
		if err != nil {
			return err
		}
		e.Detail = string(b)
	}
	return tx.Create(&e).Error
}

// Filter narrows the audit page.
type Filter struct {
	Action   string
	BeforeID int64 // keyset paging: entries with id < BeforeID
	Limit    int
}

// ParseFilter reads the audit page's query. An action the log does not know
// shows every action rather than an error: the select submits itself, and
// links keep working after an action is retired.
func ParseFilter(q url.Values, _ *time.Location) (Filter, *models.ValidationError) {
	v := &models.ValidationError{}
	f := Filter{Action: q.Get("action"), BeforeID: models.ParseBefore(q, v)}
	if !models.KnownAuditAction(f.Action) {
		f.Action = ""
	}
	return f, v
}

// Query is the filter's URL form (without the page's position).
func (f Filter) Query() url.Values {
	q := url.Values{}
	if f.Action != "" {
		q.Set("action", f.Action)
	}
	return q
}

// Page is one page of entries, newest first.
type Page struct {
	models.Page[models.AuditEntry]
	// Merchants names the entries' merchants for a platform reader, who
	// reads every merchant's log (nil for a merchant user).
	Merchants map[int64]string
}

// Reader lists audit entries, scoped to what the actor may see.
type Reader struct{ db *gorm.DB }

// NewReader builds the audit log reader.
func NewReader(db *gorm.DB) Reader { return Reader{db: db} }

// List returns entries visible to the actor: operations managers see all,
// merchant owners their own merchant only.
func (r Reader) List(ctx context.Context, actor models.Actor, f Filter) (Page, error) {
	q := r.db.WithContext(ctx).Model(&models.AuditEntry{})
	switch {
	case actor.Can(models.PermAdminAudit):
	case actor.Can(models.PermMerchantAudit) && actor.MerchantID != 0:
		q = q.Where("merchant_id = ?", actor.MerchantID)
	default:
		return Page{}, models.ErrForbidden
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	limit := models.PageLimit(f.Limit)
	var rows []models.AuditEntry
	if err := q.Order("id DESC").Limit(limit + 1).Find(&rows).Error; err != nil {
		return Page{}, err
	}
	p := Page{Page: models.PageBefore(rows, limit, func(e models.AuditEntry) int64 { return e.ID })}
	ms, err := tenancy.Choices(ctx, r.db, actor)
	if ms != nil {
		p.Merchants = make(map[int64]string, len(ms))
		for _, m := range ms {
			p.Merchants[m.ID] = m.Name
		}
	}
	return p, err
}
