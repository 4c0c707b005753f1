package notify

import (
	"encoding/json"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
)

// WriteWithChannel adds an in-app notification (站内信) and queues the same
// message on another channel (models.ChannelSMS, ChannelEmail) for each
// recipient, inside the caller's transaction: the outbox rows exist exactly
// when the notification does, and a delivery worker sends them later (no
// outbound call happens inside the transaction).
func WriteWithChannel(tx *gorm.DB, at time.Time, merchantID int64, typeCode int, m models.Msg, link, channel string,
	recipients []int64) error {
	args := "{}"
	if len(m.Args) > 0 {
		b, err := json.Marshal(m.Args)
		if err != nil {
			return err
		}
		args = string(b)
	}
	n := models.Notification{MerchantID: merchantID, TypeCode: typeCode, MsgID: m.ID, MsgArgs: args, Link: link,
		CreatedAt: at.UTC()}
	if err := tx.Create(&n).Error; err != nil {
		return err
	}
	for _, r := range recipients {
		uid := r
		if err := tx.Create(&models.ChannelMessage{MerchantID: merchantID, NotificationRef: &n.ID, Channel: channel,
			RecipientUserID: &uid, TypeCode: typeCode, MsgID: m.ID, MsgArgs: args, Status: "pending",
			CreatedAt: at.UTC()}).Error; err != nil {
			return err
		}
	}
	return nil
}
