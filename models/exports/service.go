package exports

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/db"
	"github.com/sellercenter/sellercenter/models/i18n"
	"github.com/sellercenter/sellercenter/models/interfacelog"
	"github.com/sellercenter/sellercenter/models/invoices"
	"github.com/sellercenter/sellercenter/models/orders"
	"github.com/sellercenter/sellercenter/models/supervision"
	"github.com/sellercenter/sellercenter/models/tenancy"
)

// Config tunes the engine; zero values take the defaults.
type Config struct {
	// Dir holds the files (created if missing).
	Dir string
	// TTL is how long a finished file stays downloadable (default 7 days).
	TTL time.Duration
	// MaxRunning caps the exports running at once per merchant (default 2);
	// more wait in the queue (their jobs snooze), they are not refused.
	MaxRunning int
	// Snooze is how long a waiting export's job sleeps before it looks again
	// (default 3 s).
	Snooze time.Duration
	// ProgressEvery is how many rows pass between progress updates (default 5000).
	ProgressEvery int
	// RowsPerSheet caps an XLSX sheet; more rows continue on the next sheet
	// (default and maximum: Excel's 1,048,576 rows less the header).
	RowsPerSheet int
	// JobTimeout bounds one run (default 100 s, below River's two-minute
	// rescue of stuck jobs, so a run is never rescued while it still works).
	// A million rows take well under that (see the README's figures).
	JobTimeout time.Duration
	// StuckAfter marks a run that has not finished after this long (a lost
	// process whose job River no longer has) failed at the next purge
	// (default 1 h).
	StuckAfter time.Duration
}

const maxSheetRows = 1<<20 - 1

func (c Config) withDefaults() Config {
	if c.TTL <= 0 {
		c.TTL = 7 * 24 * time.Hour
	}
	if c.MaxRunning <= 0 {
		c.MaxRunning = 2
	}
	if c.Snooze <= 0 {
		c.Snooze = 3 * time.Second
	}
	if c.ProgressEvery <= 0 {
		c.ProgressEvery = 5000
	}
	if c.RowsPerSheet <= 0 || c.RowsPerSheet > maxSheetRows {
		c.RowsPerSheet = maxSheetRows
	}
	if c.JobTimeout <= 0 {
		c.JobTimeout = 100 * time.Second
	}
	if c.StuckAfter <= 0 {
		c.StuckAfter = time.Hour
	}
	return c
}

// Queue runs an export's job, inserted inside the transaction that stored
// the export, so the row and its job exist together or not at all.
type Queue interface {
	Enqueue(ctx context.Context, tx *sql.Tx, exportID int64) error
}

// Service is the export engine.
type Service struct {
	db     *gorm.DB
	clock  bizclock.Clock
	cfg    Config
	orders orders.Service
	ilog   interfacelog.Service
	inv    invoices.Reader
	sup    supervision.Reader
	audit  audit.Reader
	queue  Queue

	// Test hooks: afterClaim runs once a run owns its row; killAfter, when
	// positive, ends a run after that many rows as a killed process would
	// (partial file left, row still running).
	afterClaim func(id int64)
	killAfter  int64
}

// Errors of the engine.
var (
	// ErrGone is a download of an expired (or vanished) file: 410.
	ErrGone = errors.New("exports: file expired")
	// ErrBusy means the merchant already runs MaxRunning exports; the job
	// waits and tries again.
	ErrBusy = errors.New("exports: merchant at its running limit")
	// errInterrupted is a run stopped by a shutdown; its job comes back.
	errInterrupted = errors.New("exports: run interrupted")
	// errSuperseded is a run whose row another run took over.
	errSuperseded = errors.New("exports: run superseded")
	// errKilled is the test hook's simulated kill.
	errKilled = errors.New("exports: simulated kill")
)

// New builds the engine; install the queue with SetQueue (River needs the
// workers, hence the service, before its client exists).
func New(db *gorm.DB, clock bizclock.Clock, cfg Config) (*Service, error) {
	cfg = cfg.withDefaults()
	if cfg.Dir == "" {
		return nil, errors.New("exports: no directory")
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("exports directory: %w", err)
	}
	return &Service{db: db, clock: clock, cfg: cfg, orders: orders.New(db), ilog: interfacelog.New(db, clock),
		inv: invoices.NewReader(db, clock), sup: supervision.NewReader(db, clock), audit: audit.NewReader(db)}, nil
}

// SetQueue installs the job queue (River in production).
func (s *Service) SetQueue(q Queue) { s.queue = q }

// Dir is the directory holding the files.
func (s *Service) Dir() string { return s.cfg.Dir }

func (s *Service) now() time.Time { return s.clock.Now().UTC() }

// mayRead reports whether the actor may see exports of a kind: every kind
// needs the export permission, the message log and the invoices their own
// read permission as well.
func mayRead(actor models.Actor, kind string) bool {
	if !actor.Can(models.PermOrdersExport) {
		return false
	}
	switch kind {
	case models.ExportInterfaceMessages:
		return actor.Can(models.PermInterfaceLog)
	case models.ExportInvoices:
		return actor.Can(models.PermInvoicesView) || actor.Can(models.PermAdminInvoices)
	case models.ExportSupervision:
		return actor.Can(models.PermOrdersView) || actor.Can(models.PermAdminAppeals)
	case models.ExportAudit:
		return actor.Can(models.PermMerchantAudit) || actor.Can(models.PermAdminAudit)
	case models.ExportStatement:
		return actor.Can(models.PermInvoices) || actor.Can(models.PermAdminInvoices)
	}
	return true
}

// visible scopes a query over exports aliased e to what the actor may see:
// its merchant's rows (an operations manager: all, including the
// all-merchant exports nobody else sees), of the kinds its role may read.
func visible(q *gorm.DB, actor models.Actor) (*gorm.DB, error) {
	if !actor.Can(models.PermOrdersExport) {
		return nil, models.ErrForbidden
	}
	switch {
	case actor.IsPlatform():
	case actor.MerchantID != 0:
		q = q.Where("e.merchant_id = ?", actor.MerchantID)
	default:
		return nil, models.ErrForbidden
	}
	for _, k := range models.ExportKinds {
		if !mayRead(actor, k) {
			q = q.Where("e.kind <> ?", k)
		}
	}
	return q, nil
}

// maxQuery bounds the stored filter.
const maxQuery = 2048

// Create validates an export request, stores it and queues its job in one
// transaction. query is the list filter's URL form; its cursor is dropped
// (an export is the whole filtered set). Bad input is a ValidationError and
// nothing is stored.
func (s *Service) Create(ctx context.Context, actor models.Actor, kind, format, query string) (*models.Export, error) {
	if !actor.Can(models.PermOrdersExport) {
		return nil, models.ErrForbidden
	}
	v := &models.ValidationError{}
	if !oneOf(kind, models.ExportKinds) {
		v.Add("kind", models.M("exports.err.kind"))
	} else if !mayRead(actor, kind) {
		return nil, models.ErrForbidden
	}
	if !oneOf(format, models.ExportFormats) {
		v.Add("format", models.M("exports.err.format"))
	}
	var u models.User
	if err := s.db.WithContext(ctx).Preload("Merchant").First(&u, actor.UserID).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, models.ErrForbidden
		}
		return nil, err
	}
	loc := loadLoc(u.TimeZone)
	lang, ok := i18n.Parse(u.Lang)
	if !ok {
		lang = i18n.ZH
	}
	vals, err := url.ParseQuery(query)
	if err != nil || len(query) > maxQuery {
		v.Add("query", models.M("exports.err.query"))
		vals = url.Values{}
	}
	vals.Del("cursor")
	var mid *int64
	slug := "all"
	if actor.IsPlatform() {
		id, err := tenancy.Chosen(ctx, s.db, actor, vals.Get("merchant"))
		var mv *models.ValidationError
		switch {
		case errors.As(err, &mv):
			mergeFields(v, mv)
		case err != nil:
			return nil, err
		case id != 0:
			mid, slug = &id, vals.Get("merchant")
		}
	} else {
		vals.Del("merchant")
		id := actor.MerchantID
		mid = &id
		if u.Merchant != nil {
			slug = u.Merchant.Slug
		}
	}
	var from, to time.Time
	l := i18n.For(lang)
	var summary string
	named := kind // what the file name calls the kind
	switch kind {
	case models.ExportOrders:
		f, fv := orders.ParseFilter(vals, loc)
		mergeFields(v, fv)
		from, to = f.From, f.To
		summary = orderSummary(l, f, loc, vals.Get("merchant"))
	case models.ExportInterfaceMessages:
		f, fv := interfacelog.ParseFilter(vals, loc)
		mergeFields(v, fv)
		from, to = f.From, f.To
		summary = ilogSummary(l, f, loc, vals.Get("merchant"))
	case models.ExportInvoices:
		f, fv := invoices.ParseFilter(vals, loc)
		mergeFields(v, fv)
		from, to = f.From, f.To
		summary = invoiceSummary(l, f, loc, vals.Get("merchant"))
	case models.ExportSupervision:
		f, fv := supervision.ParseFilter(vals, loc)
		mergeFields(v, fv)
		from, to = f.From, f.To
		summary = supervisionSummary(l, f, loc, vals.Get("merchant"))
	case models.ExportAudit:
		f, fv := audit.ParseFilter(vals, loc)
		mergeFields(v, fv)
		from, to = f.From, f.To
		summary = auditSummary(l, f, loc, vals.Get("merchant"))
	case models.ExportStatement:
		st, err := s.statementOf(ctx, actor, vals)
		var sv *models.ValidationError
		switch {
		case errors.As(err, &sv):
			mergeFields(v, sv)
		case err != nil:
			return nil, err
		default:
			// The export is the statement's merchant's, whoever asks.
			vals = url.Values{"statement": {strconv.FormatInt(st.ID, 10)}}
			if actor.IsPlatform() {
				mid, slug = &st.MerchantID, ""
				if err := s.db.WithContext(ctx).Model(&models.Merchant{}).Where("id = ?", st.MerchantID).
					Pluck("slug", &slug).Error; err != nil {
					return nil, err
				}
			}
			summary = statementSummary(l, st)
			named = models.ExportStatement + "_" + st.Month + "_" + strings.ToLower(st.Currency)
		}
	}
	if v.Err() != nil {
		return nil, v
	}
	now := s.now()
	e := &models.Export{MerchantID: mid, UserID: u.ID, Kind: kind, Format: format, Query: vals.Encode(),
		Summary: summary, Lang: string(lang), TimeZone: loc.String(), Status: models.ExportQueued,
		FileName: fileName(slug, named, from, to, now, loc, format), CreatedAt: now}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(e).Error; err != nil {
			return err
		}
		return s.enqueue(tx, e.ID)
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// statementOf reads the statement an export's query names, as the actor
// may read it: a malformed id is a field error, another merchant's
// statement not found.
func (s *Service) statementOf(ctx context.Context, actor models.Actor, vals url.Values) (*models.SettlementStatement, error) {
	id, err := strconv.ParseInt(vals.Get("statement"), 10, 64)
	if err != nil || id <= 0 {
		v := &models.ValidationError{}
		v.Add("statement", models.M("invoices.err.statement_id"))
		return nil, v
	}
	return s.inv.Statement(ctx, actor, id)
}

func (s *Service) enqueue(tx *gorm.DB, id int64) error {
	if s.queue == nil {
		return errors.New("exports: no queue installed")
	}
	t := db.SQLTx(tx)
	if t == nil {
		return errors.New("exports: enqueue outside a transaction")
	}
	return s.queue.Enqueue(tx.Statement.Context, t, id)
}

func mergeFields(dst, src *models.ValidationError) {
	if src == nil {
		return
	}
	for k, m := range src.Fields {
		dst.Add(k, m)
	}
	if src.Form != nil && dst.Form == nil {
		dst.Form = src.Form
	}
}

func oneOf(x string, xs []string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

func loadLoc(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil && name != "" {
		return loc
	}
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.UTC
}

// Item is a history row with who asked for it and what may be done with it
// at the time it was read.
type Item struct {
	models.Export
	UserEmail    string `gorm:"column:user_email"`
	UserName     string `gorm:"column:user_name"`
	MerchantSlug string `gorm:"column:merchant_slug"`
	Expired      bool   `gorm:"-"`
	CanDownload  bool   `gorm:"-"`
	CanRetry     bool   `gorm:"-"`
}

// Shown is the status the history page states (its data-status contract):
// a queued export shows as running, a done one past its time as expired.
func (it Item) Shown() models.ExportStatus {
	switch {
	case it.Expired:
		return models.ExportExpired
	case it.Status == models.ExportQueued:
		return models.ExportRunning
	}
	return it.Status
}

// Filter is the history's position; it has no other filters.
type Filter struct {
	BeforeID int64
	Limit    int
}

// ParseFilter reads the history's query; a bad position is a field error.
func ParseFilter(q url.Values, _ *time.Location) (Filter, *models.ValidationError) {
	v := &models.ValidationError{}
	return Filter{BeforeID: models.ParseBefore(q, v)}, v
}

// Page is one page of the history, newest first.
type Page struct {
	models.Page[Item]
	Platform bool // the reader sees every merchant's exports
	Building bool // some row is still being made (the page polls)
}

// List returns the actor's visible exports, newest first.
func (s *Service) List(ctx context.Context, actor models.Actor, f Filter) (Page, error) {
	q, err := visible(s.db.WithContext(ctx).Table("exports AS e"), actor)
	if err != nil {
		return Page{}, err
	}
	if f.BeforeID > 0 {
		q = q.Where("e.id < ?", f.BeforeID)
	}
	limit := models.PageLimit(f.Limit)
	var items []Item
	if err := q.Select("e.*, u.email AS user_email, u.name AS user_name, m.slug AS merchant_slug").
		Joins("JOIN users u ON u.id = e.user_id").
		Joins("LEFT JOIN merchants m ON m.id = e.merchant_id").
		Order("e.id DESC").Limit(limit + 1).Scan(&items).Error; err != nil {
		return Page{}, err
	}
	now := s.now()
	p := Page{Page: models.PageBefore(items, limit, func(it Item) int64 { return it.ID }), Platform: actor.IsPlatform()}
	for i := range p.Rows {
		it := &p.Rows[i]
		it.Expired = it.Export.Expired(now)
		it.CanDownload = it.Status == models.ExportDone && !it.Expired
		it.CanRetry = it.Status == models.ExportFailed
		p.Building = p.Building || it.Building()
	}
	return p, nil
}

// Get loads one export visible to the actor; another merchant's is not found.
func (s *Service) Get(ctx context.Context, actor models.Actor, id int64) (*models.Export, error) {
	return s.get(s.db.WithContext(ctx), actor, id)
}

func (s *Service) get(db *gorm.DB, actor models.Actor, id int64) (*models.Export, error) {
	q, err := visible(db.Table("exports AS e"), actor)
	if err != nil {
		return nil, err
	}
	var e models.Export
	if err := q.Select("e.*").Where("e.id = ?", id).Take(&e).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, models.ErrNotFound
		}
		return nil, err
	}
	return &e, nil
}

// Open authorizes a download and returns the export with its open file (the
// caller streams and closes it). The download is audited. An expired or
// vanished file is ErrGone; an export not finished yet is a conflict.
func (s *Service) Open(ctx context.Context, actor models.Actor, id int64) (*models.Export, *os.File, error) {
	e, err := s.Get(ctx, actor, id)
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	if e.Expired(now) {
		return e, nil, ErrGone
	}
	if e.Status != models.ExportDone {
		return e, nil, &models.ConflictError{Msg: models.M("exports.not_ready")}
	}
	f, err := os.Open(s.path(e.FilePath))
	if errors.Is(err, os.ErrNotExist) {
		return e, nil, ErrGone
	}
	if err != nil {
		return nil, nil, err
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var mid int64
		if e.MerchantID != nil {
			mid = *e.MerchantID
		}
		return audit.Write(tx, now, actor, audit.Event{Action: models.AuditExportDownloaded, MerchantID: mid,
			TargetType: "export", TargetID: e.ID, Detail: map[string]any{"file": e.FileName, "kind": e.Kind,
				"rows": e.RowsWritten, "sha256": e.SHA256}})
	})
	if err != nil {
		_ = f.Close()
		return nil, nil, err
	}
	return e, f, nil
}

// Retry puts a failed export back in the queue (重试), in one transaction
// with its new job.
func (s *Service) Retry(ctx context.Context, actor models.Actor, id int64) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		e, err := s.get(tx, actor, id)
		if err != nil {
			return err
		}
		if e.Status != models.ExportFailed {
			return models.FormError(models.M("exports.err.not_failed"))
		}
		if err := tx.Model(&models.Export{}).Where("id = ? AND status = ?", id, models.ExportFailed).
			Updates(map[string]any{"status": models.ExportQueued, "error": "", "rows_written": 0, "rows_total": 0,
				"started_at": nil, "finished_at": nil}).Error; err != nil {
			return err
		}
		return s.enqueue(tx, id)
	})
}

// path is where a stored file name lives; names are ours (export-<id>-…),
// never a user's, and are kept inside the directory.
func (s *Service) path(name string) string {
	return filepath.Join(s.cfg.Dir, filepath.Base(name))
}

// ContentType is the MIME type of a format.
func ContentType(format string) string {
	if format == models.ExportCSV {
		return "text/csv; charset=utf-8"
	}
	return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
}

// ReasonText localizes a stored failure reason: a catalog id of ours, or
// (an unexpected error) the text itself.
func ReasonText(l *i18n.Localizer, reason string) string {
	if strings.HasPrefix(reason, "exports.reason.") {
		return l.T(reason)
	}
	return reason
}
