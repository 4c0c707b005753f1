package accounts

import (
	"context"
	"regexp"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
)

var slugRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,39}$`)

// NewMerchantInput creates a merchant with its first owner.
type NewMerchantInput struct {
	Slug          string
	Name          string
	OwnerEmail    string
	OwnerName     string
	OwnerPassword string
}

// CreateMerchant adds a merchant and its owner in one transaction: a merchant
// without an owner could never be administered.
func (s *Service) CreateMerchant(ctx context.Context, actor models.Actor, in NewMerchantInput) (*models.Merchant, *models.User, error) {
	if !actor.Can(models.PermAdminMerchants) {
		return nil, nil, models.ErrForbidden
	}
	v := &models.ValidationError{}
	if !slugRe.MatchString(in.Slug) {
		v.Add("slug", models.M("err.slug_format"))
	}
	checkName(v, "name", in.Name, true)
	checkEmail(v, "owner_email", normEmail(in.OwnerEmail))
	validatePassword(v, "owner_password", in.OwnerPassword)
	if err := v.Err(); err != nil {
		return nil, nil, err
	}
	now := s.now()
	m := &models.Merchant{Slug: in.Slug, Name: in.Name, Status: models.MerchantActive, CreatedAt: now, UpdatedAt: now}
	var owner *models.User
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&models.Merchant{}).Where("slug = ?", in.Slug).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			v.Add("slug", models.M("err.slug_taken"))
			return v
		}
		if err := tx.Create(m).Error; err != nil {
			return err
		}
		if err := audit.Write(tx, now, actor, audit.Event{Action: models.AuditMerchantCreated, MerchantID: m.ID,
			TargetType: "merchant", TargetID: m.ID, Detail: map[string]any{"slug": m.Slug}}); err != nil {
			return err
		}
		var err error
		owner, err = s.createUserTx(tx, actor, m.ID, NewUserInput{Email: in.OwnerEmail, Name: in.OwnerName,
			Role: models.RoleOwner, Password: in.OwnerPassword})
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return m, owner, nil
}

// AddUser creates a user of any role for the operator CLI: merchantSlug is
// required for merchant roles and must be empty for platform roles.
func (s *Service) AddUser(ctx context.Context, actor models.Actor, merchantSlug string, in NewUserInput) (*models.User, error) {
	if !actor.Can(models.PermAdminMerchants) {
		return nil, models.ErrForbidden
	}
	var mid int64
	if merchantSlug != "" {
		var m models.Merchant
		if err := s.db.WithContext(ctx).Where("slug = ?", merchantSlug).First(&m).Error; err != nil {
			v := &models.ValidationError{}
			v.Add("merchant", models.M("err.merchant_unknown"))
			return nil, v
		}
		mid = m.ID
	}
	return s.createUser(ctx, actor, mid, in)
}

// ListMerchants returns every merchant, for operations managers.
func (s *Service) ListMerchants(ctx context.Context, actor models.Actor) ([]models.Merchant, error) {
	if !actor.Can(models.PermAdminMerchants) {
		return nil, models.ErrForbidden
	}
	var ms []models.Merchant
	err := s.db.WithContext(ctx).Order("slug").Find(&ms).Error
	return ms, err
}
