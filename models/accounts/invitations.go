package accounts

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
	"github.com/sellercenter/sellercenter/models/notify"
)

// MaxInvitesPerDay is how many sub-users a merchant may add in a day. It
// counts every address alike, so reaching it tells nothing about any one,
// and it bounds the mail the add form can send to strangers.
const MaxInvitesPerDay = 20

// LoginPath is where an invitation mail sends a new sub-user.
const LoginPath = "/login"

// NewUserInput is a sub-user an owner adds.
type NewUserInput struct {
	Email      string
	Name       string
	Role       models.Role
	Password   string
	CustomerID string // buyers only
}

// CreateUser invites a sub-user to the actor's merchant, answering the same
// whether the address is free or belongs to another merchant's or the
// platform's account, so the add form lists no accounts elsewhere.
//
// A free address becomes a user with the owner's password, pending until
// its first login (which accepts); the address gets an invitation mail. An
// address in use elsewhere gets a pending row with no user, which can never
// log in here, and a notice mail instead. Both are user.invited in the
// owner's log, both cost the same password hashing, and both count towards
// MaxInvitesPerDay. An address of the owner's own team is named as taken
// (the owner sees it in the list), and one already pending as invited.
func (s *Service) CreateUser(ctx context.Context, actor models.Actor, in NewUserInput) (*models.Invitation, error) {
	if !actor.Can(models.PermUsersManage) || actor.MerchantID == 0 {
		return nil, models.ErrForbidden
	}
	if !in.Role.IsMerchant() {
		v := &models.ValidationError{}
		v.Add("role", models.M("err.role_unknown"))
		return nil, v
	}
	email := normEmail(in.Email)
	now := s.now()
	var inv *models.Invitation
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := validateNewUser(in, email, actor.MerchantID); err != nil {
			return err
		}
		fieldErr := func(id string) error {
			v := &models.ValidationError{}
			v.Add("email", models.M(id))
			return v
		}
		var pending int64
		if err := tx.Model(&models.Invitation{}).Where("merchant_id = ? AND email = ? AND accepted_at IS NULL AND cancelled_at IS NULL",
			actor.MerchantID, email).Count(&pending).Error; err != nil {
			return err
		}
		if pending > 0 {
			return fieldErr("users.err.already_invited")
		}
		var holders []models.User
		if err := tx.Where("lower(email) = ?", email).Limit(1).Find(&holders).Error; err != nil {
			return err
		}
		if len(holders) > 0 && holders[0].MerchantID != nil && *holders[0].MerchantID == actor.MerchantID {
			return fieldErr("err.email_taken")
		}
		var today int64
		if err := tx.Model(&models.Invitation{}).Where("merchant_id = ? AND created_at > ?",
			actor.MerchantID, now.Add(-24*time.Hour)).Count(&today).Error; err != nil {
			return err
		}
		if today >= MaxInvitesPerDay {
			return fieldErr("users.err.invite_limit")
		}
		var merchant models.Merchant
		if err := tx.First(&merchant, actor.MerchantID).Error; err != nil {
			return err
		}
		inv = &models.Invitation{MerchantID: actor.MerchantID, Email: email, Name: in.Name, Role: in.Role, CreatedAt: now}
		// The platform's log (no merchant) records the truth.
		platform := models.Actor{UserID: actor.UserID, Email: actor.Email, IP: actor.IP}
		var mail notify.Mail
		if len(holders) == 0 {
			u, err := s.insertUser(tx, actor.MerchantID, in)
			if err != nil {
				return err
			}
			inv.UserID = &u.ID
			mail = notify.Mail{To: email, Lang: u.Lang,
				Msg: models.M("mail.user_invited", "Merchant", merchant.Name, "Link", LoginPath)}
			if err := audit.Write(tx, now, platform, audit.Event{Action: models.AuditUserCreated, TargetType: "user",
				TargetID: u.ID, Detail: map[string]any{"email": email, "role": in.Role, "merchant_id": actor.MerchantID}}); err != nil {
				return err
			}
		} else {
			h := holders[0]
			_, _ = hashPassword(s.hash, in.Password) // as costly as a free address
			mail = notify.Mail{To: h.Email, UserID: h.ID, Lang: h.Lang,
				Msg: models.M("mail.user_invite_existing", "Merchant", merchant.Name)}
			if err := audit.Write(tx, now, platform, audit.Event{Action: models.AuditInviteForeign, TargetType: "user",
				TargetID: h.ID, Detail: map[string]any{"email": email, "role": in.Role, "merchant_id": actor.MerchantID}}); err != nil {
				return err
			}
		}
		if err := tx.Create(inv).Error; err != nil {
			return err
		}
		if err := s.mail.Queue(tx, now, mail); err != nil {
			return err
		}
		return audit.Write(tx, now, actor, audit.Event{Action: models.AuditUserInvited, MerchantID: actor.MerchantID,
			TargetType: "invitation", TargetID: inv.ID, Detail: map[string]any{"email": email, "role": in.Role}})
	})
	if err != nil {
		return nil, err
	}
	return inv, nil
}

// ListInvitations returns the actor's merchant's pending invitations, newest first.
func (s *Service) ListInvitations(ctx context.Context, actor models.Actor) ([]models.Invitation, error) {
	if !actor.Can(models.PermUsersManage) || actor.MerchantID == 0 {
		return nil, models.ErrForbidden
	}
	var invs []models.Invitation
	err := s.db.WithContext(ctx).Where("merchant_id = ? AND accepted_at IS NULL AND cancelled_at IS NULL", actor.MerchantID).
		Order("id DESC").Find(&invs).Error
	return invs, err
}

// CancelInvitation withdraws a pending invitation of the actor's merchant.
// The user made for a free address is deleted (it never logged in), so the
// address is free again exactly like one in use elsewhere.
func (s *Service) CancelInvitation(ctx context.Context, actor models.Actor, id int64) error {
	if !actor.Can(models.PermUsersManage) || actor.MerchantID == 0 {
		return models.ErrForbidden
	}
	now := s.now()
	return s.tx(ctx, func(tx *gorm.DB) error {
		var inv models.Invitation
		err := tx.Where("id = ? AND merchant_id = ? AND accepted_at IS NULL AND cancelled_at IS NULL", id, actor.MerchantID).First(&inv).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return models.ErrNotFound
		}
		if err != nil {
			return err
		}
		if err := tx.Model(&inv).Update("cancelled_at", now).Error; err != nil {
			return err
		}
		if inv.UserID != nil {
			if err := tx.Where("id = ? AND merchant_id = ? AND last_login_at IS NULL", *inv.UserID, actor.MerchantID).
				Delete(&models.User{}).Error; err != nil {
				return err
			}
		}
		return audit.Write(tx, now, actor, audit.Event{Action: models.AuditInviteCancelled, MerchantID: actor.MerchantID,
			TargetType: "invitation", TargetID: inv.ID, Detail: map[string]any{"email": inv.Email}})
	})
}

// acceptInvitation marks the user's open invitation accepted; called on login.
func acceptInvitation(tx *gorm.DB, userID int64, now time.Time) error {
	return tx.Model(&models.Invitation{}).Where("user_id = ? AND accepted_at IS NULL AND cancelled_at IS NULL", userID).
		Update("accepted_at", now).Error
}
