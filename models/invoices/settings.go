package invoices

import (
	"context"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
)

// fourEyes reports whether the merchant's returns need a second person.
func fourEyes(tx *gorm.DB, merchantID int64) (bool, error) {
	var on []bool
	err := tx.Model(&models.InvoiceSettings{}).Where("merchant_id = ?", merchantID).Pluck("four_eyes_return", &on).Error
	return len(on) == 1 && on[0], err
}

// Settings are the actor's merchant's invoice rules.
func (s *Service) Settings(ctx context.Context, actor models.Actor) (models.InvoiceSettings, error) {
	if !actor.Can(models.PermInvoicesView) || actor.MerchantID == 0 {
		return models.InvoiceSettings{}, models.ErrForbidden
	}
	on, err := fourEyes(s.db.WithContext(ctx), actor.MerchantID)
	return models.InvoiceSettings{MerchantID: actor.MerchantID, FourEyesReturn: on}, err
}

// SetFourEyes turns the four-eyes rule for 退票 on or off (the owner);
// returns already waiting keep the rule they started under.
func (s *Service) SetFourEyes(ctx context.Context, actor models.Actor, on bool) error {
	if !actor.Can(models.PermInvoiceSettings) || actor.MerchantID == 0 {
		return models.ErrForbidden
	}
	now := s.now()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		uid := actor.UserID
		row := models.InvoiceSettings{MerchantID: actor.MerchantID, FourEyesReturn: on, UpdatedBy: &uid, UpdatedAt: now}
		if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error; err != nil {
			return err
		}
		return audit.Write(tx, now, actor, audit.Event{Action: models.AuditInvoiceSettings, TargetType: "merchant",
			TargetID: actor.MerchantID, Detail: map[string]any{"four_eyes_return": on}})
	})
}
