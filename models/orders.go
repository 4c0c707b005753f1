package models

import "time"

// Order types of the marketplace's order query (查询订单).
const (
	OrderNew           = "NEW"
	OrderTrial         = "TRIAL"
	OrderTrialToFormal = "TRIAL_TO_FORMAL"
	OrderRenew         = "RENEW"
	OrderUnsubscribe   = "UNSUBSCRIBE"
	OrderChange        = "CHANGE"
)

// OrderTypes lists the order types in display order.
var OrderTypes = []string{OrderNew, OrderTrial, OrderTrialToFormal, OrderRenew, OrderUnsubscribe, OrderChange}

// CreatesInstance reports whether an order type provisions a new instance;
// the others act on an existing one (the line's target instance).
func CreatesInstance(orderType string) bool { return orderType == OrderNew || orderType == OrderTrial }

// Buyer is a marketplace customer; PII is encrypted, NameMasked is for lists.
type Buyer struct {
	ID         int64     `gorm:"column:id;primaryKey"`
	CustomerID string    `gorm:"column:customer_id"`
	NameMasked string    `gorm:"column:name_masked"`
	PIIEnc     string    `gorm:"column:pii_enc"`
	CreatedAt  time.Time `gorm:"column:created_at"`
	UpdatedAt  time.Time `gorm:"column:updated_at"`
}

func (Buyer) TableName() string { return "buyers" }

// BuyerPII is what Buyer.PIIEnc decrypts to.
type BuyerPII struct {
	CustomerName string `json:"customerName"`
	UserID       string `json:"userId,omitempty"`
	UserName     string `json:"userName,omitempty"`
	MobilePhone  string `json:"mobilePhone,omitempty"`
	Email        string `json:"email,omitempty"`
}

// Order is a marketplace order; its status summarizes its lines.
type Order struct {
	ID          int64      `gorm:"column:id;primaryKey"`
	MerchantID  int64      `gorm:"column:merchant_id"`
	OrderID     string     `gorm:"column:order_id"`
	OrderType   string     `gorm:"column:order_type"`
	BuyerID     int64      `gorm:"column:buyer_id"`
	Status      LineStatus `gorm:"column:status"`
	Amount      int64      `gorm:"column:amount"`
	Currency    string     `gorm:"column:currency"`
	CreatedAt   time.Time  `gorm:"column:created_at"`
	ReceivedAt  time.Time  `gorm:"column:received_at"`
	UpdatedAt   time.Time  `gorm:"column:updated_at"`
	RequestHash string     `gorm:"column:request_hash"`

	Lines []OrderLine `gorm:"foreignKey:OrderRef"`
	Buyer *Buyer      `gorm:"foreignKey:BuyerID"`
}

func (Order) TableName() string { return "orders" }

// OrderLine is one line of an order; creating lines end with an instance.
type OrderLine struct {
	ID               int64      `gorm:"column:id;primaryKey"`
	OrderRef         int64      `gorm:"column:order_ref"`
	MerchantID       int64      `gorm:"column:merchant_id"`
	OrderLineID      string     `gorm:"column:order_line_id"`
	ProductRef       int64      `gorm:"column:product_ref"`
	SKUCode          string     `gorm:"column:sku_code"`
	ChargingMode     string     `gorm:"column:charging_mode"`
	PeriodType       string     `gorm:"column:period_type"`
	PeriodNumber     int        `gorm:"column:period_number"`
	Amount           int64      `gorm:"column:amount"`
	Currency         string     `gorm:"column:currency"`
	ExpireAt         *time.Time `gorm:"column:expire_at"`
	TargetInstanceID string     `gorm:"column:target_instance_id"`
	InstanceRef      *int64     `gorm:"column:instance_ref"`
	Status           LineStatus `gorm:"column:status"`
	StatusReason     string     `gorm:"column:status_reason"`
	UpdatedAt        time.Time  `gorm:"column:updated_at"`

	// Copies of the order's immutable fields, for the order list's filters.
	OrderCode   string      `gorm:"column:order_code"`
	OrderType   string      `gorm:"column:order_type"`
	OrderedAt   time.Time   `gorm:"column:ordered_at"`
	BuyerRef    int64       `gorm:"column:buyer_ref"`
	Supervision Supervision `gorm:"column:supervision"`

	Product  *Product  `gorm:"foreignKey:ProductRef"`
	Instance *Instance `gorm:"foreignKey:InstanceRef"`
}

func (OrderLine) TableName() string { return "order_lines" }

// Instance is what a merchant provisioned for a buyer.
type Instance struct {
	ID              int64          `gorm:"column:id;primaryKey"`
	MerchantID      int64          `gorm:"column:merchant_id"`
	InstanceID      string         `gorm:"column:instance_id"`
	ProductID       int64          `gorm:"column:product_id"`
	Status          InstanceStatus `gorm:"column:status"`
	ExpireAt        *time.Time     `gorm:"column:expire_at"`
	AppInfoEnc      string         `gorm:"column:app_info_enc"`
	CreatingLineRef int64          `gorm:"column:creating_line_ref"`
	CreatedAt       time.Time      `gorm:"column:created_at"`
	UpdatedAt       time.Time      `gorm:"column:updated_at"`
}

func (Instance) TableName() string { return "instances" }

// AppInfo is what Instance.AppInfoEnc decrypts to: credentials in clear.
type AppInfo struct {
	FrontEndURL string `json:"frontEndUrl"`
	AdminURL    string `json:"adminUrl,omitempty"`
	UserName    string `json:"userName,omitempty"`
	Password    string `json:"password,omitempty"`
	Memo        string `json:"memo,omitempty"`
}

// Supervision is a line's 服务监管状态.
type Supervision string

const (
	SupervisionNone       Supervision = "none"        // 不涉及
	SupervisionInProgress Supervision = "in_progress" // 进行中
	SupervisionDone       Supervision = "done"        // 已完成
)

// Supervisions lists them in display order.
var Supervisions = []Supervision{SupervisionNone, SupervisionInProgress, SupervisionDone}

// SupervisionOf derives a line's supervision status from its product and status.
func SupervisionOf(supervised bool, s LineStatus) Supervision {
	switch {
	case !supervised:
		return SupervisionNone
	case s == LineCompleted || s == LineUnsubscribed:
		return SupervisionDone
	}
	return SupervisionInProgress
}
