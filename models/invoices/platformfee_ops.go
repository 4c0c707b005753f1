package invoices

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/notify"
)

// IssuePlatformFee is operations issuing the platform-fee invoice: its
// number and the PDF or OFD file, kept like customer invoices' files.
func (s *Service) IssuePlatformFee(ctx context.Context, actor models.Actor, id int64, number string, file Upload) (*models.PlatformFeeRequest, error) {
	if !actor.Can(models.PermAdminInvoices) {
		return nil, models.ErrForbidden
	}
	number = strings.TrimSpace(number)
	v := &models.ValidationError{}
	v.ID("number", number, true)
	if len(number) > models.InvoiceNumberMax {
		v.Add("number", models.M("err.too_long", "Max", models.InvoiceNumberMax))
	}
	if file.R == nil {
		v.Add("file", models.M("invoices.err.file_required"))
	}
	if v.Err() != nil {
		return nil, v
	}
	// Refuse a decided request before keeping any file.
	var cur models.PlatformFeeRequest
	if err := s.db.WithContext(ctx).Take(&cur, id).Error; err != nil {
		return nil, notFound(err)
	}
	if _, err := models.PlatformFeeTransition(cur.Status, models.PlatformFeeIssue); err != nil {
		return nil, conflict(models.M("invoices.err.platform_fee_decided"))
	}
	st, err := s.saveFile(file)
	if err != nil {
		return nil, err
	}
	r, err := s.decide(ctx, actor, id, models.PlatformFeeIssue, map[string]any{"invoice_number": number,
		"file_name": st.Name, "file_type": st.ContentType, "file_size": st.Size, "file_sha256": st.SHA256,
		"file_storage": st.Storage}, map[string]any{"number": number, "file": st.Name, "sha256": st.SHA256})
	if err != nil {
		s.files.Remove(st.Storage)
	}
	return r, err
}

// RejectPlatformFee is operations refusing a request, with a reason; its
// statements may be requested again.
func (s *Service) RejectPlatformFee(ctx context.Context, actor models.Actor, id int64, reason string) (*models.PlatformFeeRequest, error) {
	if !actor.Can(models.PermAdminInvoices) {
		return nil, models.ErrForbidden
	}
	if err := reasonOK("reason", reason); err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	return s.decide(ctx, actor, id, models.PlatformFeeReject, map[string]any{"reject_reason": reason},
		map[string]any{"reason": reason})
}

// decide moves a pending request by action a in one transaction, only from
// the state read inside it, audits it and tells the merchant.
func (s *Service) decide(ctx context.Context, actor models.Actor, id int64, a models.PlatformFeeAction, set,
	detail map[string]any) (*models.PlatformFeeRequest, error) {
	now := s.now()
	var r models.PlatformFeeRequest
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Take(&r, id).Error; err != nil {
			return notFound(err)
		}
		to, err := models.PlatformFeeTransition(r.Status, a)
		if err != nil {
			return conflict(models.M("invoices.err.platform_fee_decided"))
		}
		set["status"], set["decided_by"], set["decided_at"], set["updated_at"] = to, actor.Email, now, now
		res := tx.Model(&models.PlatformFeeRequest{}).Where("id = ? AND status = ?", id, r.Status).Updates(set)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return conflict(models.M("invoices.err.changed"))
		}
		if err := tx.Take(&r, id).Error; err != nil {
			return err
		}
		action, msg := models.AuditPlatformFeeIssued, "invoices.notify.platform_fee_issued"
		if a == models.PlatformFeeReject {
			action, msg = models.AuditPlatformFeeRejected, "invoices.notify.platform_fee_rejected"
		}
		if err := writeAudit(tx, now, actor, action, r.MerchantID, "platform_fee_request", r.ID, detail); err != nil {
			return err
		}
		return notify.Write(tx, now, r.MerchantID, models.NotifyOther,
			models.M(msg, "ID", r.ID, "Number", r.InvoiceNumber, "Reason", r.RejectReason), platformFeeLink(r.ID))
	})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// platformFeeLink is the request's page.
func platformFeeLink(id int64) string { return fmt.Sprintf("/invoices/platform/%d", id) }

// PlatformFeeFilter narrows the platform-fee request list.
type PlatformFeeFilter struct {
	Status     models.PlatformFeeStatus // "" for all
	MerchantID int64                    // operations only: one merchant
}

// PlatformFeePage is a keyset page of requests, newest first.
type PlatformFeePage struct {
	Rows []models.PlatformFeeRequest
	Next string
}

// PlatformFees lists the requests the actor may read: the merchant's
// finance and owner their own, operations every merchant's.
func (s *Service) PlatformFees(ctx context.Context, actor models.Actor, f PlatformFeeFilter, cursor string) (PlatformFeePage, error) {
	mid, all, err := merchantOf(actor, models.PermInvoices)
	if err != nil {
		return PlatformFeePage{}, err
	}
	if all {
		mid = f.MerchantID
	}
	q := s.db.WithContext(ctx).Model(&models.PlatformFeeRequest{})
	if mid != 0 {
		q = q.Where("merchant_id = ?", mid)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if cursor != "" {
		var after int64
		if _, err := fmt.Sscan(cursor, &after); err != nil {
			return PlatformFeePage{}, models.FormError(models.M("invoices.err.cursor"))
		}
		q = q.Where("id < ?", after)
	}
	var p PlatformFeePage
	if err := q.Order("id DESC").Limit(PageSize + 1).Find(&p.Rows).Error; err != nil {
		return PlatformFeePage{}, err
	}
	if len(p.Rows) > PageSize {
		p.Rows = p.Rows[:PageSize]
		p.Next = fmt.Sprint(p.Rows[PageSize-1].ID)
	}
	return p, nil
}

// PlatformFeeDetail is a request's page: the request, the statements it
// covers and what the actor may do now.
type PlatformFeeDetail struct {
	Request    models.PlatformFeeRequest
	Statements []models.SettlementStatement
	Actions    []models.PlatformFeeAction
}

// PlatformFeeDetail reads a request the actor may read (another merchant's
// is not found).
func (s *Service) PlatformFeeDetail(ctx context.Context, actor models.Actor, id int64) (*PlatformFeeDetail, error) {
	db := s.db.WithContext(ctx)
	r, err := s.loadPlatformFee(db, actor, id)
	if err != nil {
		return nil, err
	}
	d := &PlatformFeeDetail{Request: *r, Actions: models.PlatformFeeActionsFor(r, actor)}
	err = db.Where("id IN (SELECT statement_ref FROM platform_fee_statements WHERE request_ref = ?)", id).
		Order("month, id").Find(&d.Statements).Error
	return d, err
}

func (s *Service) loadPlatformFee(db *gorm.DB, actor models.Actor, id int64) (*models.PlatformFeeRequest, error) {
	mid, all, err := merchantOf(actor, models.PermInvoices)
	if err != nil {
		return nil, err
	}
	q := db.Where("id = ?", id)
	if !all {
		q = q.Where("merchant_id = ?", mid)
	}
	var r models.PlatformFeeRequest
	if err := q.Take(&r).Error; err != nil {
		return nil, notFound(err)
	}
	return &r, nil
}

// PlatformFeeFile is the issued platform-fee invoice's file, for download
// by the merchant's finance or operations; the caller streams it.
func (s *Service) PlatformFeeFile(ctx context.Context, actor models.Actor, id int64) (*models.PlatformFeeRequest, string, error) {
	r, err := s.loadPlatformFee(s.db.WithContext(ctx), actor, id)
	if err != nil {
		return nil, "", err
	}
	if r.FileStorage == "" {
		return nil, "", models.ErrNotFound
	}
	if err := writeAudit(s.db.WithContext(ctx), s.now(), actor, models.AuditInvoiceFileDownloaded, r.MerchantID,
		"platform_fee_request", r.ID, nil); err != nil {
		return nil, "", err
	}
	return r, s.files.File(r.FileStorage), nil
}
