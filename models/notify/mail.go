package notify

import (
	"encoding/json"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
)

// Mail is one e-mail to one address, as catalog ids: the sender renders
// Msg.ID+".subject" and Msg.ID+".body" with Msg.Args in Lang.
type Mail struct {
	To     string
	UserID int64 // 0 when the address belongs to no user
	Lang   string
	Msg    models.Msg
}

// Mailer takes an e-mail inside the caller's transaction, so it is sent
// exactly when the event it reports happened; nothing goes out on the
// network inside the transaction.
type Mailer interface {
	Queue(tx *gorm.DB, at time.Time, m Mail) error
}

// Outbox is the Mailer used while no mail server is configured, and the
// queue a mail sender consumes once one is: rows of mail_outbox, pending
// until sent. Links in a mail are paths; the sender puts the server's
// public address in front, so a forged Host header never names the site.
type Outbox struct{}

// Queue writes the mail as a pending outbox row.
func (Outbox) Queue(tx *gorm.DB, at time.Time, m Mail) error {
	args := "{}"
	if len(m.Msg.Args) > 0 {
		b, err := json.Marshal(m.Msg.Args)
		if err != nil {
			return err
		}
		args = string(b)
	}
	lang := m.Lang
	if lang == "" {
		lang = "zh-CN"
	}
	row := models.OutboxMail{ToEmail: m.To, Lang: lang, MsgID: m.Msg.ID, MsgArgs: args, Status: "pending", CreatedAt: at.UTC()}
	if m.UserID != 0 {
		uid := m.UserID
		row.RecipientUserID = &uid
	}
	return tx.Create(&row).Error
}
