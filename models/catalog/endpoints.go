package catalog

import (
	"context"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
	"github.com/sellercenter/sellercenter/web/koogallery"
)

// EndpointInput is the 生产系统接口地址 form.
type EndpointInput struct {
	URL            string
	Protocol       string // v1 or v2
	EncryptType    int    // 1 AES-256, 2 AES-128
	TimeoutMS      int
	MaxConcurrency int
	// Check is what the test call before saving answered, for the audit
	// line (nil when no call was made: the CLI, the demo seed).
	Check map[string]any
}

// ValidateEndpoint checks the form and fills its defaults, without saving.
func (s *Service) ValidateEndpoint(ctx context.Context, in *EndpointInput) error {
	return s.validateEndpoint(ctx, in)
}

// SameTarget reports whether in calls the same interface as ep does (same
// address, protocol and encryption), so no new test call is needed.
func (in EndpointInput) SameTarget(ep *models.Endpoint) bool {
	return ep != nil && ep.URL == in.URL && ep.Protocol == in.Protocol && ep.EncryptType == in.EncryptType
}

// endpointAudit is an endpoint as its audit line shows it: query secrets
// of the address masked.
func endpointAudit(ep *models.Endpoint) map[string]any {
	if ep == nil {
		return nil
	}
	return map[string]any{"url": koogallery.MaskURL(ep.URL), "protocol": ep.Protocol, "encrypt_type": ep.EncryptType,
		"timeout_ms": ep.TimeoutMS, "max_concurrency": ep.MaxConcurrency}
}

func (s *Service) validateEndpoint(ctx context.Context, in *EndpointInput) error {
	v := &models.ValidationError{}
	if in.URL == "" {
		v.Add("url", models.M("err.required"))
	} else if id := s.policy.Check(ctx, in.URL); id != "" {
		v.Add("url", models.M(id))
	}
	if in.Protocol != "v1" && in.Protocol != "v2" {
		v.Add("protocol", models.M("err.protocol"))
	}
	if in.EncryptType == 0 {
		in.EncryptType = 1
	}
	if in.EncryptType != 1 && in.EncryptType != 2 {
		v.Add("encrypt_type", models.M("err.encrypt_type"))
	}
	if in.TimeoutMS == 0 {
		in.TimeoutMS = 5000
	}
	if in.TimeoutMS < 500 || in.TimeoutMS > 20000 {
		v.Add("timeout_ms", models.M("err.range", "Min", 500, "Max", 20000))
	}
	if in.MaxConcurrency == 0 {
		in.MaxConcurrency = 4
	}
	if in.MaxConcurrency < 1 || in.MaxConcurrency > 64 {
		v.Add("max_concurrency", models.M("err.range", "Min", 1, "Max", 64))
	}
	return v.Err()
}

// Endpoint returns the merchant's endpoint, or ErrNotFound when none is set.
func (s *Service) Endpoint(ctx context.Context, actor models.Actor, merchantID int64) (*models.Endpoint, error) {
	mid, err := merchantScope(actor, merchantID)
	if err != nil {
		return nil, err
	}
	var ep models.Endpoint
	if err := s.db.WithContext(ctx).Where("merchant_id = ?", mid).First(&ep).Error; err != nil {
		return nil, notFound(err)
	}
	return &ep, nil
}

// SetEndpoint saves the merchant's endpoint.
func (s *Service) SetEndpoint(ctx context.Context, actor models.Actor, merchantID int64, in EndpointInput) (*models.Endpoint, error) {
	if !actor.Can(models.PermEndpointSettings) && !actor.IsPlatform() {
		return nil, models.ErrForbidden
	}
	mid, err := merchantScope(actor, merchantID)
	if err != nil {
		return nil, err
	}
	if err := s.validateEndpoint(ctx, &in); err != nil {
		return nil, err
	}
	now := s.now()
	ep := &models.Endpoint{MerchantID: mid, URL: in.URL, Protocol: in.Protocol, EncryptType: in.EncryptType,
		TimeoutMS: in.TimeoutMS, MaxConcurrency: in.MaxConcurrency, UpdatedAt: now}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var old *models.Endpoint
		var prev models.Endpoint
		if err := tx.Where("merchant_id = ?", mid).Limit(1).Find(&prev).Error; err != nil {
			return err
		} else if prev.MerchantID != 0 {
			old = &prev
		}
		if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(ep).Error; err != nil {
			return err
		}
		detail := map[string]any{"old": endpointAudit(old), "new": endpointAudit(ep)}
		if in.Check != nil {
			detail["test_call"] = in.Check
		}
		return audit.Write(tx, now, actor, audit.Event{Action: models.AuditEndpointChanged, MerchantID: mid,
			TargetType: "endpoint", TargetID: mid, Detail: detail})
	})
	if err != nil {
		return nil, err
	}
	return ep, nil
}
