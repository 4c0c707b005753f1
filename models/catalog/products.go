package catalog

import (
	"context"
	"regexp"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
)

// productIDRe follows the marketplace's productId shape, e.g. 00301-100001-0--0.
var productIDRe = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z_.-]{2,63}$`)

// ProductInput is the 商品/规格 form.
type ProductInput struct {
	ProductID    string
	SKUCode      string
	Name         string
	Kind         string
	ChargingMode string
	PeriodType   string
	Supervised   bool
	TrialAllowed bool
}

// Products lists the actor's merchant's products (all of them for operations).
func (s *Service) Products(ctx context.Context, actor models.Actor) ([]models.Product, error) {
	q := s.db.WithContext(ctx).Order("merchant_id, product_id")
	if !actor.IsPlatform() {
		if actor.MerchantID == 0 {
			return nil, models.ErrForbidden
		}
		q = q.Where("merchant_id = ?", actor.MerchantID)
	}
	var ps []models.Product
	err := q.Find(&ps).Error
	return ps, err
}

// AddProduct registers a spec's productId for the actor's merchant.
func (s *Service) AddProduct(ctx context.Context, actor models.Actor, in ProductInput) (*models.Product, error) {
	if !actor.Can(models.PermEndpointSettings) || actor.MerchantID == 0 {
		return nil, models.ErrForbidden
	}
	in.ProductID, in.SKUCode, in.Name = strings.TrimSpace(in.ProductID), strings.TrimSpace(in.SKUCode), strings.TrimSpace(in.Name)
	v := &models.ValidationError{}
	if !productIDRe.MatchString(in.ProductID) {
		v.Add("product_id", models.M("err.id_format"))
	}
	if len(in.SKUCode) > 64 {
		v.Add("sku_code", models.M("err.too_long", "Max", 64))
	}
	switch n := utf8.RuneCountInString(in.Name); {
	case n == 0:
		v.Add("name", models.M("err.required"))
	case n > 100:
		v.Add("name", models.M("err.too_long", "Max", 100))
	}
	if in.Kind != models.KindSaaS && in.Kind != models.KindService {
		v.Add("kind", models.M("err.filter_value"))
	}
	modeOK := false
	for _, m := range models.ChargingModes {
		modeOK = modeOK || m == in.ChargingMode
	}
	if !modeOK {
		v.Add("charging_mode", models.M("err.filter_value"))
	}
	if in.ChargingMode == models.ChargingPeriod {
		if in.PeriodType != "month" && in.PeriodType != "year" {
			v.Add("period_type", models.M("err.enum", "Values", "month, year"))
		}
	} else if in.PeriodType != "" {
		v.Add("period_type", models.M("err.period_not_allowed"))
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	p := &models.Product{MerchantID: actor.MerchantID, ProductID: in.ProductID, SKUCode: in.SKUCode, Name: in.Name,
		Kind: in.Kind, ChargingMode: in.ChargingMode, PeriodType: in.PeriodType, Supervised: in.Supervised,
		TrialAllowed: in.TrialAllowed, Status: models.ProductOnSale, CreatedAt: now, UpdatedAt: now}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&models.Product{}).Where("product_id = ?", in.ProductID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			v.Add("product_id", models.M("err.product_taken"))
			return v
		}
		if err := tx.Create(p).Error; err != nil {
			return err
		}
		return audit.Write(tx, now, actor, audit.Event{Action: models.AuditProductAdded, TargetType: "product", TargetID: p.ID,
			Detail: map[string]any{"product_id": p.ProductID}})
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}
