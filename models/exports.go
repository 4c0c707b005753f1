package models

import "time"

// Export kinds: which list an export reads.
const (
	ExportOrders            = "orders"
	ExportInterfaceMessages = "interface_messages"
	ExportInvoices          = "invoices"    // the customer invoice list (给用户开票), for finance
	ExportSupervision       = "supervision" // the merchant's 服务监管 list
	ExportAudit             = "audit"       // the audit log (操作日志), for the owner and operations
	ExportStatement         = "statement"   // one settlement statement's lines (结算单明细), for finance
)

// ExportKinds lists the kinds in display order.
var ExportKinds = []string{ExportOrders, ExportInterfaceMessages, ExportInvoices, ExportSupervision, ExportAudit, ExportStatement}

// Export file formats.
const (
	ExportXLSX = "xlsx"
	ExportCSV  = "csv"
)

// ExportFormats lists the formats in display order.
var ExportFormats = []string{ExportXLSX, ExportCSV}

// ExportStatus is where an export is: 排队中 → 生成中 → 已完成 | 失败; a
// finished file expires.
type ExportStatus string

const (
	ExportQueued  ExportStatus = "queued"
	ExportRunning ExportStatus = "running"
	ExportDone    ExportStatus = "done"
	ExportFailed  ExportStatus = "failed"
	ExportExpired ExportStatus = "expired"
)

// ExportStatuses lists them in display order.
var ExportStatuses = []ExportStatus{ExportQueued, ExportRunning, ExportDone, ExportFailed, ExportExpired}

// Export is one export request (导出记录) and the file it produced.
type Export struct {
	ID          int64        `gorm:"column:id;primaryKey"`
	MerchantID  *int64       `gorm:"column:merchant_id"` // nil: all merchants (operations managers)
	UserID      int64        `gorm:"column:user_id"`
	Kind        string       `gorm:"column:kind"`
	Format      string       `gorm:"column:format"`
	Query       string       `gorm:"column:query"`
	Summary     string       `gorm:"column:summary"`
	Lang        string       `gorm:"column:lang"`
	TimeZone    string       `gorm:"column:time_zone"`
	Status      ExportStatus `gorm:"column:status"`
	RunNo       int          `gorm:"column:run_no"`
	RowsTotal   int64        `gorm:"column:rows_total"`
	RowsWritten int64        `gorm:"column:rows_written"`
	FileName    string       `gorm:"column:file_name"`
	FilePath    string       `gorm:"column:file_path"`
	Size        int64        `gorm:"column:size"`
	SHA256      string       `gorm:"column:sha256"`
	Error       string       `gorm:"column:error"`
	CreatedAt   time.Time    `gorm:"column:created_at"`
	StartedAt   *time.Time   `gorm:"column:started_at"`
	FinishedAt  *time.Time   `gorm:"column:finished_at"`
	ExpiresAt   *time.Time   `gorm:"column:expires_at"`
}

func (Export) TableName() string { return "exports" }

// Expired tells whether the export's file is gone or past its time at now:
// the download refuses it and the history shows it so, by this one rule.
func (e *Export) Expired(now time.Time) bool {
	return e.Status == ExportExpired || (e.Status == ExportDone && e.ExpiresAt != nil && !now.Before(*e.ExpiresAt))
}

// Building tells whether the file is still being made.
func (e *Export) Building() bool { return e.Status == ExportQueued || e.Status == ExportRunning }
