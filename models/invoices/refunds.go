package invoices

import (
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/notify"
)

// system is who refund flagging acts as.
var system = models.SystemActor("invoices")

// refundKind is what kind of refund an applied order line is ("" for none).
func refundKind(l *models.OrderLine) string {
	switch {
	case l.OrderType == models.OrderUnsubscribe:
		return models.RefundUnsubscribe
	case l.OrderType == models.OrderRenew && l.Amount < 0:
		return models.RefundRenewalCancel
	case l.OrderType == models.OrderChange && l.Amount < 0:
		return models.RefundDowngrade
	}
	return ""
}

// LineRefunded is called by the provisioning core inside the transaction
// that applies an UNSUBSCRIBE, a renewal cancellation or a downgrade (the
// refunding line, with its target instance). The refund is spread over the
// instance's paid lines newest first (a renewal cancellation gives back the
// last period); an unsubscribe touches every paid line of the instance, as
// the subscription ends. Every live invoice holding a touched line gets a
// timeline event; an issued one is flagged 需退票 and finance is notified.
// Applying the same refund twice does nothing.
func (s *Service) LineRefunded(tx *gorm.DB, refund *models.OrderLine, at time.Time) error {
	kind := refundKind(refund)
	if kind == "" || refund.InstanceRef == nil {
		return nil
	}
	at = at.UTC().Truncate(time.Second)
	var done int64
	if err := tx.Model(&models.LineRefund{}).Where("refund_line_ref = ?", refund.ID).Count(&done).Error; err != nil || done > 0 {
		return err
	}
	type paid struct {
		ID, Amount, Refunded int64
		OrderLineID          string
	}
	var lines []paid
	if err := tx.Raw(`SELECT ol.id, ol.amount, ol.order_line_id,
			coalesce((SELECT sum(r.amount) FROM line_refunds r WHERE r.line_ref = ol.id), 0) AS refunded
		FROM order_lines ol WHERE ol.instance_ref = ? AND ol.id <> ? AND ol.amount > 0 AND ol.order_type <> ?
		ORDER BY ol.ordered_at DESC, ol.id DESC`, *refund.InstanceRef, refund.ID, models.OrderUnsubscribe).
		Scan(&lines).Error; err != nil {
		return err
	}
	left := refund.Amount
	if left < 0 {
		left = -left
	}
	var rows []models.LineRefund
	hit := map[int64]string{}
	for _, l := range lines {
		take := min(left, l.Amount-l.Refunded)
		if take < 0 {
			take = 0
		}
		if take == 0 && kind != models.RefundUnsubscribe {
			continue
		}
		left -= take
		rows = append(rows, models.LineRefund{MerchantID: refund.MerchantID, LineRef: l.ID, RefundLineRef: refund.ID,
			Kind: kind, Amount: take, At: at})
		hit[l.ID] = l.OrderLineID
	}
	if len(rows) == 0 {
		return nil
	}
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&rows).Error; err != nil {
		return err
	}
	refs := make([]int64, 0, len(hit))
	for id := range hit {
		refs = append(refs, id)
	}
	var touched []struct {
		models.Invoice
		LineRef int64 `gorm:"column:line_ref"`
	}
	if err := tx.Raw(`SELECT i.*, il.order_line_ref AS line_ref FROM invoice_lines il JOIN invoices i ON i.id = il.invoice_ref
		WHERE il.order_line_ref IN ? AND il.live ORDER BY i.id`, refs).Scan(&touched).Error; err != nil {
		return err
	}
	for i := range touched {
		inv, line := &touched[i].Invoice, hit[touched[i].LineRef]
		if err := event(tx, inv, at, system, "", models.InvoiceEvLineRefunded, map[string]any{"line": line,
			"refund_line": refund.OrderLineID, "kind": kind}); err != nil {
			return err
		}
		if inv.Status != models.InvoiceIssued || inv.NeedsReturn {
			continue
		}
		if err := tx.Model(&models.Invoice{}).Where("id = ? AND NOT needs_return", inv.ID).
			Updates(map[string]any{"needs_return": true, "needs_return_at": at, "updated_at": at}).Error; err != nil {
			return err
		}
		inv.NeedsReturn = true
		if err := notify.Write(tx, at, inv.MerchantID, models.NotifyOther, models.M("invoices.notify.needs_return",
			"Line", line, "Number", inv.InvoiceNumber), link(inv.ID)); err != nil {
			return err
		}
	}
	return nil
}
