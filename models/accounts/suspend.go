package accounts

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
)

// ResumeHook runs inside the transaction that resumes a merchant, with when
// its suspension began: the provisioning core moves the merchant's waiting
// calls forward by the suspension so none loses retry time to it.
type ResumeHook func(tx *gorm.DB, merchantID int64, suspendedAt, now time.Time) error

// OnResume installs the hook the composition root wires to the core.
func (s *Service) OnResume(h ResumeHook) { s.onResume = h }

// MaxSuspendReason bounds the reason operations give for a suspension.
const MaxSuspendReason = 200

// MerchantDetail is a merchant's administration page.
type MerchantDetail struct {
	models.Merchant
	Users     []models.User
	OpenCalls int64 // calls still waiting to reach the endpoint
}

// MerchantAdmin returns one merchant with its users, for operations managers.
func (s *Service) MerchantAdmin(ctx context.Context, actor models.Actor, id int64) (*MerchantDetail, error) {
	if !actor.Can(models.PermAdminMerchants) {
		return nil, models.ErrForbidden
	}
	db := s.db.WithContext(ctx)
	d := &MerchantDetail{}
	if err := db.Take(&d.Merchant, id).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, models.ErrNotFound
		}
		return nil, err
	}
	if err := db.Where("merchant_id = ?", id).Order("id").Find(&d.Users).Error; err != nil {
		return nil, err
	}
	err := db.Model(&models.Call{}).Where("merchant_id = ? AND state IN ?", id,
		[]models.CallState{models.CallPending, models.CallRetrying, models.CallPolling}).Count(&d.OpenCalls).Error
	return d, err
}

// SuspendInput is the suspend or resume form: the explicit confirmation it
// needs and, for a suspension, an optional reason kept in the audit log.
type SuspendInput struct {
	Suspend   bool
	Confirmed bool
	Reason    string
}

// SetMerchantStatus suspends or resumes a merchant, audited. A suspended
// merchant's users cannot log in (their sessions end at the next request)
// and the core sends nothing to its endpoint; resuming runs the resume hook
// in the same transaction.
func (s *Service) SetMerchantStatus(ctx context.Context, actor models.Actor, id int64, in SuspendInput) (*models.Merchant, error) {
	if !actor.Can(models.PermAdminMerchants) {
		return nil, models.ErrForbidden
	}
	v := &models.ValidationError{}
	in.Reason = strings.TrimSpace(in.Reason)
	if !in.Confirmed {
		v.Add("confirm", models.M("ops.merchant.confirm_required"))
	}
	if utf8.RuneCountInString(in.Reason) > MaxSuspendReason {
		v.Add("reason", models.M("err.too_long", "Max", MaxSuspendReason))
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	to, action := models.MerchantActive, models.AuditMerchantResumed
	if in.Suspend {
		to, action = models.MerchantSuspended, models.AuditMerchantSuspended
	}
	now := s.now()
	var m models.Merchant
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Take(&m, id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return models.ErrNotFound
			}
			return err
		}
		if models.MerchantTransition(m.Status, to) != nil {
			return &models.ConflictError{Msg: models.M("ops.merchant.already." + string(m.Status))}
		}
		detail := map[string]any{"slug": m.Slug}
		upd := map[string]any{"status": to, "updated_at": now}
		if in.Suspend {
			upd["suspended_at"] = now
			if in.Reason != "" {
				detail["reason"] = in.Reason
			}
		} else {
			since := m.UpdatedAt
			if m.SuspendedAt != nil {
				since = *m.SuspendedAt
			}
			detail["suspended_at"] = since.UTC().Format(time.RFC3339)
			upd["suspended_at"] = nil
			if s.onResume != nil {
				if err := s.onResume(tx, m.ID, since, now); err != nil {
					return err
				}
			}
		}
		if err := tx.Model(&models.Merchant{}).Where("id = ?", m.ID).Updates(upd).Error; err != nil {
			return err
		}
		return audit.Write(tx, now, actor, audit.Event{Action: action, MerchantID: m.ID, TargetType: "merchant",
			TargetID: m.ID, Detail: detail})
	})
	if err != nil {
		return nil, err
	}
	m.Status = to
	return &m, nil
}

// merchantSuspended reports whether a user belongs to a suspended merchant.
func merchantSuspended(tx *gorm.DB, u *models.User) (bool, error) {
	if u.MerchantID == nil {
		return false, nil
	}
	var n int64
	err := tx.Model(&models.Merchant{}).Where("id = ? AND status = ?", *u.MerchantID, models.MerchantSuspended).Count(&n).Error
	return n > 0, err
}
