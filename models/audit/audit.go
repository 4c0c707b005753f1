// Package audit writes and reads the audit log: who did what, when, from where.
package audit

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
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

// Page is one page of entries, newest first.
type Page struct {
	Entries []models.AuditEntry
	NextID  int64 // 0 = no more
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
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	var rows []models.AuditEntry
	if err := q.Order("id DESC").Limit(limit + 1).Find(&rows).Error; err != nil {
		return Page{}, err
	}
	p := Page{Entries: rows}
	if len(rows) > limit {
		p.Entries = rows[:limit]
		p.NextID = rows[limit-1].ID
	}
	return p, nil
}
