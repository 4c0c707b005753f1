package models

import "time"

// InvoiceStatus is where a customer invoice (给用户开票) is.
type InvoiceStatus string

const (
	InvoicePending   InvoiceStatus = "pending"   // 待开票
	InvoiceIssued    InvoiceStatus = "issued"    // 已完成
	InvoiceRevoked   InvoiceStatus = "revoked"   // 已撤销
	InvoiceRejected  InvoiceStatus = "rejected"  // 已驳回
	InvoiceReturning InvoiceStatus = "returning" // 退票中
	InvoiceReturned  InvoiceStatus = "returned"  // 已退票
)

// InvoiceStatuses lists them in display order.
var InvoiceStatuses = []InvoiceStatus{InvoicePending, InvoiceIssued, InvoiceRevoked, InvoiceRejected,
	InvoiceReturning, InvoiceReturned}

// Live reports whether the invoice still holds its lines: a line is on at
// most one live invoice.
func (s InvoiceStatus) Live() bool {
	return s == InvoicePending || s == InvoiceIssued || s == InvoiceReturning
}

// MsgID is the catalog key of the status label.
func (s InvoiceStatus) MsgID() string { return "invoice.status." + string(s) }

// InvoiceKind is the kind of fully digital invoice (数电发票).
type InvoiceKind string

const (
	InvoiceNormal  InvoiceKind = "normal"  // 数电普票
	InvoiceSpecial InvoiceKind = "special" // 数电专票: needs address, phone, bank and account
)

// InvoiceKinds lists them in display order.
var InvoiceKinds = []InvoiceKind{InvoiceNormal, InvoiceSpecial}

// Valid reports whether k is a known kind.
func (k InvoiceKind) Valid() bool { return k == InvoiceNormal || k == InvoiceSpecial }

// MsgID is the catalog key of the kind label.
func (k InvoiceKind) MsgID() string { return "invoice.kind." + string(k) }

// InvoiceAction is something done to a customer invoice; the transition
// table says in which state it is allowed and where it leads.
type InvoiceAction string

const (
	InvoiceIssue         InvoiceAction = "issue"          // 开具, finance
	InvoiceReject        InvoiceAction = "reject"         // 驳回, finance, with a reason
	InvoiceRevoke        InvoiceAction = "revoke"         // 撤销, the buyer, before issue
	InvoiceReturn        InvoiceAction = "return"         // 退票, finance, only from issued
	InvoiceApproveReturn InvoiceAction = "approve-return" // the second person of a four-eyes return
	InvoiceConfirmReturn InvoiceAction = "confirm-return" // 红字确认 recorded: returned
	InvoiceCancelReturn  InvoiceAction = "cancel-return"  // back to issued
)

// InvoiceActions lists every action in display order.
var InvoiceActions = []InvoiceAction{InvoiceIssue, InvoiceReject, InvoiceRevoke, InvoiceReturn,
	InvoiceApproveReturn, InvoiceConfirmReturn, InvoiceCancelReturn}

// MsgID is the catalog key of the action's button label.
func (a InvoiceAction) MsgID() string { return "invoice.action." + string(a) }

// Invoice sources: where a request came from.
const (
	InvoiceFromAPI     = "api"
	InvoiceFromBuyer   = "buyer"
	InvoiceFromReissue = "reissue"
)

// InvoiceOverdueDays is how many working days finance has to issue or
// reject a request before it shows as overdue.
const InvoiceOverdueDays = 3

// Invoice text limits, in characters.
const (
	InvoiceTitleMax     = 100
	InvoiceAddressMax   = 200
	InvoicePhoneMax     = 30
	InvoiceBankMax      = 100
	InvoiceAccountMax   = 40
	InvoiceReasonMin    = 2
	InvoiceReasonMax    = 500
	InvoiceNumberMax    = 40
	InvoiceRedLetterMax = 40
	InvoiceMaxLines     = 200
)

// Invoice is one invoice request and, once issued, the invoice.
type Invoice struct {
	ID                  int64  `gorm:"column:id;primaryKey"`
	MerchantID          int64  `gorm:"column:merchant_id"`
	BuyerRef            int64  `gorm:"column:buyer_ref"`
	CustomerID          string `gorm:"column:customer_id"`
	RequestID           string `gorm:"column:request_id"`
	RequestHash         string `gorm:"column:request_hash"`
	Source              string `gorm:"column:source"`
	ReissueOf           *int64 `gorm:"column:reissue_of"`
	InvoiceParty        `gorm:"embedded"`
	Currency            string        `gorm:"column:currency"`
	Amount              int64         `gorm:"column:amount"`
	Status              InvoiceStatus `gorm:"column:status"`
	NeedsReturn         bool          `gorm:"column:needs_return"`
	NeedsReturnAt       *time.Time    `gorm:"column:needs_return_at"`
	RequestedAt         time.Time     `gorm:"column:requested_at"`
	OverdueAt           time.Time     `gorm:"column:overdue_at"`
	InvoiceNumber       string        `gorm:"column:invoice_number"`
	InvoiceDate         string        `gorm:"column:invoice_date"`
	IssuedAt            *time.Time    `gorm:"column:issued_at"`
	IssuedBy            *int64        `gorm:"column:issued_by"`
	InvoiceFile         `gorm:"embedded"`
	RejectReason        string     `gorm:"column:reject_reason"`
	ReturnReason        string     `gorm:"column:return_reason"`
	ReturnNeedsApproval bool       `gorm:"column:return_needs_approval"`
	ReturnRequestedBy   *int64     `gorm:"column:return_requested_by"`
	ReturnRequestedAt   *time.Time `gorm:"column:return_requested_at"`
	ReturnApprovedBy    *int64     `gorm:"column:return_approved_by"`
	ReturnApprovedAt    *time.Time `gorm:"column:return_approved_at"`
	RedLetterNo         string     `gorm:"column:red_letter_no"`
	ClosedAt            *time.Time `gorm:"column:closed_at"`
	CreatedAt           time.Time  `gorm:"column:created_at"`
	UpdatedAt           time.Time  `gorm:"column:updated_at"`
}

func (Invoice) TableName() string { return "invoices" }

// InvoiceFile is an issued invoice's file as models/filestore kept it: the
// name shown, the sniffed type, size and digest, and our own name for it
// outside the web root (customer and platform-fee invoices alike).
type InvoiceFile struct {
	FileName    string `gorm:"column:file_name"`
	FileType    string `gorm:"column:file_type"`
	FileSize    int64  `gorm:"column:file_size"`
	FileSHA256  string `gorm:"column:file_sha256"`
	FileStorage string `gorm:"column:file_storage"`
}

// Allows tells whether the transition table lets action a move the invoice
// now (who may act is InvoiceActionsFor's business).
func (i *Invoice) Allows(a InvoiceAction) bool {
	_, err := InvoiceTransition(i.Status, a)
	return err == nil
}

// Overdue reports whether a pending request has waited past its due instant.
func (i *Invoice) Overdue(now time.Time) bool {
	return i.Status == InvoicePending && !now.Before(i.OverdueAt)
}

// ReturnAwaitsApproval reports whether a return waits for its second person.
func (i *Invoice) ReturnAwaitsApproval() bool {
	return i.Status == InvoiceReturning && i.ReturnNeedsApproval && i.ReturnApprovedBy == nil
}

// InvoiceLine is an order line an invoice covers, with the amount covered.
type InvoiceLine struct {
	ID           int64 `gorm:"column:id;primaryKey"`
	InvoiceRef   int64 `gorm:"column:invoice_ref"`
	MerchantID   int64 `gorm:"column:merchant_id"`
	OrderLineRef int64 `gorm:"column:order_line_ref"`
	Amount       int64 `gorm:"column:amount"`
	Live         bool  `gorm:"column:live"`
}

func (InvoiceLine) TableName() string { return "invoice_lines" }

// Invoice event kinds (the timeline).
const (
	InvoiceEvRequested      = "requested"
	InvoiceEvIssued         = "issued"
	InvoiceEvRejected       = "rejected"
	InvoiceEvRevoked        = "revoked"
	InvoiceEvReturnAsked    = "return_requested"
	InvoiceEvReturnApproved = "return_approved"
	InvoiceEvReturned       = "returned"
	InvoiceEvReturnCanceled = "return_canceled"
	InvoiceEvLineRefunded   = "line_refunded"
)

// InvoiceEventKinds lists them (for the catalog check).
var InvoiceEventKinds = []string{InvoiceEvRequested, InvoiceEvIssued, InvoiceEvRejected, InvoiceEvRevoked,
	InvoiceEvReturnAsked, InvoiceEvReturnApproved, InvoiceEvReturned, InvoiceEvReturnCanceled, InvoiceEvLineRefunded}

// InvoiceEvent is one immutable line of an invoice's timeline.
type InvoiceEvent struct {
	ID          int64     `gorm:"column:id;primaryKey"`
	InvoiceRef  int64     `gorm:"column:invoice_ref"`
	MerchantID  int64     `gorm:"column:merchant_id"`
	At          time.Time `gorm:"column:at"`
	Kind        string    `gorm:"column:kind"`
	ActorUserID *int64    `gorm:"column:actor_user_id"`
	Actor       string    `gorm:"column:actor"`
	Detail      string    `gorm:"column:detail"`
}

func (InvoiceEvent) TableName() string { return "invoice_events" }

// MsgID is the catalog key of the event's description.
func (e InvoiceEvent) MsgID() string { return "invoice.event." + e.Kind }

// InvoiceSettings are a merchant's invoice rules.
type InvoiceSettings struct {
	MerchantID     int64     `gorm:"column:merchant_id;primaryKey"`
	FourEyesReturn bool      `gorm:"column:four_eyes_return"`
	UpdatedBy      *int64    `gorm:"column:updated_by"`
	UpdatedAt      time.Time `gorm:"column:updated_at"`
}

func (InvoiceSettings) TableName() string { return "invoice_settings" }

// Refund kinds: what took money off a paid line.
const (
	RefundUnsubscribe   = "unsubscribe"    // 退订
	RefundRenewalCancel = "renewal_cancel" // 退续费
	RefundDowngrade     = "downgrade"      // 降配
)

// LineRefund is what one refund took off one paid line.
type LineRefund struct {
	ID            int64     `gorm:"column:id;primaryKey"`
	MerchantID    int64     `gorm:"column:merchant_id"`
	LineRef       int64     `gorm:"column:line_ref"`
	RefundLineRef int64     `gorm:"column:refund_line_ref"`
	Kind          string    `gorm:"column:kind"`
	Amount        int64     `gorm:"column:amount"`
	At            time.Time `gorm:"column:at"`
}

func (LineRefund) TableName() string { return "line_refunds" }

// ReconKind is a kind of reconciliation finding (/invoices/reconcile).
type ReconKind string

const (
	// ReconRefundedIssued: a refunded line whose invoice is still 已完成 —
	// the 需退票 nobody has acted on yet.
	ReconRefundedIssued ReconKind = "refunded_issued"
	// ReconUnsubscribeUnrecorded: an UNSUBSCRIBE of an instance with a line
	// on a live invoice but no refund recorded against any line, so no
	// invoice was flagged (it came before the refund hook, or the hook found
	// no paid line to spread it over).
	ReconUnsubscribeUnrecorded ReconKind = "unsubscribe_unrecorded"
	// ReconBlocked: a paid, unsettled line the settlement gate holds back.
	ReconBlocked ReconKind = "blocked"
)

// ReconKinds lists them in display order.
var ReconKinds = []ReconKind{ReconRefundedIssued, ReconUnsubscribeUnrecorded, ReconBlocked}

// MsgID is the catalog key of the kind's heading.
func (k ReconKind) MsgID() string { return "recon.kind." + string(k) }
