package catalog

import (
	"context"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
)

// EndpointInput is the 生产系统接口地址 form.
type EndpointInput struct {
	URL            string
	Protocol       string // v1 or v2
	EncryptType    int    // 1 AES-256, 2 AES-128
	TimeoutMS      int
	MaxConcurrency int
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
		if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(ep).Error; err != nil {
			return err
		}
		return audit.Write(tx, now, actor, audit.Event{Action: models.AuditEndpointChanged, MerchantID: mid,
			TargetType: "endpoint", TargetID: mid, Detail: map[string]any{"url": in.URL, "protocol": in.Protocol}})
	})
	if err != nil {
		return nil, err
	}
	return ep, nil
}
