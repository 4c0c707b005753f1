package models

import "time"

// CommissionRate is the platform's commission (basis points) for a
// merchant, or for one product of it when ProductRef is set.
type CommissionRate struct {
	ID         int64     `gorm:"column:id;primaryKey"`
	MerchantID int64     `gorm:"column:merchant_id"`
	ProductRef *int64    `gorm:"column:product_ref"`
	RateBP     int       `gorm:"column:rate_bp"`
	UpdatedBy  string    `gorm:"column:updated_by"`
	UpdatedAt  time.Time `gorm:"column:updated_at"`
}

func (CommissionRate) TableName() string { return "commission_rates" }

// CommissionFee is the fee on an amount at a rate, rounded half away from
// zero to the minor unit, so a refund's fee is exactly the sale's negated.
func CommissionFee(amount int64, rateBP int) int64 {
	p := amount * int64(rateBP)
	if p < 0 {
		return -((-p + 5000) / 10000)
	}
	return (p + 5000) / 10000
}

// Statement line kinds.
const (
	StatementSale      = "sale"
	StatementRefund    = "refund"
	StatementDowngrade = "downgrade"
	// StatementHeld is a line in a run's range that did not count as sold,
	// or did not pass the settlement gate, when the run was made: not part
	// of the statement; a later run settles it once it passes.
	StatementHeld = "held"
)

// SettlementRun is one generation of a merchant's month: the rule of which
// sales its statements cover (the lines ordered in [FromAt, ToAt) and
// inserted up to MaxLine, less its held lines) and the commission then.
type SettlementRun struct {
	ID          int64      `gorm:"column:id;primaryKey"`
	MerchantID  int64      `gorm:"column:merchant_id"`
	Month       string     `gorm:"column:month"`
	FromAt      *time.Time `gorm:"column:from_at"`
	ToAt        time.Time  `gorm:"column:to_at"`
	MaxLine     int64      `gorm:"column:max_line"`
	RateBP      int        `gorm:"column:rate_bp"`
	GeneratedAt time.Time  `gorm:"column:generated_at"`
}

func (SettlementRun) TableName() string { return "settlement_runs" }

// SettlementStatement is a merchant's monthly statement (结算单) in one
// currency.
type SettlementStatement struct {
	ID          int64      `gorm:"column:id;primaryKey"`
	MerchantID  int64      `gorm:"column:merchant_id"`
	Month       string     `gorm:"column:month"`
	Currency    string     `gorm:"column:currency"`
	Gross       int64      `gorm:"column:gross"`
	Fee         int64      `gorm:"column:fee"`
	Refunds     int64      `gorm:"column:refunds"`
	Net         int64      `gorm:"column:net"`
	LineCount   int64      `gorm:"column:line_count"`
	Paid        bool       `gorm:"column:paid"`
	PaidAt      *time.Time `gorm:"column:paid_at"`
	GeneratedAt time.Time  `gorm:"column:generated_at"`
	RunRef      *int64     `gorm:"column:run_ref"`
}

func (SettlementStatement) TableName() string { return "settlement_statements" }

// Negative reports whether the statement gives money back: such a
// statement is always part of a platform-fee invoice request.
func (s *SettlementStatement) Negative() bool { return s.Fee < 0 }

// StatementLine is a line of a run its range rule does not cover: a held
// line, a sale settled outside a range, or a refund or downgrade. The
// statement it belongs to is the run's in its currency.
type StatementLine struct {
	ID           int64  `gorm:"column:id;primaryKey"`
	RunRef       int64  `gorm:"column:run_ref"`
	MerchantID   int64  `gorm:"column:merchant_id"`
	OrderLineRef int64  `gorm:"column:order_line_ref"`
	RefundRef    *int64 `gorm:"column:refund_ref"`
	Kind         string `gorm:"column:kind"`
	Currency     string `gorm:"column:currency"`
	Gross        int64  `gorm:"column:gross"`
	RateBP       int    `gorm:"column:rate_bp"`
	Fee          int64  `gorm:"column:fee"`
}

func (StatementLine) TableName() string { return "statement_lines" }

// PlatformFeeStatus is where a platform-fee invoice request is.
type PlatformFeeStatus string

const (
	PlatformFeePending  PlatformFeeStatus = "pending"  // 待开票
	PlatformFeeIssued   PlatformFeeStatus = "issued"   // 已开票
	PlatformFeeRejected PlatformFeeStatus = "rejected" // 已驳回
)

// PlatformFeeStatuses lists them in display order.
var PlatformFeeStatuses = []PlatformFeeStatus{PlatformFeePending, PlatformFeeIssued, PlatformFeeRejected}

// MsgID is the catalog key of the status label.
func (s PlatformFeeStatus) MsgID() string { return "platform_fee.status." + string(s) }

// PlatformFeeAction is something operations do to a platform-fee request.
type PlatformFeeAction string

const (
	PlatformFeeIssue  PlatformFeeAction = "issue"
	PlatformFeeReject PlatformFeeAction = "reject"
)

// PlatformFeeActions lists them.
var PlatformFeeActions = []PlatformFeeAction{PlatformFeeIssue, PlatformFeeReject}

// MsgID is the catalog key of the action's button label.
func (a PlatformFeeAction) MsgID() string { return "platform_fee.action." + string(a) }

// PlatformFeeRequest is a merchant's request for the platform-fee invoice
// (索取平台费发票) over some statements.
type PlatformFeeRequest struct {
	ID            int64 `gorm:"column:id;primaryKey"`
	MerchantID    int64 `gorm:"column:merchant_id"`
	InvoiceParty  `gorm:"embedded"`
	Currency      string            `gorm:"column:currency"`
	Amount        int64             `gorm:"column:amount"`
	Status        PlatformFeeStatus `gorm:"column:status"`
	RequestedBy   *int64            `gorm:"column:requested_by"`
	InvoiceNumber string            `gorm:"column:invoice_number"`
	InvoiceFile   `gorm:"embedded"`
	RejectReason  string     `gorm:"column:reject_reason"`
	DecidedBy     string     `gorm:"column:decided_by"`
	DecidedAt     *time.Time `gorm:"column:decided_at"`
	CreatedAt     time.Time  `gorm:"column:created_at"`
	UpdatedAt     time.Time  `gorm:"column:updated_at"`
}

func (PlatformFeeRequest) TableName() string { return "platform_fee_requests" }

// PlatformFeeStatement ties a request to a statement it covers.
type PlatformFeeStatement struct {
	RequestRef   int64 `gorm:"column:request_ref;primaryKey"`
	StatementRef int64 `gorm:"column:statement_ref;primaryKey"`
	Live         bool  `gorm:"column:live"`
}

func (PlatformFeeStatement) TableName() string { return "platform_fee_statements" }
