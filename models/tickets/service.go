// Package tickets is 工单: buyer tickets with the 15-minute first-response
// clock. A ticket's deadline is never counted down; it is recomputed from the
// ticket's history (when the clock started, when it waited on the buyer)
// through the merchant's reception calendar, and the computed instants are
// stored so one indexed query finds what is due. A periodic sweep fires the
// 80 % warning and the breach, each once.
package tickets

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/vault"
)

// Calendars gives a merchant's reception calendar; ok is false when the
// merchant does not receive tickets (是否接待 = 否). models/calendars
// implements it.
type Calendars interface {
	ForMerchant(ctx context.Context, merchantID int64) (cal *bizclock.Calendar, ok bool, err error)
}

// Config tunes the service; zero values take the defaults.
type Config struct {
	// Dir holds attachment files (created if missing), outside the web root.
	Dir string
	// MaxAttachment is the largest file accepted (default 10 MiB).
	MaxAttachment int64
	// FirstResponse is the first-response target in reception time (default 15 min).
	FirstResponse time.Duration
}

// DefaultMaxAttachment is the attachment size limit.
const DefaultMaxAttachment = 10 << 20

// warnShare is when the warning fires: at 80 % of the target.
const warnShare = 0.8

func (c Config) withDefaults() Config {
	if c.MaxAttachment <= 0 {
		c.MaxAttachment = DefaultMaxAttachment
	}
	if c.FirstResponse <= 0 {
		c.FirstResponse = 15 * time.Minute
	}
	return c
}

// Service is the tickets area.
type Service struct {
	db    *gorm.DB
	clock bizclock.Clock
	cals  Calendars
	vault *vault.Vault
	cfg   Config
}

// New builds the service.
func New(db *gorm.DB, clock bizclock.Clock, cals Calendars, v *vault.Vault, cfg Config) (*Service, error) {
	cfg = cfg.withDefaults()
	if cfg.Dir == "" {
		return nil, errors.New("tickets: no attachment directory")
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("tickets attachment directory: %w", err)
	}
	if cals == nil || v == nil || clock == nil {
		return nil, errors.New("tickets: calendars, vault and clock are required")
	}
	return &Service{db: db, clock: clock, cals: cals, vault: v, cfg: cfg}, nil
}

// MaxAttachment is the attachment size limit in bytes.
func (s *Service) MaxAttachment() int64 { return s.cfg.MaxAttachment }

// Dir is the attachment directory.
func (s *Service) Dir() string { return s.cfg.Dir }

// now is the service's time, to the second: deadlines and their markers are
// whole seconds, so "the instant" a test or a person names is exact.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Second) }

func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return models.ErrNotFound
	}
	return err
}

// merchantScope checks a merchant user's right to the tickets area.
func merchantScope(actor models.Actor) error {
	if !actor.Can(models.PermTickets) || actor.MerchantID == 0 {
		return models.ErrForbidden
	}
	return nil
}

// loadForMerchant loads a ticket of the actor's merchant (another
// merchant's is not found).
func (s *Service) loadForMerchant(tx *gorm.DB, actor models.Actor, id int64) (*models.Ticket, error) {
	if err := merchantScope(actor); err != nil {
		return nil, err
	}
	var t models.Ticket
	if err := tx.Where("id = ? AND merchant_id = ?", id, actor.MerchantID).Take(&t).Error; err != nil {
		return nil, notFound(err)
	}
	return &t, nil
}

// buyerCustomer is the marketplace customer id a buyer login acts for.
func (s *Service) buyerCustomer(tx *gorm.DB, actor models.Actor) (string, error) {
	if !actor.Can(models.PermBuyerPortal) || actor.UserID == 0 {
		return "", models.ErrForbidden
	}
	var u models.User
	if err := tx.Select("customer_id").Take(&u, actor.UserID).Error; err != nil {
		return "", notFound(err)
	}
	return u.CustomerID, nil
}

// loadForBuyer loads a ticket of the buyer's customer id; any other is not
// found.
func (s *Service) loadForBuyer(tx *gorm.DB, actor models.Actor, id int64) (*models.Ticket, error) {
	cust, err := s.buyerCustomer(tx, actor)
	if err != nil {
		return nil, err
	}
	if cust == "" {
		return nil, models.ErrNotFound
	}
	var t models.Ticket
	if err := tx.Where("id = ? AND buyer_ref = (SELECT id FROM buyers WHERE customer_id = ?)", id, cust).
		Take(&t).Error; err != nil {
		return nil, notFound(err)
	}
	return &t, nil
}

func (s *Service) customerName(t *models.Ticket) string {
	b, err := s.vault.Open(t.CustomerNameEnc, vault.PurposeBuyerPII)
	if err != nil {
		return ""
	}
	return string(b)
}
