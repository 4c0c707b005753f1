package models

import "time"

// TestCase is a saved interface-debugger case (用例): an activity and its
// parameters. A case tied to a product is replayed by the dial tests.
type TestCase struct {
	ID         int64     `gorm:"column:id;primaryKey"`
	MerchantID int64     `gorm:"column:merchant_id"`
	ProductRef *int64    `gorm:"column:product_ref"`
	Name       string    `gorm:"column:name"`
	Activity   string    `gorm:"column:activity"`
	Params     string    `gorm:"column:params"` // JSON object of protocol parameters
	CreatedBy  string    `gorm:"column:created_by"`
	CreatedAt  time.Time `gorm:"column:created_at"`
	UpdatedAt  time.Time `gorm:"column:updated_at"`
}

func (TestCase) TableName() string { return "test_cases" }

// Dial-run outcomes.
const (
	DialOK    = "ok"
	DialError = "error"
)

// DialRun is one dial-test (拨测) run of a saved case.
type DialRun struct {
	ID           int64     `gorm:"column:id;primaryKey"`
	MerchantID   int64     `gorm:"column:merchant_id"`
	ProductRef   int64     `gorm:"column:product_ref"`
	CaseRef      *int64    `gorm:"column:case_ref"`
	CaseName     string    `gorm:"column:case_name"`
	Activity     string    `gorm:"column:activity"`
	At           time.Time `gorm:"column:at"`
	Outcome      string    `gorm:"column:outcome"`
	ErrorClass   string    `gorm:"column:error_class"`
	ErrorDetail  string    `gorm:"column:error_detail"`
	ResultCode   string    `gorm:"column:result_code"`
	LatencyMS    int64     `gorm:"column:latency_ms"`
	RequestText  string    `gorm:"column:request_text"`  // masked
	ResponseText string    `gorm:"column:response_text"` // masked
}

func (DialRun) TableName() string { return "dial_runs" }

// ProductDialState is the part of a product row the dial and delist rules
// read and write, including the moments from which they count again after an
// operations manager reversed them.
type ProductDialState struct {
	ID              int64      `gorm:"column:id;primaryKey"`
	MerchantID      int64      `gorm:"column:merchant_id"`
	ProductID       string     `gorm:"column:product_id"`
	Name            string     `gorm:"column:name"`
	Status          string     `gorm:"column:status"`
	StatusReason    string     `gorm:"column:status_reason"`
	DelistFlagged   bool       `gorm:"column:delist_flagged"`
	DialStreakFrom  *time.Time `gorm:"column:dial_streak_from"`
	DelistCountFrom *time.Time `gorm:"column:delist_count_from"`
	UpdatedAt       time.Time  `gorm:"column:updated_at"`
}

func (ProductDialState) TableName() string { return "products" }

// ReasonDialFailed is the status reason of a product frozen by the dial rule.
const ReasonDialFailed = "dial_failed_5_days"

// Audit actions of the interface debugger and the dial rules.
const (
	AuditDebugSent       = "debugger.sent"
	AuditCaseSaved       = "debugger.case_saved"
	AuditCaseDeleted     = "debugger.case_deleted"
	AuditProductFrozen   = "product.dial_frozen"
	AuditProductUnfrozen = "product.unfrozen"
	AuditDelistFlagged   = "product.delist_flagged"
	AuditDelistCleared   = "product.delist_cleared"
)

// The debugger's actions join the audit filter; registering them here keeps
// the area's names in the area's file.
func init() {
	AuditActions = append(AuditActions, AuditDebugSent, AuditCaseSaved, AuditCaseDeleted,
		AuditProductFrozen, AuditProductUnfrozen, AuditDelistFlagged, AuditDelistCleared)
}
