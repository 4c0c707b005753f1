package notify

import (
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
	n, err := create(tx, at, merchantID, typeCode, m, link)
	if err != nil {
		return err
	}
	for _, r := range recipients {
		uid := r
		if err := tx.Create(&models.ChannelMessage{MerchantID: merchantID, NotificationRef: &n.ID, Channel: channel,
			RecipientUserID: &uid, TypeCode: typeCode, MsgID: m.ID, MsgArgs: n.MsgArgs, Status: "pending",
			CreatedAt: at.UTC()}).Error; err != nil {
			return err
		}
	}
	return nil
}
