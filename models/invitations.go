package models

import "time"

// Invitation is a sub-user an owner added that has not accepted yet. The
// owner sees every pending one alike; only UserID (never shown to the
// owner) tells a free address from one in use elsewhere.
type Invitation struct {
	ID          int64      `gorm:"column:id;primaryKey"`
	MerchantID  int64      `gorm:"column:merchant_id"`
	Email       string     `gorm:"column:email"`
	Name        string     `gorm:"column:name"`
	Role        Role       `gorm:"column:role"`
	UserID      *int64     `gorm:"column:user_id"`
	CreatedAt   time.Time  `gorm:"column:created_at"`
	AcceptedAt  *time.Time `gorm:"column:accepted_at"`
	CancelledAt *time.Time `gorm:"column:cancelled_at"`
}

func (Invitation) TableName() string { return "user_invitations" }

// NotPendingUser is a users-table condition that leaves out users still
// pending an invitation: until they accept, no merchant screen may show or
// act on them, or a free address would look unlike one in use elsewhere.
const NotPendingUser = "id NOT IN (SELECT user_id FROM user_invitations WHERE user_id IS NOT NULL AND accepted_at IS NULL AND cancelled_at IS NULL)"

// Audit actions of invitations. The owner's log gets AuditUserInvited and
// AuditInviteCancelled for every address alike; the platform's log (no
// merchant) records what really happened: AuditUserCreated for a free
// address, AuditInviteForeign for one in use elsewhere.
const (
	AuditUserInvited     = "user.invited"
	AuditInviteCancelled = "user.invite_cancelled"
	AuditInviteForeign   = "user.invite_foreign"
)

func init() {
	AuditActions = append(AuditActions, AuditUserInvited, AuditInviteCancelled, AuditInviteForeign)
}
