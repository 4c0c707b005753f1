package accounts

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/url"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
	"github.com/sellercenter/sellercenter/models/notify"
)

// ResetPath is the path of the page a reset link opens, with the token as
// its query parameter token (views/paths.ResetPassword names the same).
const ResetPath = "/password/reset"

// resetResendGap is the least time between two reset mails to one user, so
// the form cannot flood someone's mailbox.
const resetResendGap = 2 * time.Minute

// ResetRequest is the 忘记密码 form.
type ResetRequest struct {
	Email string
	IP    string
	Lang  string
}

// RequestReset mails a reset link if the e-mail belongs to an enabled
// account. The answer is the same whether it does or not (only a malformed
// address is a field error), so the form reveals no accounts.
func (s *Service) RequestReset(ctx context.Context, in ResetRequest) error {
	email := normEmail(in.Email)
	v := &models.ValidationError{}
	checkEmail(v, "email", email)
	if err := v.Err(); err != nil {
		return err
	}
	now := s.now()
	return s.tx(ctx, func(tx *gorm.DB) error {
		var u models.User
		err := tx.Where("lower(email) = ? AND NOT disabled", email).First(&u).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		var recent int64
		if err := tx.Model(&models.PasswordReset{}).Where("user_id = ? AND used_at IS NULL AND created_at > ?",
			u.ID, now.Add(-resetResendGap)).Count(&recent).Error; err != nil {
			return err
		}
		if recent > 0 {
			return nil
		}
		token := newToken()
		if err := tx.Create(&models.PasswordReset{UserID: u.ID, TokenHash: sessionID(token), CreatedAt: now,
			ExpiresAt: now.Add(s.limits.ResetTTL), IP: in.IP}).Error; err != nil {
			return err
		}
		lang := u.Lang
		if lang == "" {
			lang = in.Lang
		}
		link := ResetPath + "?" + url.Values{"token": {token}}.Encode()
		if err := s.mail.Queue(tx, now, notify.Mail{To: u.Email, UserID: u.ID, Lang: lang,
			Msg: models.M("mail.password_reset", "Link", link, "Minutes", int(s.limits.ResetTTL/time.Minute))}); err != nil {
			return err
		}
		ev := audit.Event{Action: models.AuditPasswordResetRequested, TargetType: "user", TargetID: u.ID,
			Detail: map[string]any{"email": u.Email}}
		if u.MerchantID != nil {
			ev.MerchantID = *u.MerchantID
		}
		return audit.Write(tx, now, models.Actor{Email: email, IP: in.IP}, ev)
	})
}

func newToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// openReset loads the unused, unexpired reset of a token.
func openReset(tx *gorm.DB, token string, now time.Time) (*models.PasswordReset, error) {
	if token == "" || len(token) > 100 {
		return nil, models.FormError(models.M("reset.link_invalid"))
	}
	var r models.PasswordReset
	err := tx.Where("token_hash = ? AND used_at IS NULL AND expires_at > ?", sessionID(token), now).First(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, models.FormError(models.M("reset.link_invalid"))
	}
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// CheckResetToken says whether a reset link still works, so its page can
// say so before a password is typed.
func (s *Service) CheckResetToken(ctx context.Context, token string) error {
	_, err := openReset(s.db.WithContext(ctx), token, s.now())
	return err
}

// ResetWithToken sets a new password with a reset link: once, before it
// expires. Every session of the user ends, every other open link of theirs
// is spent, and their login throttle counts are cleared.
func (s *Service) ResetWithToken(ctx context.Context, token, password, ip string) error {
	hash, err := s.newPasswordHash(password)
	if err != nil {
		return err
	}
	now := s.now()
	return s.tx(ctx, func(tx *gorm.DB) error {
		r, err := openReset(tx, token, now)
		if err != nil {
			return err
		}
		var u models.User
		if err := tx.Where("id = ? AND NOT disabled", r.UserID).First(&u).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return models.FormError(models.M("reset.link_invalid"))
			}
			return err
		}
		res := tx.Model(&models.PasswordReset{}).Where("user_id = ? AND used_at IS NULL", u.ID).Update("used_at", now)
		if res.Error != nil {
			return res.Error
		}
		if err := tx.Model(&u).Updates(map[string]any{"password_hash": hash, "updated_at": now}).Error; err != nil {
			return err
		}
		if err := tx.Where("user_id = ?", u.ID).Delete(&models.Session{}).Error; err != nil {
			return err
		}
		if err := tx.Where("email = ?", normEmail(u.Email)).Delete(&models.LoginThrottle{}).Error; err != nil {
			return err
		}
		ev := audit.Event{Action: models.AuditPasswordResetByLink, TargetType: "user", TargetID: u.ID,
			Detail: map[string]any{"email": u.Email}}
		if u.MerchantID != nil {
			ev.MerchantID = *u.MerchantID
		}
		return audit.Write(tx, now, models.ActorOf(&u, ip), ev)
	})
}
