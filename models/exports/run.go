package exports

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/sellercenter/sellercenter/models/audit"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/i18n"
	"github.com/sellercenter/sellercenter/models/interfacelog"
	"github.com/sellercenter/sellercenter/models/invoices"
	"github.com/sellercenter/sellercenter/models/orders"
	"github.com/sellercenter/sellercenter/models/supervision"
)

// Failure reasons stored on a failed export (catalog ids).
const (
	reasonTimeout     = "exports.reason.timeout"
	reasonUser        = "exports.reason.user"
	reasonForbidden   = "exports.reason.forbidden"
	reasonFilter      = "exports.reason.filter"
	reasonInterrupted = "exports.reason.interrupted"
)

// reasonError is a failure with a stored reason of ours.
type reasonError struct{ reason string }

func (e reasonError) Error() string { return e.reason }

// Run is one run of an export's job, the worker's whole step: claim the row
// (unless the merchant already runs MaxRunning exports: ErrBusy, the job
// waits), build the file from scratch (a re-delivered job of a killed run
// removes the partial file first), then record it done, or failed with a
// reason. A row already finished makes the run a no-op, so a duplicate job
// is harmless. A shutdown leaves the row running for the job to come back
// (errInterrupted).
func (s *Service) Run(ctx context.Context, id int64) error {
	e, err := s.claim(ctx, id)
	if err != nil || e == nil {
		return err
	}
	if s.afterClaim != nil {
		s.afterClaim(id)
	}
	err = s.build(ctx, e)
	switch {
	case err == nil, errors.Is(err, errSuperseded):
		return nil
	case errors.Is(err, errKilled):
		return err
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		s.removeFiles(id)
		return errInterrupted
	}
	reason := err.Error()
	var re reasonError
	switch {
	case errors.As(err, &re):
		reason = re.reason
	case errors.Is(err, context.DeadlineExceeded):
		reason = reasonTimeout
	case errors.Is(err, models.ErrForbidden):
		reason = reasonForbidden
	}
	if r := []rune(reason); len(r) > 500 {
		reason = string(r[:500])
	}
	return s.fail(ctx, e, reason)
}

// claim makes the run the owner of its row: status running, a new run
// number (an older run still going sees it and stops), counters reset, and
// any file of an earlier run removed.
func (s *Service) claim(ctx context.Context, id int64) (*models.Export, error) {
	var out *models.Export
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var e models.Export
		if err := tx.Take(&e, id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return nil
			}
			return err
		}
		if e.Status != models.ExportQueued && e.Status != models.ExportRunning {
			return nil // finished, failed or expired: a stale job
		}
		q := tx.Model(&models.Export{}).Where("status = ? AND id <> ?", models.ExportRunning, id)
		if e.MerchantID == nil {
			q = q.Where("merchant_id IS NULL")
		} else {
			q = q.Where("merchant_id = ?", *e.MerchantID)
		}
		var running int64
		if err := q.Count(&running).Error; err != nil {
			return err
		}
		if running >= int64(s.cfg.MaxRunning) {
			return ErrBusy
		}
		now := s.now()
		e.RunNo++
		e.Status, e.StartedAt, e.FinishedAt = models.ExportRunning, &now, nil
		e.RowsWritten, e.RowsTotal, e.Error, e.Size, e.SHA256, e.FilePath = 0, 0, "", 0, "", ""
		if err := tx.Model(&models.Export{}).Where("id = ?", id).Updates(map[string]any{
			"status": e.Status, "run_no": e.RunNo, "started_at": now, "finished_at": nil, "rows_written": 0,
			"rows_total": 0, "error": "", "size": 0, "sha256": "", "file_path": ""}).Error; err != nil {
			return err
		}
		out = &e
		return nil
	})
	if err != nil {
		return nil, err
	}
	if out != nil {
		s.removeFiles(id)
	}
	return out, nil
}

// removeFiles deletes every file of an export (partial or not).
func (s *Service) removeFiles(id int64) {
	names, _ := filepath.Glob(filepath.Join(s.cfg.Dir, fmt.Sprintf("export-%d-*", id)))
	for _, n := range names {
		_ = os.Remove(n)
	}
}

// owned updates the row only while this run still owns it.
func (s *Service) owned(ctx context.Context, e *models.Export, set map[string]any) error {
	res := s.db.WithContext(ctx).Model(&models.Export{}).
		Where("id = ? AND run_no = ? AND status = ?", e.ID, e.RunNo, models.ExportRunning).Updates(set)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return errSuperseded
	}
	return nil
}

// source is what a kind contributes to a run: columns, a count and a walk.
type source struct {
	sheet string
	cols  []column
	count func() (int64, error)
	each  func(fn func([]any) error) (int64, error)
}

func (s *Service) source(ctx context.Context, e *models.Export, actor models.Actor, l *i18n.Localizer, loc *time.Location) (*source, error) {
	vals, err := url.ParseQuery(e.Query)
	if err != nil {
		return nil, reasonError{reasonFilter}
	}
	var names map[int64]string
	if e.MerchantID == nil {
		var ms []models.Merchant
		if err := s.db.WithContext(ctx).Select("id, name").Find(&ms).Error; err != nil {
			return nil, err
		}
		names = make(map[int64]string, len(ms))
		for _, m := range ms {
			names[m.ID] = m.Name
		}
	}
	lb := newLabels(l)
	src := &source{}
	switch e.Kind {
	case models.ExportOrders:
		f, v := orders.ParseFilter(vals, loc)
		if v.Err() != nil {
			return nil, reasonError{reasonFilter}
		}
		if actor.IsPlatform() && e.MerchantID != nil {
			f.MerchantID = *e.MerchantID
		}
		src.sheet, src.cols = l.T("exports.sheet.orders"), orderColumns
		src.count = func() (int64, error) { return s.orders.Count(ctx, actor, f) }
		buf := make([]any, 0, len(orderColumns)+1)
		src.each = func(fn func([]any) error) (int64, error) {
			return s.orders.Each(ctx, actor, f, func(r orders.Row) error {
				buf = orderValues(buf, r, lb, names)
				return fn(buf)
			})
		}
	case models.ExportInterfaceMessages:
		f, v := interfacelog.ParseFilter(vals, loc)
		if v.Err() != nil {
			return nil, reasonError{reasonFilter}
		}
		if actor.IsPlatform() && e.MerchantID != nil {
			f.MerchantID = *e.MerchantID
		}
		src.sheet, src.cols = l.T("exports.sheet.interface_messages"), ilogColumns
		src.count = func() (int64, error) { return s.ilog.Count(ctx, actor, f) }
		buf := make([]any, 0, len(ilogColumns)+1)
		src.each = func(fn func([]any) error) (int64, error) {
			return s.ilog.Each(ctx, actor, f, func(r interfacelog.Row) error {
				buf = ilogValues(buf, r, lb, names)
				return fn(buf)
			})
		}
	case models.ExportInvoices:
		f, v := invoices.ParseFilter(vals, loc)
		if v.Err() != nil {
			return nil, reasonError{reasonFilter}
		}
		if actor.IsPlatform() && e.MerchantID != nil {
			f.MerchantID = *e.MerchantID
		}
		src.sheet, src.cols = l.T("exports.sheet.invoices"), invoiceColumns
		src.count = func() (int64, error) { return s.inv.Count(ctx, actor, f) }
		buf := make([]any, 0, len(invoiceColumns)+1)
		src.each = func(fn func([]any) error) (int64, error) {
			return s.inv.Each(ctx, actor, f, func(r invoices.Row) error {
				buf = invoiceValues(buf, r, lb, names)
				return fn(buf)
			})
		}
	case models.ExportAudit:
		f, v := audit.ParseFilter(vals, loc)
		if v.Err() != nil {
			return nil, reasonError{reasonFilter}
		}
		if actor.IsPlatform() && e.MerchantID != nil {
			f.MerchantID = *e.MerchantID
		}
		src.sheet, src.cols = l.T("exports.sheet.audit"), auditColumns
		src.count = func() (int64, error) { return s.audit.Count(ctx, actor, f) }
		buf := make([]any, 0, len(auditColumns)+1)
		src.each = func(fn func([]any) error) (int64, error) {
			return s.audit.Each(ctx, actor, f, func(r audit.Row) error {
				buf = auditValues(buf, r, lb, names)
				return fn(buf)
			})
		}
	case models.ExportSupervision:
		f, v := supervision.ParseFilter(vals, loc)
		if v.Err() != nil {
			return nil, reasonError{reasonFilter}
		}
		if actor.IsPlatform() && e.MerchantID != nil {
			f.MerchantID = *e.MerchantID
		}
		src.sheet, src.cols = l.T("exports.sheet.supervision"), supervisionColumns
		src.count = func() (int64, error) { return s.sup.Count(ctx, actor, f) }
		buf := make([]any, 0, len(supervisionColumns)+1)
		src.each = func(fn func([]any) error) (int64, error) {
			return s.sup.Each(ctx, actor, f, func(r supervision.Row, now time.Time) error {
				buf = supervisionValues(buf, r, now, lb, names)
				return fn(buf)
			})
		}
	case models.ExportStatement:
		st, err := s.statementOf(ctx, actor, vals)
		if err != nil {
			if errors.Is(err, models.ErrNotFound) || errors.As(err, new(*models.ValidationError)) {
				return nil, reasonError{reasonFilter}
			}
			return nil, err
		}
		names = nil // one statement is one merchant's
		src.sheet, src.cols = l.T("exports.sheet.statement"), statementColumns
		src.count = func() (int64, error) { return st.LineCount, nil }
		buf := make([]any, 0, len(statementColumns))
		src.each = func(fn func([]any) error) (int64, error) {
			return s.inv.EachStatementLine(ctx, actor, st.ID, func(r invoices.StatementLineRow) error {
				buf = statementValues(buf, r, st.Currency, lb)
				return fn(buf)
			})
		}
	default:
		return nil, reasonError{reasonFilter}
	}
	if names != nil {
		src.cols = append([]column{merchantColumn}, src.cols...)
	}
	return src, nil
}

// build writes the file as the exporting user sees the data today (a user
// disabled or stripped of the right since asking gets nothing), into a
// partial file renamed when complete.
func (s *Service) build(ctx context.Context, e *models.Export) (err error) {
	var u models.User
	if err := s.db.WithContext(ctx).Take(&u, e.UserID).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return reasonError{reasonUser}
		}
		return err
	}
	if u.Disabled {
		return reasonError{reasonUser}
	}
	actor := models.ActorOf(&u, "")
	actor.Email = "system:export"
	if !mayRead(actor, e.Kind) {
		return models.ErrForbidden
	}
	loc := loadLoc(e.TimeZone)
	lang, ok := i18n.Parse(e.Lang)
	if !ok {
		lang = i18n.ZH
	}
	l := i18n.For(lang)
	src, err := s.source(ctx, e, actor, l, loc)
	if err != nil {
		return err
	}
	total, err := src.count()
	if err != nil {
		return err
	}
	if err := s.owned(ctx, e, map[string]any{"rows_total": total}); err != nil {
		return err
	}

	part := s.path(fmt.Sprintf("export-%d-%d.%s.part", e.ID, e.RunNo, e.Format))
	file, err := os.OpenFile(part, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if done {
			return
		}
		_ = file.Close()
		if errors.Is(err, errKilled) {
			return // a killed process leaves its partial file behind
		}
		_ = os.Remove(part)
	}()
	h := sha256.New()
	out := io.MultiWriter(file, h)
	var tw tableWriter
	if e.Format == models.ExportCSV {
		tw, err = newCSV(out, src.cols, loc)
	} else {
		tw, err = newXLSX(out, src.sheet, src.cols, loc, s.cfg.RowsPerSheet, s.cfg.Dir)
	}
	if err != nil {
		return err
	}
	names := make([]string, len(src.cols))
	for i, c := range src.cols {
		names[i] = l.T(c.id)
	}
	if err := tw.header(names); err != nil {
		return err
	}
	var n int64
	if err := pipe(ctx, src.each, func(vals []any) error {
		if err := tw.row(vals); err != nil {
			return err
		}
		n++
		if s.killAfter > 0 && n >= s.killAfter {
			return errKilled
		}
		if n%int64(s.cfg.ProgressEvery) == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			return s.owned(ctx, e, map[string]any{"rows_written": n})
		}
		return nil
	}); err != nil {
		return err
	}
	if err := tw.close(); err != nil {
		return err
	}
	if err := file.Sync(); err != nil {
		return err
	}
	if err := file.Close(); err != nil {
		return err
	}
	st, err := os.Stat(part)
	if err != nil {
		return err
	}
	final := fmt.Sprintf("export-%d-%d.%s", e.ID, e.RunNo, e.Format)
	if err := os.Rename(part, s.path(final)); err != nil {
		return err
	}
	now := s.now()
	exp := now.Add(s.cfg.TTL)
	if err := s.owned(ctx, e, map[string]any{"status": models.ExportDone, "rows_written": n, "rows_total": n,
		"size": st.Size(), "sha256": hex.EncodeToString(h.Sum(nil)), "file_path": final, "finished_at": now,
		"expires_at": exp}); err != nil {
		_ = os.Remove(s.path(final))
		if !errors.Is(err, errSuperseded) {
			return err
		}
		done = true
		return err
	}
	done = true
	return nil
}

// fail records a run's failure with its reason; its files are gone.
func (s *Service) fail(ctx context.Context, e *models.Export, reason string) error {
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	s.removeFiles(e.ID)
	err := s.owned(wctx, e, map[string]any{"status": models.ExportFailed, "error": reason, "finished_at": s.now()})
	if errors.Is(err, errSuperseded) {
		return nil
	}
	return err
}

// Purge deletes the files of expired exports (rows stay, marked expired)
// and fails runs stuck longer than StuckAfter (a lost process). It returns
// how many of each it handled.
func (s *Service) Purge(ctx context.Context) (expired, stuck int, err error) {
	now := s.now()
	for {
		var rows []models.Export
		if err := s.db.WithContext(ctx).Where("status = ? AND expires_at <= ?", models.ExportDone, now).
			Order("id").Limit(500).Find(&rows).Error; err != nil {
			return expired, stuck, err
		}
		for _, e := range rows {
			if e.FilePath != "" {
				if err := os.Remove(s.path(e.FilePath)); err != nil && !errors.Is(err, os.ErrNotExist) {
					return expired, stuck, err
				}
			}
			if err := s.db.WithContext(ctx).Model(&models.Export{}).Where("id = ? AND status = ?", e.ID, models.ExportDone).
				Updates(map[string]any{"status": models.ExportExpired, "file_path": ""}).Error; err != nil {
				return expired, stuck, err
			}
			expired++
		}
		if len(rows) < 500 {
			break
		}
	}
	// Spill files of a workbook whose process died mid-run.
	if names, err := filepath.Glob(filepath.Join(s.cfg.Dir, "excelize-*")); err == nil {
		for _, n := range names {
			if st, err := os.Stat(n); err == nil && st.ModTime().Before(time.Now().Add(-s.cfg.StuckAfter)) {
				_ = os.Remove(n)
			}
		}
	}
	var lost []models.Export
	if err := s.db.WithContext(ctx).Where("status = ? AND started_at < ?", models.ExportRunning, now.Add(-s.cfg.StuckAfter)).
		Find(&lost).Error; err != nil {
		return expired, stuck, err
	}
	for i := range lost {
		if err := s.fail(ctx, &lost[i], reasonInterrupted); err != nil {
			return expired, stuck, err
		}
		stuck++
	}
	return expired, stuck, nil
}
