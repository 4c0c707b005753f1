package invoices

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
	"github.com/sellercenter/sellercenter/models/notify"
)

// Selection is the statements finance ticked on the statement list. It is
// a set of ids, not a page, so it survives paging; AllMatching is 跨页全选:
// every requestable statement the filter matches, less Excluded. The
// requestable negative statements of the selection's currency are always
// in (pre-ticked, not removable), so a merchant cannot leave the refunds
// of its fees out of the invoice.
type Selection struct {
	IDs         []int64
	AllMatching bool
	Filter      StatementFilter
	Excluded    []int64
}

// MaxSelection bounds the ids one selection names.
const MaxSelection = 1000

// Quote is what a selection comes to: the statements it takes, those forced
// in, the one currency and the net platform fee to invoice.
type Quote struct {
	Statements []models.SettlementStatement
	Forced     []int64 // the negative statements included whether ticked or not
	Currency   string
	Amount     int64 // minor units: the statements' fees, refunds netted
}

// PlatformFeeInput is 索取平台费发票: the selection and the invoice details
// (数电专票 or 数电普票, always with the merchant's tax id).
type PlatformFeeInput struct {
	Selection
	models.InvoiceParty
}

// QuotePlatformFee shows finance what a selection would ask for, with the
// same rules as RequestPlatformFee.
func (s *Service) QuotePlatformFee(ctx context.Context, actor models.Actor, sel Selection) (*Quote, error) {
	mid, err := finance(actor)
	if err != nil {
		return nil, err
	}
	return quote(s.db.WithContext(ctx), mid, sel)
}

// RequestPlatformFee records a platform-fee invoice request over the
// selection. A statement that is unknown, unpaid or already on a live
// request is a ValidationError naming it ("statementIds[<id>]"); so is
// unticking a forced negative statement; statements of two currencies, or
// a net fee that is not positive, are refused as a whole.
func (s *Service) RequestPlatformFee(ctx context.Context, actor models.Actor, in PlatformFeeInput) (*models.PlatformFeeRequest, error) {
	mid, err := finance(actor)
	if err != nil {
		return nil, err
	}
	v := &models.ValidationError{}
	in.InvoiceParty.Validate(v, true)
	if v.Err() != nil {
		return nil, v
	}
	now := s.now()
	var req *models.PlatformFeeRequest
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q, err := quote(tx, mid, in.Selection)
		if err != nil {
			return err
		}
		uid := actor.UserID
		req = &models.PlatformFeeRequest{MerchantID: mid, InvoiceParty: in.InvoiceParty, Currency: q.Currency,
			Amount: q.Amount, Status: models.PlatformFeePending, RequestedBy: &uid, CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(req).Error; err != nil {
			return err
		}
		ids := make([]int64, len(q.Statements))
		for i, st := range q.Statements {
			ids[i] = st.ID
			// The unique live index refuses a statement another request took
			// since the quote was read: the whole request fails, nothing stays.
			if err := tx.Create(&models.PlatformFeeStatement{RequestRef: req.ID, StatementRef: st.ID, Live: true}).Error; err != nil {
				return conflict(models.M("invoices.err.changed"))
			}
		}
		// Operations issue the platform's invoice: they hear of the request.
		if err := notify.WritePlatform(tx, now, mid, models.NotifyOther, models.M("ops.notify.platform_fee_requested",
			"Amount", models.FormatAmount(q.Amount), "Currency", q.Currency), fmt.Sprintf("/invoices/platform/%d", req.ID)); err != nil {
			return err
		}
		return writeAudit(tx, now, actor, models.AuditPlatformFeeRequested, mid, "platform_fee_request", req.ID,
			map[string]any{"statements": ids, "amount": q.Amount, "currency": q.Currency, "kind": in.Kind})
	})
	if err != nil {
		return nil, err
	}
	return req, nil
}

// quote resolves a selection of merchant mid inside tx.
func quote(tx *gorm.DB, mid int64, sel Selection) (*Quote, error) {
	v := &models.ValidationError{}
	if len(sel.IDs) > MaxSelection || len(sel.Excluded) > MaxSelection {
		v.Add("statementIds", models.M("invoices.err.too_many_statements", "Max", MaxSelection))
		return nil, v
	}
	if err := sel.Filter.validate(); err != nil {
		return nil, err
	}
	var open []models.SettlementStatement
	if err := (StatementFilter{Requestable: true}).apply(tx.Table("settlement_statements AS st"), mid).
		Order("st.month, st.id").Find(&open).Error; err != nil {
		return nil, err
	}
	byID := make(map[int64]*models.SettlementStatement, len(open))
	for i := range open {
		byID[open[i].ID] = &open[i]
	}
	chosen := map[int64]bool{}
	for _, id := range sel.IDs {
		if byID[id] == nil {
			v.Add(statementField(id), models.M("invoices.err.statement_unknown", "ID", id))
		}
		chosen[id] = true
	}
	if sel.AllMatching {
		f := sel.Filter
		f.Requestable, f.MerchantID = true, 0
		var ids []int64
		if err := f.apply(tx.Table("settlement_statements AS st"), mid).Pluck("st.id", &ids).Error; err != nil {
			return nil, err
		}
		for _, id := range ids {
			if !slices.Contains(sel.Excluded, id) {
				chosen[id] = true
			}
		}
	}
	if v.Err() != nil {
		return nil, v
	}
	q := &Quote{}
	for _, st := range open {
		if !chosen[st.ID] {
			continue
		}
		if q.Currency != "" && q.Currency != st.Currency {
			return nil, models.FormError(models.M("invoices.err.statement_currency"))
		}
		q.Currency = st.Currency
	}
	if q.Currency == "" {
		return nil, models.FormError(models.M("invoices.err.statements_required"))
	}
	for _, st := range open {
		if st.Currency != q.Currency {
			continue
		}
		if st.Negative() {
			if slices.Contains(sel.Excluded, st.ID) {
				v.Add(statementField(st.ID), models.M("invoices.err.negative_required", "ID", st.ID))
			}
			q.Forced = append(q.Forced, st.ID)
		} else if !chosen[st.ID] {
			continue
		}
		q.Statements = append(q.Statements, st)
		q.Amount += st.Fee
	}
	if v.Err() != nil {
		return nil, v
	}
	if q.Amount <= 0 {
		return nil, models.FormError(models.M("invoices.err.fee_not_positive"))
	}
	return q, nil
}

func statementField(id int64) string { return fmt.Sprintf("statementIds[%d]", id) }

// writeAudit writes a staff action's audit line in tx.
func writeAudit(tx *gorm.DB, now time.Time, actor models.Actor, action string, mid int64, target string, id int64,
	detail map[string]any) error {
	return audit.Write(tx, now, actor, audit.Event{Action: action, MerchantID: mid, TargetType: target, TargetID: id,
		Detail: detail})
}
