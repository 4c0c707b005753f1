package invoices

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/filestore"
	"github.com/sellercenter/sellercenter/models/notify"
)

// change is what one action writes besides the status.
type change struct {
	set    map[string]any
	detail map[string]any
	audit  string // audit action; "" for the buyer's own actions
	event  string
	after  func(tx *gorm.DB, inv *models.Invoice) error
}

// step applies action a to invoice id in one transaction: the actor must be
// allowed (InvoiceActionsFor's rules), the table and the four-eyes guard
// must allow it from the state read inside the transaction, and the row is
// updated only from that state, so two people acting at once cannot both win.
func (s *Service) step(ctx context.Context, actor models.Actor, find func(tx *gorm.DB) (*models.Invoice, error),
	a models.InvoiceAction, build func(tx *gorm.DB, inv *models.Invoice, now time.Time) (change, error)) (*models.Invoice, error) {
	now := s.now()
	var out *models.Invoice
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		inv, err := find(tx)
		if err != nil {
			return err
		}
		to, err := models.InvoiceTransition(inv.Status, a)
		if err != nil {
			return refusedIn(inv.Status)
		}
		switch err := models.InvoiceGuard(inv, a, actor.UserID); {
		case errors.Is(err, models.ErrOwnApproval):
			return conflict(models.M("invoices.err.own_approval"))
		case errors.Is(err, models.ErrApprovalPending):
			return conflict(models.M("invoices.err.approval_pending"))
		case err != nil:
			return refusedIn(inv.Status)
		}
		c, err := build(tx, inv, now)
		if err != nil {
			return err
		}
		if c.set == nil {
			c.set = map[string]any{}
		}
		c.set["status"], c.set["updated_at"] = to, now
		res := tx.Model(&models.Invoice{}).Where("id = ? AND status = ?", inv.ID, inv.Status).Updates(c.set)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return conflict(models.M("invoices.err.changed"))
		}
		if err := tx.Take(inv, inv.ID).Error; err != nil {
			return err
		}
		if err := event(tx, inv, now, actor, "", c.event, c.detail); err != nil {
			return err
		}
		if c.audit != "" {
			if err := audit.Write(tx, now, actor, audit.Event{Action: c.audit, MerchantID: inv.MerchantID,
				TargetType: "invoice", TargetID: inv.ID, Detail: c.detail}); err != nil {
				return err
			}
		}
		if c.after != nil {
			if err := c.after(tx, inv); err != nil {
				return err
			}
		}
		out = inv
		return nil
	})
	return out, err
}

// byFinance finds an invoice of the finance actor's merchant.
func byFinance(actor models.Actor, id int64) func(tx *gorm.DB) (*models.Invoice, error) {
	return func(tx *gorm.DB) (*models.Invoice, error) {
		mid, err := finance(actor)
		if err != nil {
			return nil, err
		}
		var inv models.Invoice
		if err := tx.Where("id = ? AND merchant_id = ?", id, mid).Take(&inv).Error; err != nil {
			return nil, notFound(err)
		}
		return &inv, nil
	}
}

// Revoke is the buyer's 撤销 of its own pending request (by our id).
func (s *Service) Revoke(ctx context.Context, actor models.Actor, id int64) (*models.Invoice, error) {
	if !actor.Can(models.PermBuyerPortal) {
		return nil, models.ErrForbidden
	}
	return s.step(ctx, actor, func(tx *gorm.DB) (*models.Invoice, error) { return load(tx, actor, id) },
		models.InvoiceRevoke, revoke)
}

// RevokeRequest is 撤销 through the marketplace, by its requestId: a
// conflict once the request is no longer pending.
func (s *Service) RevokeRequest(ctx context.Context, actor models.Actor, requestID string) (*RequestView, error) {
	if !actor.IsPlatform() && !actor.Can(models.PermBuyerPortal) {
		return nil, models.ErrForbidden
	}
	inv, err := s.step(ctx, actor, func(tx *gorm.DB) (*models.Invoice, error) { return s.byRequestID(tx, actor, requestID) },
		models.InvoiceRevoke, revoke)
	if err != nil {
		return nil, err
	}
	return viewOf(inv), nil
}

func revoke(_ *gorm.DB, inv *models.Invoice, now time.Time) (change, error) {
	return change{set: map[string]any{"closed_at": now}, event: models.InvoiceEvRevoked}, nil
}

// Reject is finance's 驳回 of a pending request, with a reason.
func (s *Service) Reject(ctx context.Context, actor models.Actor, id int64, reason string) (*models.Invoice, error) {
	if err := reasonOK("reason", reason); err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	return s.step(ctx, actor, byFinance(actor, id), models.InvoiceReject,
		func(_ *gorm.DB, _ *models.Invoice, now time.Time) (change, error) {
			return change{set: map[string]any{"reject_reason": reason, "closed_at": now},
				detail: map[string]any{"reason": reason}, event: models.InvoiceEvRejected, audit: models.AuditInvoiceRejected}, nil
		})
}

func reasonOK(field, s string) error {
	v := &models.ValidationError{}
	v.Text(field, s, models.InvoiceReasonMax, true, true)
	if v.Err() == nil && len([]rune(strings.TrimSpace(s))) < models.InvoiceReasonMin {
		v.Add(field, models.M("invoices.err.reason_short", "Min", models.InvoiceReasonMin))
	}
	return v.Err()
}

// IssueInput is what finance enters to issue an invoice.
type IssueInput struct {
	Number string // 发票号码
	Date   string // 开票日期, YYYY-MM-DD
	Amount int64  // minor units, must equal the requested amount
	File   Upload
}

// Upload is a file as sent: its name and its bytes.
type Upload struct {
	Name string
	R    io.Reader
}

// Issue is finance's 开具: number, date, the amount checked against the
// request, and the PDF or OFD file, stored outside the web root.
func (s *Service) Issue(ctx context.Context, actor models.Actor, id int64, in IssueInput) (*models.Invoice, error) {
	if _, err := finance(actor); err != nil {
		return nil, err
	}
	v := &models.ValidationError{}
	in.Number = strings.TrimSpace(in.Number)
	v.ID("number", in.Number, true)
	if len(in.Number) > models.InvoiceNumberMax {
		v.Add("number", models.M("err.too_long", "Max", models.InvoiceNumberMax))
	}
	today := bizclock.DateOf(s.now(), bizclock.Shanghai)
	if d, err := bizclock.ParseDate(in.Date); err != nil || today.Before(d) {
		v.Add("date", models.M("invoices.err.date"))
	}
	if in.File.R == nil {
		v.Add("file", models.M("invoices.err.file_required"))
	}
	if v.Err() != nil {
		return nil, v
	}
	// Refuse a wrong state or amount before keeping any file.
	cur, err := byFinance(actor, id)(s.db.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	if _, err := models.InvoiceTransition(cur.Status, models.InvoiceIssue); err != nil {
		return nil, refusedIn(cur.Status)
	}
	if in.Amount != cur.Amount {
		v.Add("amount", models.M("invoices.err.amount_mismatch", "Got", models.FormatAmount(in.Amount), "Want", models.FormatAmount(cur.Amount)))
		return nil, v
	}
	st, err := s.saveFile(in.File)
	if err != nil {
		return nil, err
	}
	inv, err := s.step(ctx, actor, byFinance(actor, id), models.InvoiceIssue,
		func(_ *gorm.DB, inv *models.Invoice, now time.Time) (change, error) {
			if inv.Amount != in.Amount {
				return change{}, conflict(models.M("invoices.err.changed"))
			}
			uid := actor.UserID
			return change{set: map[string]any{"invoice_number": in.Number, "invoice_date": in.Date, "issued_at": now,
				"issued_by": &uid, "file_name": st.Name, "file_type": st.ContentType, "file_size": st.Size,
				"file_sha256": st.SHA256, "file_storage": st.Storage},
				detail: map[string]any{"number": in.Number, "date": in.Date, "amount": in.Amount, "file": st.Name,
					"sha256": st.SHA256},
				event: models.InvoiceEvIssued, audit: models.AuditInvoiceIssued}, nil
		})
	if err != nil {
		s.files.Remove(st.Storage)
	}
	return inv, err
}

// saveFile stores an invoice file, refusing anything but a PDF or an OFD
// package within the size limit (field "file").
func (s *Service) saveFile(u Upload) (filestore.Stored, error) {
	st, err := s.files.Save(u.Name, u.R)
	if err == nil && st.ContentType == "application/zip" && !validOFD(s.files.File(st.Storage)) {
		s.files.Remove(st.Storage)
		err = &filestore.Refusal{Kind: filestore.RefusedType, Name: st.Name}
	}
	var r *filestore.Refusal
	if !errors.As(err, &r) {
		return st, err
	}
	m := models.M("invoices.err.empty_file", "Name", r.Name)
	switch r.Kind {
	case filestore.RefusedType:
		m = models.M("invoices.err.file_type", "Name", r.Name)
	case filestore.RefusedTooLarge:
		m = models.M("invoices.err.too_large", "Name", r.Name, "MB", s.cfg.MaxFile>>20)
	}
	v := &models.ValidationError{}
	v.Add("file", m)
	return st, v
}

// Return is finance's 退票 of an issued invoice, with a reason. When the
// merchant requires four-eyes, the return waits for a second finance user
// or the owner (ApproveReturn) before it can be confirmed.
func (s *Service) Return(ctx context.Context, actor models.Actor, id int64, reason string) (*models.Invoice, error) {
	if err := reasonOK("reason", reason); err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	return s.step(ctx, actor, byFinance(actor, id), models.InvoiceReturn,
		func(tx *gorm.DB, inv *models.Invoice, now time.Time) (change, error) {
			four, err := fourEyes(tx, inv.MerchantID)
			if err != nil {
				return change{}, err
			}
			uid := actor.UserID
			c := change{set: map[string]any{"return_reason": reason, "return_needs_approval": four,
				"return_requested_by": &uid, "return_requested_at": now, "return_approved_by": nil, "return_approved_at": nil},
				detail: map[string]any{"reason": reason, "four_eyes": four},
				event:  models.InvoiceEvReturnAsked, audit: models.AuditInvoiceReturnAsked}
			if four {
				c.after = func(tx *gorm.DB, inv *models.Invoice) error {
					return notify.Write(tx, now, inv.MerchantID, models.NotifyOther,
						models.M("invoices.notify.return_approval", "Number", inv.InvoiceNumber), link(inv.ID))
				}
			}
			return c, nil
		})
}

// ApproveReturn is the second person's approval of a four-eyes return.
func (s *Service) ApproveReturn(ctx context.Context, actor models.Actor, id int64) (*models.Invoice, error) {
	return s.step(ctx, actor, byFinance(actor, id), models.InvoiceApproveReturn,
		func(_ *gorm.DB, _ *models.Invoice, now time.Time) (change, error) {
			uid := actor.UserID
			return change{set: map[string]any{"return_approved_by": &uid, "return_approved_at": now},
				event: models.InvoiceEvReturnApproved, audit: models.AuditInvoiceReturnApproved}, nil
		})
}

// ConfirmReturn records the red-letter confirmation (红字发票信息确认单)
// number: the invoice is returned, its lines may be invoiced again and the
// 需退票 flag is cleared.
func (s *Service) ConfirmReturn(ctx context.Context, actor models.Actor, id int64, redLetterNo string) (*models.Invoice, error) {
	redLetterNo = strings.TrimSpace(redLetterNo)
	v := &models.ValidationError{}
	v.ID("redLetterNo", redLetterNo, true)
	if len(redLetterNo) > models.InvoiceRedLetterMax {
		v.Add("redLetterNo", models.M("err.too_long", "Max", models.InvoiceRedLetterMax))
	}
	if v.Err() != nil {
		return nil, v
	}
	return s.step(ctx, actor, byFinance(actor, id), models.InvoiceConfirmReturn,
		func(_ *gorm.DB, _ *models.Invoice, now time.Time) (change, error) {
			return change{set: map[string]any{"red_letter_no": redLetterNo, "closed_at": now, "needs_return": false},
				detail: map[string]any{"red_letter_no": redLetterNo},
				event:  models.InvoiceEvReturned, audit: models.AuditInvoiceReturned}, nil
		})
}

// CancelReturn takes a return back: the invoice is issued again (a 需退票
// flag stays until it is really returned).
func (s *Service) CancelReturn(ctx context.Context, actor models.Actor, id int64) (*models.Invoice, error) {
	return s.step(ctx, actor, byFinance(actor, id), models.InvoiceCancelReturn,
		func(_ *gorm.DB, inv *models.Invoice, _ time.Time) (change, error) {
			return change{set: map[string]any{"return_reason": "", "return_needs_approval": false, "return_requested_by": nil,
				"return_requested_at": nil, "return_approved_by": nil, "return_approved_at": nil},
				detail: map[string]any{"reason": inv.ReturnReason},
				event:  models.InvoiceEvReturnCanceled, audit: models.AuditInvoiceReturnCanceled}, nil
		})
}

// link is the invoice's page.
func link(id int64) string { return fmt.Sprintf("/invoices/%d", id) }
