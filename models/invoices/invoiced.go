package invoices

import (
	"context"

	"github.com/sellercenter/sellercenter/models"
)

// Invoiced tells which of the lines are on an issued invoice (已完成, or
// 退票中 until the return is confirmed): supervision's old 365-day rule
// accepts those and unsubscribes the rest. A pending request is no invoice yet.
func (s *Service) Invoiced(ctx context.Context, lineRefs []int64) (map[int64]bool, error) {
	out := make(map[int64]bool, len(lineRefs))
	if len(lineRefs) == 0 {
		return out, nil
	}
	var refs []int64
	err := s.db.WithContext(ctx).Table("invoice_lines AS il").Joins("JOIN invoices i ON i.id = il.invoice_ref").
		Where("il.order_line_ref IN ? AND il.live AND i.status IN ?", lineRefs,
			[]models.InvoiceStatus{models.InvoiceIssued, models.InvoiceReturning}).
		Distinct().Pluck("il.order_line_ref", &refs).Error
	for _, r := range refs {
		out[r] = true
	}
	return out, err
}
