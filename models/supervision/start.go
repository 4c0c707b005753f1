package supervision

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
)

// StartTx starts the flow of a line that just became supervising, inside
// the core's transaction (provisioning.Service.OnSupervising). It is
// idempotent: a line has one flow, and a repeat (a restarted create, a
// duplicate answer) finds it and does nothing. The flow takes the product's
// settings as they are now.
func (s *Service) StartTx(tx *gorm.DB, lineID int64) error {
	now := s.now()
	var n int64
	if err := tx.Model(&models.SupFlow{}).Where("line_ref = ?", lineID).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	var l models.OrderLine
	if err := tx.Select("id", "merchant_id", "order_ref", "product_ref", "buyer_ref", "order_code").
		Take(&l, lineID).Error; err != nil {
		return err
	}
	set, err := settingsOf(tx, l.ProductRef)
	if err != nil {
		return err
	}
	pol, err := policy(tx)
	if err != nil {
		return err
	}
	warn := now.Add(days(pol.WarnAfterDays))
	old := now.Add(days(pol.OldRuleDays))
	f := &models.SupFlow{MerchantID: l.MerchantID, LineRef: l.ID, OrderRef: l.OrderRef, ProductRef: l.ProductRef,
		BuyerRef: l.BuyerRef, Variant: set.Variant, AcceptanceMode: set.AcceptanceMode, SLADays: set.SLADays,
		Criteria: set.Criteria, Node: models.SupRequirements, Appeal: models.SupAppealNone, NodeEnteredAt: now,
		StartedAt: now, WarnDueAt: &warn, OldRuleDueAt: &old, CreatedAt: now, UpdatedAt: now}
	if err := tx.Create(f).Error; err != nil {
		return err
	}
	sys := who{party: models.SupPartySystem, actor: system}
	if _, err := s.event(tx, f, sys, models.SupEvStarted, "", f.Node, "", map[string]any{"order": l.OrderCode,
		"variant": f.Variant, "sla_days": f.SLADays}, now); err != nil {
		return err
	}
	if err := audit.Write(tx, now, system, audit.Event{Action: models.AuditSupStarted, MerchantID: f.MerchantID,
		TargetType: "supervision", TargetID: f.ID, Detail: map[string]any{"order": l.OrderCode}}); err != nil {
		return err
	}
	return s.ScheduleTx(tx, flowTimers(f))
}

// Start is StartTx in a transaction of its own (the demo seeder, a repair).
func (s *Service) Start(ctx context.Context, lineID int64) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return s.StartTx(tx, lineID) })
}

func days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

// settingsOf are the product's settings, or the defaults when it has none.
func settingsOf(tx *gorm.DB, productRef int64) (models.SupSettings, error) {
	var set models.SupSettings
	err := tx.Where("product_ref = ?", productRef).Take(&set).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		set = models.DefaultSupSettings()
		set.ProductRef = productRef
		return set, nil
	}
	return set, err
}

func policy(tx *gorm.DB) (models.SupPolicy, error) {
	var p models.SupPolicy
	err := tx.Take(&p, 1).Error
	return p, err
}
