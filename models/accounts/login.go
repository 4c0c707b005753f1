package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
)

// LoginInput is what the login form sends.
type LoginInput struct {
	Email     string
	Password  string
	IP        string
	UserAgent string
}

// LoginResult is a fresh session: Token goes into the cookie and nowhere else.
type LoginResult struct {
	Token   string
	User    *models.User
	Expires time.Time
}

// dummyHash lets an unknown e-mail cost as much as a wrong password, so
// response times do not reveal which accounts exist.
var dummyHash = func() string {
	h, _ := hashPassword(DefaultHashParams, "not a real password")
	return h
}()

// Login checks the credentials under the rate limit and opens a session.
func (s *Service) Login(ctx context.Context, in LoginInput) (*LoginResult, error) {
	email := normEmail(in.Email)
	v := &models.ValidationError{}
	checkEmail(v, "email", email)
	switch {
	case in.Password == "":
		v.Add("password", models.M("err.required"))
	case len(in.Password) > MaxPassword:
		v.Add("password", models.M("err.too_long", "Max", MaxPassword))
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	if wait, err := s.throttleWait(ctx, in.IP, email, now); err != nil {
		return nil, err
	} else if wait > 0 {
		return nil, &models.RateLimitedError{RetryAfterSeconds: retryAfter(wait)}
	}
	var u models.User
	err := s.db.WithContext(ctx).Where("lower(email) = ?", email).First(&u).Error
	found := err == nil
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, err
	}
	hash := dummyHash
	if found {
		hash = u.PasswordHash
	}
	ok, herr := checkPassword(hash, in.Password)
	if herr != nil {
		ok = false
	}
	actor := models.Actor{Email: email, IP: in.IP, Role: u.Role}
	if !found || !ok || u.Disabled {
		reason := "password"
		switch {
		case !found:
			reason = "unknown_user"
		case ok && u.Disabled:
			reason = "disabled"
		}
		ferr := s.tx(ctx, func(tx *gorm.DB) error {
			if err := tx.Create(&models.LoginAttempt{Email: email, IP: in.IP, Success: false, CreatedAt: now}).Error; err != nil {
				return err
			}
			if err := s.recordFailure(tx, in.IP, email, now); err != nil {
				return err
			}
			ev := audit.Event{Action: models.AuditLoginFailed, Detail: map[string]any{"reason": reason}}
			if found {
				actor.UserID = u.ID
				ev.TargetType, ev.TargetID = "user", u.ID
				if u.MerchantID != nil {
					ev.MerchantID = *u.MerchantID
				}
			}
			return audit.Write(tx, now, actor, ev)
		})
		if ferr != nil {
			return nil, ferr
		}
		// One message for every failure: which part was wrong is not revealed.
		return nil, models.FormError(models.M("login.invalid"))
	}
	// Only the right password learns that the merchant is suspended.
	if sus, err := merchantSuspended(s.db.WithContext(ctx), &u); err != nil || sus {
		if err != nil {
			return nil, err
		}
		return nil, models.FormError(models.M("ops.login.merchant_suspended"))
	}
	token, sess := newSession(u.ID, now, s.limits, in.IP, in.UserAgent)
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&models.LoginAttempt{Email: email, IP: in.IP, Success: true, CreatedAt: now}).Error; err != nil {
			return err
		}
		if err := clearFailures(tx, in.IP, email); err != nil {
			return err
		}
		if err := tx.Create(sess).Error; err != nil {
			return err
		}
		if err := tx.Model(&models.User{}).Where("id = ?", u.ID).Update("last_login_at", now).Error; err != nil {
			return err
		}
		if err := acceptInvitation(tx, u.ID, now); err != nil {
			return err
		}
		return audit.Write(tx, now, models.ActorOf(&u, in.IP), audit.Event{Action: models.AuditLogin, TargetType: "user", TargetID: u.ID})
	})
	if err != nil {
		return nil, err
	}
	return &LoginResult{Token: token, User: &u, Expires: sess.ExpiresAt}, nil
}

func newSession(userID int64, now time.Time, l Limits, ip, ua string) (string, *models.Session) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	if len(ua) > 300 {
		ua = ua[:300]
	}
	return token, &models.Session{
		ID: sessionID(token), UserID: userID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(l.SessionIdle), IP: ip, UserAgent: strings.ToValidUTF8(ua, ""),
	}
}

func sessionID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Current is a live session with its user.
type Current struct {
	Session  models.Session
	User     models.User
	Merchant *models.Merchant
}

// Resolve returns the live session of a cookie token, sliding its idle
// expiry; a missing, expired or disabled-user session is ErrNotFound.
func (s *Service) Resolve(ctx context.Context, token string) (*Current, error) {
	if token == "" || len(token) > 100 {
		return nil, models.ErrNotFound
	}
	now := s.now()
	var c Current
	db := s.db.WithContext(ctx)
	if err := db.Where("id = ? AND expires_at > ?", sessionID(token), now).First(&c.Session).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, models.ErrNotFound
		}
		return nil, err
	}
	if err := db.Where("id = ? AND NOT disabled", c.Session.UserID).First(&c.User).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, models.ErrNotFound
		}
		return nil, err
	}
	if c.User.MerchantID != nil {
		var m models.Merchant
		if err := db.First(&m, *c.User.MerchantID).Error; err != nil {
			return nil, err
		}
		if m.Suspended() {
			return nil, models.ErrNotFound // a suspension ends its users' sessions
		}
		c.Merchant = &m
	}
	// Sliding expiry is written at most once a minute so reads stay reads.
	if now.Sub(c.Session.LastSeenAt) > time.Minute {
		exp := now.Add(s.limits.SessionIdle)
		if max := c.Session.CreatedAt.Add(s.limits.SessionMaxAge); exp.After(max) {
			exp = max
		}
		if err := db.Model(&models.Session{}).Where("id = ?", c.Session.ID).
			Updates(map[string]any{"last_seen_at": now, "expires_at": exp}).Error; err != nil {
			return nil, err
		}
		c.Session.LastSeenAt, c.Session.ExpiresAt = now, exp
	}
	return &c, nil
}

// Logout revokes the session server-side: the cookie is useless afterwards.
func (s *Service) Logout(ctx context.Context, actor models.Actor, token string) error {
	now := s.now()
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("id = ?", sessionID(token)).Delete(&models.Session{}).Error; err != nil {
			return err
		}
		return audit.Write(tx, now, actor, audit.Event{Action: models.AuditLogout, TargetType: "user", TargetID: actor.UserID})
	})
}

// SetFlash stores a one-time message shown on the next page.
func (s *Service) SetFlash(ctx context.Context, token string, flash string) error {
	return s.db.WithContext(ctx).Model(&models.Session{}).Where("id = ?", sessionID(token)).Update("flash", flash).Error
}

// TakeFlash clears the session's flash; the caller already holds its value.
func (s *Service) TakeFlash(ctx context.Context, token string) error {
	return s.db.WithContext(ctx).Model(&models.Session{}).Where("id = ? AND flash <> ''", sessionID(token)).Update("flash", "").Error
}

// PurgeExpired deletes expired sessions, forgotten throttle counts, spent
// reset tokens and old login attempts.
func (s *Service) PurgeExpired(ctx context.Context) error {
	now := s.now()
	if err := s.db.WithContext(ctx).Where("expires_at <= ?", now).Delete(&models.Session{}).Error; err != nil {
		return err
	}
	if err := s.db.WithContext(ctx).Where("last_failure_at < ?", now.Add(-s.limits.Forget)).Delete(&models.LoginThrottle{}).Error; err != nil {
		return err
	}
	if err := s.db.WithContext(ctx).Where("expires_at < ?", now.Add(-24*time.Hour)).Delete(&models.PasswordReset{}).Error; err != nil {
		return err
	}
	return s.db.WithContext(ctx).Where("created_at < ?", now.Add(-24*time.Hour)).Delete(&models.LoginAttempt{}).Error
}
