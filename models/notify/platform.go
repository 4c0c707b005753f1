package notify

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
)

// platformTable holds the operations managers' notifications: one list
// shared by every operations manager (what the platform must act on: an
// appeal to rule, a platform-fee invoice to issue), read once for all.
const platformTable = "platform_notifications"

// WritePlatform adds a platform notification inside the caller's
// transaction; merchantID names the merchant it concerns (0: none).
func WritePlatform(tx *gorm.DB, at time.Time, merchantID int64, typeCode int, m models.Msg, link string) error {
	n := models.Notification{MerchantID: merchantID, TypeCode: typeCode, MsgID: m.ID, MsgArgs: "{}", Link: link,
		CreatedAt: at.UTC()}
	if err := encodeArgs(&n, m); err != nil {
		return err
	}
	return tx.Table(platformTable).Create(&n).Error
}

// scope is the notification rows the actor reads: its merchant's, or the
// platform's for an operations manager; anybody else has none.
func (s Service) scope(ctx context.Context, actor models.Actor) (*gorm.DB, error) {
	if !actor.Can(models.PermNotifications) {
		return nil, models.ErrForbidden
	}
	db := s.db.WithContext(ctx)
	if actor.IsPlatform() {
		return db.Table(platformTable), nil
	}
	if actor.MerchantID == 0 {
		return nil, models.ErrForbidden
	}
	return db.Model(&models.Notification{}).Where("merchant_id = ?", actor.MerchantID), nil
}

// merchantNames names the merchants platform notifications concern; a
// merchant's own list needs none.
func (s Service) merchantNames(ctx context.Context, actor models.Actor, ns []models.Notification) (map[int64]string, error) {
	if !actor.IsPlatform() || len(ns) == 0 {
		return nil, nil
	}
	ids := make([]int64, 0, len(ns))
	for _, n := range ns {
		if n.MerchantID != 0 {
			ids = append(ids, n.MerchantID)
		}
	}
	var ms []models.Merchant
	if err := s.db.WithContext(ctx).Select("id", "name").Where("id IN ?", ids).Find(&ms).Error; err != nil {
		return nil, err
	}
	names := make(map[int64]string, len(ms))
	for _, m := range ms {
		names[m.ID] = m.Name
	}
	return names, nil
}
