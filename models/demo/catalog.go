package demo

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/catalog"
)

// Demo access keys: fixed, so the built-in sandboxes verify the same key
// after every restart. Demo mode only.
const (
	AcmeKey   = "acme-demo-access-key-2026"
	GlobexKey = "globex-demo-access-key-2026"
)

// Products of the demo catalogue (DESIGN.md §4).
var Products = []struct {
	Merchant string
	models.Product
}{
	{"acme", models.Product{ProductID: "00301-100001-0--0", SKUCode: "acme-crm-basic", Name: "Acme CRM 标准版（月付）", Kind: models.KindSaaS,
		ChargingMode: models.ChargingPeriod, PeriodType: "month", TrialAllowed: true}},
	{"acme", models.Product{ProductID: "00301-100002-0--0", SKUCode: "acme-crm-basic", Name: "Acme CRM 标准版（年付）", Kind: models.KindSaaS,
		ChargingMode: models.ChargingPeriod, PeriodType: "year"}},
	{"acme", models.Product{ProductID: "00301-100003-0--0", SKUCode: "acme-impl", Name: "Acme 实施服务", Kind: models.KindService,
		ChargingMode: models.ChargingOneTime, Supervised: true}},
	{"globex", models.Product{ProductID: "00302-200001-0--0", SKUCode: "globex-mail", Name: "Globex 企业邮箱（月付）", Kind: models.KindSaaS,
		ChargingMode: models.ChargingPeriod, PeriodType: "month"}},
}

// SeedCatalog creates the demo products, endpoints and keys. Endpoint URLs
// are placeholders until the sandboxes start (PointAtSandboxes).
func SeedCatalog(ctx context.Context, db *gorm.DB, cat *catalog.Service) error {
	sys := models.SystemActor("demo")
	now := time.Now().UTC()
	ids := map[string]int64{}
	for _, slug := range []string{"acme", "globex"} {
		m, err := cat.MerchantBySlug(ctx, slug)
		if err != nil {
			return fmt.Errorf("demo merchant %s: %w", slug, err)
		}
		ids[slug] = m.ID
	}
	for _, p := range Products {
		row := p.Product
		row.MerchantID, row.Status, row.CreatedAt, row.UpdatedAt = ids[p.Merchant], models.ProductOnSale, now, now
		if err := db.WithContext(ctx).Create(&row).Error; err != nil {
			return fmt.Errorf("demo product %s: %w", row.ProductID, err)
		}
	}
	for slug, ep := range map[string]struct {
		proto, key string
		enc        int
	}{"acme": {"v2", AcmeKey, 1}, "globex": {"v1", GlobexKey, 2}} {
		if _, err := cat.SetEndpoint(ctx, sys, ids[slug], catalog.EndpointInput{URL: "http://127.0.0.1:1/produce",
			Protocol: ep.proto, EncryptType: ep.enc, TimeoutMS: 5000}); err != nil {
			return fmt.Errorf("demo endpoint %s: %w", slug, err)
		}
		if _, err := cat.RotateKey(ctx, sys, ids[slug], ep.key, 0); err != nil {
			return fmt.Errorf("demo key %s: %w", slug, err)
		}
	}
	return markDemo(ctx, db)
}
