// Package audit writes and reads the audit log: who did what, when, from where.
//
// The log's pages (/settings/audit for a merchant's owner, /admin/audit for
// operations) show each entry as people read it: the actor's name and
// e-mail, the merchant's name, the localized action, the object's kind and
// name (an order's id, a user's e-mail, a merchant's name, resolved for the
// page's rows only), and the details as a localized key/value list (Row.
// Fields; enum values such as roles are localized too). Filters: who (an
// e-mail or its beginning), action, object kind and id or name, a date
// range in the reader's zone, and for operations the merchant. Pages are
// keyset pages both ways on the entry id; exports go through the export
// engine (kind "audit").
package audit

import (
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
