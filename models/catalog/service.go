package catalog

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/vault"
)

// Service is the catalogue service.
type Service struct {
	db     *gorm.DB
	clock  bizclock.Clock
	vault  *vault.Vault
	policy URLPolicy
}

// New builds the service.
func New(db *gorm.DB, clock bizclock.Clock, v *vault.Vault, policy URLPolicy) *Service {
	return &Service{db: db, clock: clock, vault: v, policy: policy}
}

func (s *Service) now() time.Time { return s.clock.Now().UTC() }

// merchantScope is the merchant a call acts for: the actor's own, or for a
// platform actor the one named.
func merchantScope(actor models.Actor, merchantID int64) (int64, error) {
	if actor.IsPlatform() {
		if merchantID == 0 {
			return 0, models.ErrNotFound
		}
		return merchantID, nil
	}
	if actor.MerchantID == 0 {
		return 0, models.ErrForbidden
	}
	return actor.MerchantID, nil
}

func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return models.ErrNotFound
	}
	return err
}

// MerchantBySlug finds a merchant by slug (operator CLI).
func (s *Service) MerchantBySlug(ctx context.Context, slug string) (*models.Merchant, error) {
	var m models.Merchant
	if err := s.db.WithContext(ctx).Where("slug = ?", slug).First(&m).Error; err != nil {
		return nil, notFound(err)
	}
	return &m, nil
}
