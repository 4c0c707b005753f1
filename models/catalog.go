package models

import "time"

// Product kinds, charging modes and sale states of the catalogue.
const (
	KindSaaS    = "saas"
	KindService = "service"

	ChargingPeriod      = "PERIOD"
	ChargingOneTime     = "ONE_TIME"
	ChargingOnDemand    = "ON_DEMAND"
	ChargingOnDemandPkg = "ON_DEMAND_PKG"

	ProductOnSale   = "on_sale"
	ProductFrozen   = "frozen"
	ProductDelisted = "delisted"
)

// ChargingModes lists the charging modes in display order.
var ChargingModes = []string{ChargingPeriod, ChargingOneTime, ChargingOnDemand, ChargingOnDemandPkg}

// Product is one marketplace productId of a merchant (商品/规格).
type Product struct {
	ID            int64     `gorm:"column:id;primaryKey"`
	MerchantID    int64     `gorm:"column:merchant_id"`
	ProductID     string    `gorm:"column:product_id"`
	SKUCode       string    `gorm:"column:sku_code"`
	Name          string    `gorm:"column:name"`
	Kind          string    `gorm:"column:kind"`
	ChargingMode  string    `gorm:"column:charging_mode"`
	PeriodType    string    `gorm:"column:period_type"`
	Supervised    bool      `gorm:"column:supervised"`
	TrialAllowed  bool      `gorm:"column:trial_allowed"`
	Status        string    `gorm:"column:status"`
	StatusReason  string    `gorm:"column:status_reason"`
	DelistFlagged bool      `gorm:"column:delist_flagged"`
	CreatedAt     time.Time `gorm:"column:created_at"`
	UpdatedAt     time.Time `gorm:"column:updated_at"`
}

func (Product) TableName() string { return "products" }

// Endpoint is a merchant's production interface (生产系统接口地址).
type Endpoint struct {
	MerchantID     int64     `gorm:"column:merchant_id;primaryKey"`
	URL            string    `gorm:"column:url"`
	Protocol       string    `gorm:"column:protocol"` // v1 or v2
	EncryptType    int       `gorm:"column:encrypt_type"`
	TimeoutMS      int       `gorm:"column:timeout_ms"`
	MaxConcurrency int       `gorm:"column:max_concurrency"`
	UpdatedAt      time.Time `gorm:"column:updated_at"`
}

func (Endpoint) TableName() string { return "endpoints" }

// Key states: one active key signs; a retiring key still verifies answers
// until RetireAt, so a rotation needs no downtime.
const (
	KeyActive   = "active"
	KeyRetiring = "retiring"
	KeyRevoked  = "revoked"
)

// Revocable says the key may still be revoked: a revoked key stays listed
// for the record but has nothing left to stop.
func (k MerchantKey) Revocable() bool { return k.Status != KeyRevoked }

// MerchantKey is an access key of 密钥管理; the secret is encrypted at rest.
type MerchantKey struct {
	ID         int64      `gorm:"column:id;primaryKey"`
	MerchantID int64      `gorm:"column:merchant_id"`
	Label      string     `gorm:"column:label"`
	SecretEnc  string     `gorm:"column:secret_enc"`
	Status     string     `gorm:"column:status"`
	CreatedAt  time.Time  `gorm:"column:created_at"`
	RetireAt   *time.Time `gorm:"column:retire_at"`
	RevokedAt  *time.Time `gorm:"column:revoked_at"`
}

func (MerchantKey) TableName() string { return "merchant_keys" }

// APIToken is a marketplace integration's bearer token (only its hash is kept).
type APIToken struct {
	ID         int64      `gorm:"column:id;primaryKey"`
	Name       string     `gorm:"column:name"`
	TokenHash  string     `gorm:"column:token_hash"`
	CreatedAt  time.Time  `gorm:"column:created_at"`
	LastUsedAt *time.Time `gorm:"column:last_used_at"`
	RevokedAt  *time.Time `gorm:"column:revoked_at"`
}

func (APIToken) TableName() string { return "api_tokens" }
