package accounts

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/notify"
)

// Limits of the login throttle and of sessions.
type Limits struct {
	Pair          Backoff       // failures of one account from one address
	Address       Backoff       // failures from one address over every account
	Forget        time.Duration // a count with no failure for this long starts over
	ResetTTL      time.Duration // a password reset link works this long
	SessionIdle   time.Duration // a session unused this long expires
	SessionMaxAge time.Duration // and none lives longer than this
}

// DefaultLimits: from one address, an account's 4th wrong password waits
// 1 s, then 2, 4, … up to 5 minutes; 20 failures over any accounts from one
// address start the same growing wait for that address. Counts are
// forgotten after an hour without failures. Reset links work an hour;
// sessions last 12 idle hours, 7 days at most.
var DefaultLimits = Limits{
	Pair:          Backoff{Free: 3, Max: 5 * time.Minute},
	Address:       Backoff{Free: 20, Max: 5 * time.Minute},
	Forget:        time.Hour,
	ResetTTL:      time.Hour,
	SessionIdle:   12 * time.Hour,
	SessionMaxAge: 7 * 24 * time.Hour,
}

// Service is the accounts service.
type Service struct {
	db     *gorm.DB
	clock  bizclock.Clock
	hash   HashParams
	limits Limits
	mail   notify.Mailer

	onResume ResumeHook
}

// New builds the service; mail goes to the outbox until SetMailer names
// another Mailer.
func New(db *gorm.DB, clock bizclock.Clock, hash HashParams, limits Limits) *Service {
	return &Service{db: db, clock: clock, hash: hash, limits: limits, mail: notify.Outbox{}}
}

// SetMailer replaces the Mailer reset links go through.
func (s *Service) SetMailer(m notify.Mailer) { s.mail = m }

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
	err := tx.Where("id = ? AND merchant_id = ?", id, actor.MerchantID).Where(models.NotPendingUser).First(&u).Error
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
