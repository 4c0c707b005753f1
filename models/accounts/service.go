package accounts

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
)

// Limits of the login rate limiter: failures counted over Window.
type Limits struct {
	Window        time.Duration
	PerAccount    int
	PerIP         int
	SessionIdle   time.Duration // a session unused this long expires
	SessionMaxAge time.Duration // and none lives longer than this
}

// DefaultLimits: 5 wrong passwords per account or 30 per address in 15
// minutes; sessions last 12 idle hours, 7 days at most.
var DefaultLimits = Limits{
	Window:        15 * time.Minute,
	PerAccount:    5,
	PerIP:         30,
	SessionIdle:   12 * time.Hour,
	SessionMaxAge: 7 * 24 * time.Hour,
}

// Service is the accounts service.
type Service struct {
	db     *gorm.DB
	clock  bizclock.Clock
	hash   HashParams
	limits Limits

	onResume ResumeHook
}

// New builds the service.
func New(db *gorm.DB, clock bizclock.Clock, hash HashParams, limits Limits) *Service {
	return &Service{db: db, clock: clock, hash: hash, limits: limits}
}

func (s *Service) now() time.Time { return s.clock.Now().UTC() }

func (s *Service) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return s.db.WithContext(ctx).Transaction(fn)
}

// merchantUser loads a user of the actor's merchant; any other user is
// reported as not found so ids of other merchants reveal nothing.
func merchantUser(tx *gorm.DB, actor models.Actor, id int64) (*models.User, error) {
	if actor.MerchantID == 0 {
		return nil, models.ErrNotFound
	}
	var u models.User
	err := tx.Where("id = ? AND merchant_id = ?", id, actor.MerchantID).First(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, models.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// UserByID loads any user; for the operator CLI and tests.
func (s *Service) UserByEmail(ctx context.Context, email string) (*models.User, error) {
	var u models.User
	err := s.db.WithContext(ctx).Where("lower(email) = ?", normEmail(email)).First(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, models.ErrNotFound
	}
	return &u, err
}

// Merchant loads the actor's own merchant.
func (s *Service) Merchant(ctx context.Context, id int64) (*models.Merchant, error) {
	var m models.Merchant
	err := s.db.WithContext(ctx).First(&m, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, models.ErrNotFound
	}
	return &m, err
}
