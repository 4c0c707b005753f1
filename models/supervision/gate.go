package supervision

import "github.com/sellercenter/sellercenter/models"

// Gate is the settlement gate invoices and statements apply (models.Settleable
// as SQL over order_lines aliased "ol"): a line is billed only when its
// supervision is 不涉及 or 已完成, i.e. not in progress. Written as one
// inequality so the covering order-line indexes answer it, and its exact
// negation for the reconciliation's blocked lines.
type Gate struct{}

// SettleableSQL implements invoices.Gate.
func (Gate) SettleableSQL() (string, []any) {
	return "ol.supervision <> ?", []any{models.SupervisionInProgress}
}

// UnsettleableSQL implements invoices.HeldGate.
func (Gate) UnsettleableSQL() (string, []any) {
	return "ol.supervision = ?", []any{models.SupervisionInProgress}
}
