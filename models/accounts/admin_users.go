package accounts

import (
	"context"
	"errors"
	"strings"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
)

// MerchantUser is a merchant user with its merchant's name, for operations.
type MerchantUser struct {
	models.User
	MerchantName string
}

// MaxAdminUsers bounds one search of /admin/users.
const MaxAdminUsers = 100

// AdminUsers finds merchant users for operations by part of their e-mail
// (every merchant's users, first MaxAdminUsers by e-mail, when q is empty).
func (s *Service) AdminUsers(ctx context.Context, actor models.Actor, q string) ([]MerchantUser, error) {
	if !actor.Can(models.PermAdminMerchants) {
		return nil, models.ErrForbidden
	}
	q = strings.ToLower(strings.TrimSpace(q))
	if len(q) > MaxEmail {
		v := &models.ValidationError{}
		v.Add("q", models.M("err.too_long", "Max", MaxEmail))
		return nil, v
	}
	db := s.db.WithContext(ctx).Table("users").Select("users.*, merchants.name AS merchant_name").
		Joins("JOIN merchants ON merchants.id = users.merchant_id")
	if q != "" {
		db = db.Where("instr(lower(users.email), ?) > 0", q)
	}
	var out []MerchantUser
	err := db.Order("lower(users.email)").Limit(MaxAdminUsers).Scan(&out).Error
	return out, err
}

// AdminResetPassword is operations setting a new password for any
// merchant's user (a merchant whose only owner forgot theirs, with no mail
// server to send a link): their sessions end, their open reset links are
// spent, and the merchant's audit log shows it.
func (s *Service) AdminResetPassword(ctx context.Context, actor models.Actor, userID int64, password string) error {
	if !actor.Can(models.PermAdminMerchants) {
		return models.ErrForbidden
	}
	hash, err := s.newPasswordHash(password)
	if err != nil {
		return err
	}
	now := s.now()
	return s.tx(ctx, func(tx *gorm.DB) error {
		var u models.User
		err := tx.Where("id = ? AND merchant_id IS NOT NULL", userID).First(&u).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return models.ErrNotFound
		}
		if err != nil {
			return err
		}
		if err := tx.Model(&u).Updates(map[string]any{"password_hash": hash, "updated_at": now}).Error; err != nil {
			return err
		}
		if err := tx.Where("user_id = ?", u.ID).Delete(&models.Session{}).Error; err != nil {
			return err
		}
		if err := tx.Model(&models.PasswordReset{}).Where("user_id = ? AND used_at IS NULL", u.ID).Update("used_at", now).Error; err != nil {
			return err
		}
		return audit.Write(tx, now, actor, audit.Event{Action: models.AuditPasswordReset, MerchantID: *u.MerchantID,
			TargetType: "user", TargetID: u.ID, Detail: map[string]any{"email": u.Email, "by": "operations"}})
	})
}
