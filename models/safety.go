package models

import "time"

// LoginThrottle counts recent login failures of one (client address,
// account) pair, or of an address over every account when Email is "".
type LoginThrottle struct {
	IP            string    `gorm:"column:ip;primaryKey"`
	Email         string    `gorm:"column:email;primaryKey"`
	Failures      int       `gorm:"column:failures"`
	LastFailureAt time.Time `gorm:"column:last_failure_at"`
	NextAllowedAt time.Time `gorm:"column:next_allowed_at"`
}

func (LoginThrottle) TableName() string { return "login_throttle" }

// PasswordReset is a 忘记密码 token: only its hash is stored.
type PasswordReset struct {
	ID        int64      `gorm:"column:id;primaryKey"`
	UserID    int64      `gorm:"column:user_id"`
	TokenHash string     `gorm:"column:token_hash"`
	CreatedAt time.Time  `gorm:"column:created_at"`
	ExpiresAt time.Time  `gorm:"column:expires_at"`
	UsedAt    *time.Time `gorm:"column:used_at"`
	IP        string     `gorm:"column:ip"`
}

func (PasswordReset) TableName() string { return "password_resets" }

// OutboxMail is an e-mail waiting for a sender: its subject and body are
// the catalog's MsgID+".subject" and MsgID+".body" with MsgArgs, in Lang.
type OutboxMail struct {
	ID              int64      `gorm:"column:id;primaryKey"`
	ToEmail         string     `gorm:"column:to_email"`
	RecipientUserID *int64     `gorm:"column:recipient_user_id"`
	Lang            string     `gorm:"column:lang"`
	MsgID           string     `gorm:"column:msg_id"`
	MsgArgs         string     `gorm:"column:msg_args"`
	Status          string     `gorm:"column:status"`
	Attempts        int        `gorm:"column:attempts"`
	CreatedAt       time.Time  `gorm:"column:created_at"`
	SentAt          *time.Time `gorm:"column:sent_at"`
}

func (OutboxMail) TableName() string { return "mail_outbox" }

// Audit actions of the safety nets: 忘记密码, and operations resetting a
// merchant user's password.
const (
	AuditPasswordResetRequested = "user.password_reset_requested"
	AuditPasswordResetByLink    = "user.password_reset_by_link"
)

// The actions are appended here rather than in audit.go's list so each
// area's actions stay beside the area.
func init() {
	AuditActions = append(AuditActions, AuditPasswordResetRequested, AuditPasswordResetByLink)
}

// NeedsConfirmError says an action is allowed but hard to undo (rejecting a
// demand, revoking a key, disabling a user) and came without the person's
// confirmation: nothing was changed; ask Question, then repeat the action
// confirmed. Services check everything else first, so a refusal is told
// before the question is asked.
type NeedsConfirmError struct{ Question Msg }

func (e *NeedsConfirmError) Error() string { return "needs confirmation: " + e.Question.ID }

// AuditUserAddRefused labels entries written before sub-users became
// invitations (an add refused with the generic message); nothing writes it now.
const AuditUserAddRefused = "user.add_refused"

func init() { AuditActions = append(AuditActions, AuditUserAddRefused) }
