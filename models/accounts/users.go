package accounts

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
)

// ListUsers returns the users of the actor's merchant, owners first;
// users still pending an invitation are listed by ListInvitations instead.
func (s *Service) ListUsers(ctx context.Context, actor models.Actor) ([]models.User, error) {
	if !actor.Can(models.PermUsersManage) || actor.MerchantID == 0 {
		return nil, models.ErrForbidden
	}
	var us []models.User
	err := s.db.WithContext(ctx).Where("merchant_id = ?", actor.MerchantID).Where(models.NotPendingUser).
		Order("CASE role WHEN 'owner' THEN 0 ELSE 1 END, email").Find(&us).Error
	return us, err
}

// createUser validates and inserts a user of merchant mid (0 for platform roles).
func (s *Service) createUser(ctx context.Context, actor models.Actor, mid int64, in NewUserInput) (*models.User, error) {
	var u *models.User
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		u, err = s.createUserTx(tx, actor, mid, in)
		return err
	})
	return u, err
}

// createUserTx is createUser inside the caller's transaction.
func (s *Service) createUserTx(tx *gorm.DB, actor models.Actor, mid int64, in NewUserInput) (*models.User, error) {
	u, err := s.insertUser(tx, mid, in)
	if err != nil {
		return nil, err
	}
	err = audit.Write(tx, u.CreatedAt, actor, audit.Event{Action: models.AuditUserCreated, MerchantID: mid,
		TargetType: "user", TargetID: u.ID, Detail: map[string]any{"email": u.Email, "role": in.Role}})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// insertUser validates and inserts a user without auditing it.
func (s *Service) insertUser(tx *gorm.DB, mid int64, in NewUserInput) (*models.User, error) {
	email := normEmail(in.Email)
	if err := validateNewUser(in, email, mid); err != nil {
		return nil, err
	}
	v := &models.ValidationError{}
	hash, err := hashPassword(s.hash, in.Password)
	if err != nil {
		return nil, err
	}
	now := s.now()
	u := &models.User{Email: email, Name: in.Name, Role: in.Role, PasswordHash: hash, CustomerID: in.CustomerID,
		Lang: "zh-CN", TimeZone: "Asia/Shanghai", CreatedAt: now, UpdatedAt: now}
	if mid != 0 {
		u.MerchantID = &mid
	}
	var n int64
	if err := tx.Model(&models.User{}).Where("lower(email) = ?", email).Count(&n).Error; err != nil {
		return nil, err
	}
	if n > 0 {
		v.Add("email", models.M("err.email_taken"))
		return nil, v
	}
	if err := tx.Create(u).Error; err != nil {
		return nil, err
	}
	return u, nil
}

// validateNewUser checks a new user's fields (email already normalized).
func validateNewUser(in NewUserInput, email string, mid int64) error {
	v := &models.ValidationError{}
	checkEmail(v, "email", email)
	checkName(v, "name", in.Name, false)
	validatePassword(v, "password", in.Password)
	if len(in.CustomerID) > 64 {
		v.Add("customer_id", models.M("err.too_long", "Max", 64))
	}
	if !in.Role.Valid() {
		v.Add("role", models.M("err.role_unknown"))
	} else if in.Role.IsMerchant() != (mid != 0) {
		v.Add("role", models.M("err.role_scope"))
	}
	return v.Err()
}

// activeOwners counts the merchant's enabled owners.
func activeOwners(tx *gorm.DB, mid int64) (int64, error) {
	var n int64
	err := tx.Model(&models.User{}).Where("merchant_id = ? AND role = ? AND NOT disabled", mid, models.RoleOwner).Count(&n).Error
	return n, err
}

// ChangeRole gives a sub-user another role. Nobody changes their own role,
// and the last enabled owner stays an owner, so a merchant is never locked out.
func (s *Service) ChangeRole(ctx context.Context, actor models.Actor, userID int64, role models.Role) error {
	if !actor.Can(models.PermUsersManage) {
		return models.ErrForbidden
	}
	if !role.IsMerchant() {
		v := &models.ValidationError{}
		v.Add("role", models.M("err.role_unknown"))
		return v
	}
	now := s.now()
	return s.tx(ctx, func(tx *gorm.DB) error {
		u, err := merchantUser(tx, actor, userID)
		if err != nil {
			return err
		}
		if u.ID == actor.UserID {
			return models.FormError(models.M("err.own_role"))
		}
		if u.Role == role {
			return nil
		}
		if u.Role == models.RoleOwner && !u.Disabled {
			if n, err := activeOwners(tx, actor.MerchantID); err != nil {
				return err
			} else if n <= 1 {
				return models.FormError(models.M("err.last_owner"))
			}
		}
		if err := tx.Model(u).Updates(map[string]any{"role": role, "updated_at": now}).Error; err != nil {
			return err
		}
		return audit.Write(tx, now, actor, audit.Event{Action: models.AuditUserRoleChanged, TargetType: "user",
			TargetID: u.ID, Detail: map[string]any{"email": u.Email, "from": u.Role, "to": role}})
	})
}

// SetDisabled disables or re-enables a sub-user; disabling ends their
// sessions. An unconfirmed disabling that would succeed changes nothing and
// is a NeedsConfirmError.
func (s *Service) SetDisabled(ctx context.Context, actor models.Actor, userID int64, disabled, confirmed bool) error {
	if !actor.Can(models.PermUsersManage) {
		return models.ErrForbidden
	}
	now := s.now()
	return s.tx(ctx, func(tx *gorm.DB) error {
		u, err := merchantUser(tx, actor, userID)
		if err != nil {
			return err
		}
		if u.Disabled == disabled {
			return nil
		}
		if disabled {
			if u.ID == actor.UserID {
				return models.FormError(models.M("err.disable_self"))
			}
			if u.Role == models.RoleOwner {
				if n, err := activeOwners(tx, actor.MerchantID); err != nil {
					return err
				} else if n <= 1 {
					return models.FormError(models.M("err.last_owner"))
				}
			}
			if !confirmed {
				return &models.NeedsConfirmError{Question: models.M("users.disable_confirm", "Email", u.Email)}
			}
			if err := tx.Where("user_id = ?", u.ID).Delete(&models.Session{}).Error; err != nil {
				return err
			}
		}
		if err := tx.Model(u).Updates(map[string]any{"disabled": disabled, "updated_at": now}).Error; err != nil {
			return err
		}
		action := models.AuditUserEnabled
		if disabled {
			action = models.AuditUserDisabled
		}
		return audit.Write(tx, now, actor, audit.Event{Action: action, TargetType: "user", TargetID: u.ID,
			Detail: map[string]any{"email": u.Email}})
	})
}

// ResetPassword sets a sub-user's password and ends their sessions.
func (s *Service) ResetPassword(ctx context.Context, actor models.Actor, userID int64, password string) error {
	if !actor.Can(models.PermUsersManage) {
		return models.ErrForbidden
	}
	hash, err := s.newPasswordHash(password)
	if err != nil {
		return err
	}
	now := s.now()
	return s.tx(ctx, func(tx *gorm.DB) error {
		u, err := merchantUser(tx, actor, userID)
		if err != nil {
			return err
		}
		if err := tx.Model(u).Updates(map[string]any{"password_hash": hash, "updated_at": now}).Error; err != nil {
			return err
		}
		if err := tx.Where("user_id = ?", u.ID).Delete(&models.Session{}).Error; err != nil {
			return err
		}
		if err := tx.Model(&models.PasswordReset{}).Where("user_id = ? AND used_at IS NULL", u.ID).Update("used_at", now).Error; err != nil {
			return err
		}
		return audit.Write(tx, now, actor, audit.Event{Action: models.AuditPasswordReset, TargetType: "user",
			TargetID: u.ID, Detail: map[string]any{"email": u.Email}})
	})
}

// PrefsInput is what a user may change about themself.
type PrefsInput struct {
	Name     string
	Lang     string
	TimeZone string
}

// UpdatePrefs changes the actor's own name, language and time zone.
func (s *Service) UpdatePrefs(ctx context.Context, actor models.Actor, in PrefsInput) error {
	if actor.UserID == 0 {
		return models.ErrForbidden
	}
	v := &models.ValidationError{}
	checkName(v, "name", in.Name, false)
	if in.Lang != "zh-CN" && in.Lang != "en" {
		v.Add("lang", models.M("err.lang_unknown"))
	}
	checkTimeZone(v, "time_zone", in.TimeZone)
	if err := v.Err(); err != nil {
		return err
	}
	now := s.now()
	return s.tx(ctx, func(tx *gorm.DB) error {
		return s.updateSelf(tx, actor, now, map[string]any{"name": in.Name, "lang": in.Lang, "time_zone": in.TimeZone},
			models.AuditProfileChanged, map[string]any{"lang": in.Lang, "time_zone": in.TimeZone})
	})
}

// SetLang remembers the actor's language choice.
func (s *Service) SetLang(ctx context.Context, actor models.Actor, lang string) error {
	if lang != "zh-CN" && lang != "en" {
		v := &models.ValidationError{}
		v.Add("lang", models.M("err.lang_unknown"))
		return v
	}
	return s.db.WithContext(ctx).Model(&models.User{}).Where("id = ?", actor.UserID).
		Updates(map[string]any{"lang": lang, "updated_at": s.now()}).Error
}

// ChangePassword replaces the actor's password after checking the current
// one, and ends every other session of theirs.
func (s *Service) ChangePassword(ctx context.Context, actor models.Actor, keepToken, current, next string) error {
	v := &models.ValidationError{}
	if current == "" {
		v.Add("current", models.M("err.required"))
	}
	validatePassword(v, "password", next)
	if err := v.Err(); err != nil {
		return err
	}
	var u models.User
	if err := s.db.WithContext(ctx).First(&u, actor.UserID).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return models.ErrNotFound
		}
		return err
	}
	if ok, _ := checkPassword(u.PasswordHash, current); !ok {
		v.Add("current", models.M("err.password_wrong"))
		return v
	}
	hash, err := hashPassword(s.hash, next)
	if err != nil {
		return err
	}
	now := s.now()
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("user_id = ? AND id <> ?", u.ID, sessionID(keepToken)).Delete(&models.Session{}).Error; err != nil {
			return err
		}
		return s.updateSelf(tx, actor, now, map[string]any{"password_hash": hash}, models.AuditPasswordChanged, nil)
	})
}

func (s *Service) updateSelf(tx *gorm.DB, actor models.Actor, now time.Time, fields map[string]any, action string, detail map[string]any) error {
	fields["updated_at"] = now
	if err := tx.Model(&models.User{}).Where("id = ?", actor.UserID).Updates(fields).Error; err != nil {
		return err
	}
	return audit.Write(tx, now, actor, audit.Event{Action: action, TargetType: "user", TargetID: actor.UserID, Detail: detail})
}
