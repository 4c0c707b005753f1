// Package buyers keeps the marketplace's buyers: one row per customer id,
// a masked name to show, and the PII sealed. Orders and tickets both bring
// buyers in; they share this one writer.
package buyers

import (
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/vault"
)

// Save writes the buyer of customerID in tx and returns its id. With
// replace, a known buyer's name and PII are replaced (an order carries the
// full PII); without, a known buyer is left as it is (a ticket carries a
// name only, poorer than what an order recorded).
func Save(tx *gorm.DB, v *vault.Vault, customerID string, pii models.BuyerPII, now time.Time, replace bool) (int64, error) {
	b, _ := json.Marshal(pii)
	row := models.Buyer{CustomerID: customerID, NameMasked: MaskName(pii.CustomerName),
		PIIEnc: v.Seal(b, vault.PurposeBuyerPII), CreatedAt: now, UpdatedAt: now}
	onConflict := clause.OnConflict{Columns: []clause.Column{{Name: "customer_id"}}, DoNothing: true}
	if replace {
		onConflict = clause.OnConflict{Columns: []clause.Column{{Name: "customer_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"name_masked", "pii_enc", "updated_at"})}
	}
	if err := tx.Clauses(onConflict).Create(&row).Error; err != nil {
		return 0, err
	}
	var id int64
	err := tx.Model(&models.Buyer{}).Where("customer_id = ?", customerID).Pluck("id", &id).Error
	return id, err
}

// MaskName keeps the first character: enough to recognise, not to identify.
func MaskName(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return ""
	}
	return string(r) + strings.Repeat("*", min(utf8.RuneCountInString(s)-1, 6)+1)
}
