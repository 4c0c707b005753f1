package models

import "time"

// Audit actions. Every sensitive action writes one row with one of these.
const (
	AuditLogin           = "login"
	AuditLoginFailed     = "login.failed"
	AuditLogout          = "logout"
	AuditUserCreated     = "user.created"
	AuditUserRoleChanged = "user.role_changed"
	AuditUserDisabled    = "user.disabled"
	AuditUserEnabled     = "user.enabled"
	AuditPasswordReset   = "user.password_reset"
	AuditPasswordChanged = "user.password_changed"
	AuditProfileChanged  = "user.profile_changed"
	AuditMerchantCreated = "merchant.created"
)

// Audit actions of merchant administration (operations).
const (
	AuditMerchantSuspended = "merchant.suspended"
	AuditMerchantResumed   = "merchant.resumed"
)

// AuditEntry is one immutable line of the audit log.
type AuditEntry struct {
	ID          int64     `gorm:"column:id;primaryKey"`
	At          time.Time `gorm:"column:at"`
	ActorUserID *int64    `gorm:"column:actor_user_id"`
	ActorEmail  string    `gorm:"column:actor_email"`
	MerchantID  *int64    `gorm:"column:merchant_id"`
	Action      string    `gorm:"column:action"`
	TargetType  string    `gorm:"column:target_type"`
	TargetID    string    `gorm:"column:target_id"`
	Detail      string    `gorm:"column:detail"`
	IP          string    `gorm:"column:ip"`
}

func (AuditEntry) TableName() string { return "audit_log" }

// MsgID is the catalog key describing the action.
func (e AuditEntry) MsgID() string { return "audit.action." + e.Action }

// AuditActions lists the actions in the audit filter, in display order.
var AuditActions = []string{AuditLogin, AuditLoginFailed, AuditLogout, AuditUserCreated, AuditUserRoleChanged,
	AuditUserDisabled, AuditUserEnabled, AuditPasswordReset, AuditPasswordChanged, AuditProfileChanged,
	AuditMerchantCreated, AuditMerchantSuspended, AuditMerchantResumed, AuditEndpointChanged, AuditKeyRotated, AuditKeyRevoked, AuditTokenIssued,
	AuditCallRestarted, AuditProductStatus, AuditCredentialsView, AuditBuyerPIIView, AuditProductAdded,
	AuditExportDownloaded,
	AuditDemandAssigned, AuditDemandAccepted, AuditDemandRejected, AuditDemandClosed, AuditDemandNoted,
	AuditDemandLinked, AuditDemandWindowChanged,
	AuditReceptionChanged, AuditHolidayAdded, AuditHolidayRemoved, AuditHolidaysImported,
	AuditInvoiceIssued, AuditInvoiceRejected, AuditInvoiceReturnAsked, AuditInvoiceReturnApproved, AuditInvoiceReturned,
	AuditInvoiceReturnCanceled, AuditInvoiceFileDownloaded, AuditInvoiceSettings, AuditCommissionChanged,
	AuditStatementPaid, AuditPlatformFeeRequested, AuditPlatformFeeIssued, AuditPlatformFeeRejected,
	AuditSupStarted, AuditSupAction, AuditSupAppealed, AuditSupRuled, AuditSupSettings, AuditSupPolicy,
	AuditSupEvidenceExport, AuditSupAutoClosed,
	AuditDebugSent, AuditCaseSaved, AuditCaseDeleted, AuditProductFrozen, AuditProductUnfrozen, AuditDelistFlagged, AuditDelistCleared}

// KnownAuditAction reports whether a is a listed action.
func KnownAuditAction(a string) bool {
	for _, k := range AuditActions {
		if k == a {
			return true
		}
	}
	return false
}

// Audit actions of the provisioning core.
const (
	AuditEndpointChanged = "endpoint.changed"
	AuditKeyRotated      = "key.rotated"
	AuditKeyRevoked      = "key.revoked"
	AuditTokenIssued     = "api_token.issued"
	AuditCallRestarted   = "call.restarted"
	AuditProductStatus   = "product.status"
	AuditCredentialsView = "credentials.revealed"
	AuditBuyerPIIView    = "buyer_pii.revealed"
	AuditProductAdded    = "product.added"
)

// AuditExportDownloaded records every download of an export file.
const AuditExportDownloaded = "export.downloaded"

// Audit actions of customer demands (客户需求).
const (
	AuditDemandAssigned      = "demand.assigned"
	AuditDemandAccepted      = "demand.accepted"
	AuditDemandRejected      = "demand.rejected"
	AuditDemandClosed        = "demand.closed"
	AuditDemandNoted         = "demand.noted"
	AuditDemandLinked        = "demand.linked"
	AuditDemandWindowChanged = "demand.window_changed"
)

// Audit actions of reception hours and the public-holiday calendar.
const (
	AuditReceptionChanged = "reception.changed"
	AuditHolidayAdded     = "holiday.added"
	AuditHolidayRemoved   = "holiday.removed"
	AuditHolidaysImported = "holidays.imported"
)

// Audit actions of invoices (发票管理) and platform fees.
const (
	AuditInvoiceIssued         = "invoice.issued"
	AuditInvoiceRejected       = "invoice.rejected"
	AuditInvoiceReturnAsked    = "invoice.return_requested"
	AuditInvoiceReturnApproved = "invoice.return_approved"
	AuditInvoiceReturned       = "invoice.returned"
	AuditInvoiceReturnCanceled = "invoice.return_canceled"
	AuditInvoiceFileDownloaded = "invoice.file_downloaded"
	AuditInvoiceSettings       = "invoice.settings_changed"
	AuditCommissionChanged     = "commission.changed"
	AuditStatementPaid         = "statement.paid"
	AuditPlatformFeeRequested  = "platform_fee.requested"
	AuditPlatformFeeIssued     = "platform_fee.issued"
	AuditPlatformFeeRejected   = "platform_fee.rejected"
)
