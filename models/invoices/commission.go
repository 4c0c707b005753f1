package invoices

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
)

// ParseRate reads a commission rate as operations type it, a percentage
// with at most two decimals ("5", "5.5", "12.25", "5%"), in basis points.
// ok is false for anything else; the range is the caller's rule.
func ParseRate(s string) (bp int, ok bool) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "%")
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || len(whole) > 3 || (dot && (frac == "" || len(frac) > 2)) {
		return 0, false
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, _ := strconv.Atoi(whole)
	f, _ := strconv.Atoi(frac)
	return w*100 + f, true
}

// MaxRateBP is the highest commission rate: the whole sale.
const MaxRateBP = 10000

// MerchantRate is a merchant with its commission rate (the merchant-wide
// one; product overrides are not shown here).
type MerchantRate struct {
	models.Merchant
	RateBP    int  // 0 when none is set: no commission
	Set       bool // a rate was ever set
	UpdatedBy string
	UpdatedAt time.Time
}

// rates reads every merchant with its merchant-wide rate, by slug.
func (s *Service) rates(tx *gorm.DB) ([]MerchantRate, error) {
	rows, err := tx.Raw(`SELECT m.id, m.slug, m.name, c.rate_bp, c.updated_by, c.updated_at
		FROM merchants m LEFT JOIN commission_rates c ON c.merchant_id = m.id AND c.product_ref IS NULL
		ORDER BY m.slug`).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []MerchantRate{}
	for rows.Next() {
		var r MerchantRate
		var bp *int
		var by *string
		var at *time.Time
		if err := rows.Scan(&r.ID, &r.Slug, &r.Name, &bp, &by, &at); err != nil {
			return nil, err
		}
		if bp != nil {
			r.RateBP, r.Set = *bp, true
		}
		if by != nil {
			r.UpdatedBy = *by
		}
		if at != nil {
			r.UpdatedAt = at.UTC()
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SetMerchantRate is operations setting a merchant's commission rate as
// typed on the statements page (a percentage, 0–100, two decimals at most).
// Statements keep the fee they were generated with: the new rate applies to
// statements generated after it. The change is audited with the old and
// the new rate; setting the rate it already has changes nothing.
func (s *Service) SetMerchantRate(ctx context.Context, actor models.Actor, slug, rate string) (changed bool, err error) {
	if !actor.Can(models.PermAdminInvoices) {
		return false, models.ErrForbidden
	}
	v := &models.ValidationError{}
	bp, ok := ParseRate(rate)
	switch {
	case strings.TrimSpace(rate) == "":
		v.Add("rate", models.M("err.required"))
	case !ok:
		v.Add("rate", models.M("invoices.err.rate_format"))
	case bp > MaxRateBP:
		v.Add("rate", models.M("invoices.err.rate_range"))
	}
	db := s.db.WithContext(ctx)
	mid, err := merchantBySlug(db, slug, v)
	if err != nil {
		return false, err
	}
	if err := v.Err(); err != nil {
		return false, err
	}
	now := s.now()
	err = db.Transaction(func(tx *gorm.DB) error {
		var old []int
		if err := tx.Table("commission_rates").Where("merchant_id = ? AND product_ref IS NULL", mid).
			Pluck("rate_bp", &old).Error; err != nil {
			return err
		}
		if len(old) == 1 && old[0] == bp {
			return nil
		}
		if err := tx.Exec(`INSERT INTO commission_rates (merchant_id, product_ref, rate_bp, updated_by, updated_at) VALUES (?, NULL, ?, ?, ?)
			ON CONFLICT (merchant_id, coalesce(product_ref, 0)) DO UPDATE SET rate_bp = excluded.rate_bp,
				updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			mid, bp, actor.Email, now).Error; err != nil {
			return err
		}
		detail := map[string]any{"old_bp": nil, "new_bp": bp}
		if len(old) == 1 {
			detail["old_bp"] = old[0]
		}
		changed = true
		return audit.Write(tx, now, actor, audit.Event{Action: models.AuditCommissionChanged, MerchantID: mid,
			TargetType: "merchant", TargetID: mid, Detail: detail})
	})
	return changed, err
}

// merchantBySlug resolves a merchant chosen on an operations form; a
// missing or unknown one is a field error under "merchant" added to v.
func merchantBySlug(db *gorm.DB, slug string, v *models.ValidationError) (int64, error) {
	slug = strings.TrimSpace(slug)
	if slug == "" {
		v.Add("merchant", models.M("err.required"))
		return 0, nil
	}
	var m models.Merchant
	err := db.Select("id").Where("slug = ?", slug).Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		v.Add("merchant", models.M("err.merchant_unknown"))
		return 0, nil
	}
	return m.ID, err
}

// RatePercent is a commission in basis points as people write it: 500 is
// "5%", 125 "1.25%".
func RatePercent(bp int) string {
	s := strconv.Itoa(bp/100) + "." + fmt.Sprintf("%02d", bp%100)
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".") + "%"
}
