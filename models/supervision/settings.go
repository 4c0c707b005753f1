package supervision

import (
	"context"
	"slices"
	"strings"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
	"github.com/sellercenter/sellercenter/models/filestore"
)

// PolicyInput is the long-running supervision policy operations may set.
type PolicyInput struct {
	OldRuleEnabled bool // the old 365-day rule (invoiced → accepted, else unsubscribed)
}

// Policy is the policy in force.
func (s *Service) Policy(ctx context.Context) (models.SupPolicy, error) {
	return policy(s.db.WithContext(ctx))
}

// SetPolicy switches the old rule (operations); audited. Flows under way
// keep their stored instants: switching on applies the rule to every flow
// already past it at the next sweep.
func (s *Service) SetPolicy(ctx context.Context, actor models.Actor, in PolicyInput) error {
	if !actor.IsPlatform() || !actor.Can(models.PermAdminAppeals) {
		return models.ErrForbidden
	}
	now := s.now()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		old, err := policy(tx)
		if err != nil {
			return err
		}
		if old.OldRuleEnabled == in.OldRuleEnabled {
			return nil
		}
		if err := tx.Model(&models.SupPolicy{}).Where("id = 1").Updates(map[string]any{
			"old_rule_enabled": in.OldRuleEnabled, "updated_by": actor.Email, "updated_at": now}).Error; err != nil {
			return err
		}
		return audit.Write(tx, now, actor, audit.Event{Action: models.AuditSupPolicy, TargetType: "setting",
			Target: "supervision.old_rule", Detail: map[string]any{"from": old.OldRuleEnabled, "to": in.OldRuleEnabled}})
	})
}

// SettingsInput is a supervised product's settings form.
type SettingsInput struct {
	Variant        models.SupVariant
	SLADays        int
	Criteria       string
	AcceptanceMode string
	Template       *Upload // a new requirement template, optional
}

// Settings are a product's settings (the defaults when none were saved),
// in the actor's merchant (operations: any).
func (s *Service) Settings(ctx context.Context, actor models.Actor, productRef int64) (models.SupSettings, error) {
	tx := s.db.WithContext(ctx)
	if _, err := s.product(tx, actor, productRef); err != nil {
		return models.SupSettings{}, err
	}
	return settingsOf(tx, productRef)
}

func (s *Service) product(tx *gorm.DB, actor models.Actor, productRef int64) (*models.Product, error) {
	var p models.Product
	q := tx.Where("id = ?", productRef)
	switch {
	case actor.IsPlatform() && actor.Can(models.PermAdminProducts):
	case actor.MerchantID != 0 && (actor.Role == models.RoleOwner || actor.Role == models.RoleOperations):
		q = q.Where("merchant_id = ?", actor.MerchantID)
	default:
		return nil, models.ErrForbidden
	}
	if err := q.Take(&p).Error; err != nil {
		return nil, notFound(err)
	}
	return &p, nil
}

// SaveSettings stores a product's settings (owner and operations roles of
// its merchant, or operations managers); flows already started keep theirs.
func (s *Service) SaveSettings(ctx context.Context, actor models.Actor, productRef int64, in SettingsInput) error {
	in.Criteria = strings.TrimSpace(in.Criteria)
	v := &models.ValidationError{}
	if !slices.Contains(models.SupVariants, in.Variant) {
		v.Add("variant", models.M("err.enum", "Values", "manual, hardware, license"))
	}
	if in.SLADays < 1 || in.SLADays > 3650 {
		v.Add("sla_days", models.M("supervision.err.sla_days"))
	}
	if in.AcceptanceMode != models.SupAcceptManual && in.AcceptanceMode != models.SupAcceptAuto {
		v.Add("acceptance_mode", models.M("err.enum", "Values", "manual, auto"))
	}
	v.Text("criteria", in.Criteria, models.SupCriteriaMax, false, true)
	if v.Err() != nil {
		return v
	}
	var ups []Upload
	if in.Template != nil {
		ups = []Upload{*in.Template}
	}
	now := s.now()
	return s.withFiles(ups, func(files []filestore.Stored) error {
		return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			p, err := s.product(tx, actor, productRef)
			if err != nil {
				return err
			}
			set, err := settingsOf(tx, productRef)
			if err != nil {
				return err
			}
			for _, st := range files {
				doc := models.SupDocument{MerchantID: p.MerchantID, ProductRef: &p.ID, Kind: models.SupDocTemplate,
					Party: models.SupPartyMerchant, FileName: st.Name, ContentType: st.ContentType, Size: st.Size,
					SHA256: st.SHA256, StorageName: st.Storage, CreatedAt: now}
				if err := tx.Create(&doc).Error; err != nil {
					return err
				}
				set.TemplateDocRef = &doc.ID
			}
			set.ProductRef, set.MerchantID = p.ID, p.MerchantID
			set.Variant, set.SLADays, set.Criteria, set.AcceptanceMode = in.Variant, in.SLADays, in.Criteria, in.AcceptanceMode
			set.UpdatedAt, set.UpdatedBy = now, actor.Email
			if err := tx.Save(&set).Error; err != nil {
				return err
			}
			return audit.Write(tx, now, actor, audit.Event{Action: models.AuditSupSettings, MerchantID: p.MerchantID,
				TargetType: "product", TargetID: p.ID, Detail: map[string]any{"variant": in.Variant, "sla_days": in.SLADays,
					"acceptance_mode": in.AcceptanceMode}})
		})
	})
}

// Unsettleable lists, of the given lines, those the settlement gate holds
// back: supervised and not yet 已完成 (models.Settleable).
func (s *Service) Unsettleable(ctx context.Context, lineIDs []int64) ([]int64, error) {
	if len(lineIDs) == 0 {
		return nil, nil
	}
	var sups []struct {
		ID          int64
		Supervision models.Supervision
	}
	if err := s.db.WithContext(ctx).Model(&models.OrderLine{}).Select("id", "supervision").
		Where("id IN ?", lineIDs).Scan(&sups).Error; err != nil {
		return nil, err
	}
	var out []int64
	for _, l := range sups {
		if !models.Settleable(l.Supervision) {
			out = append(out, l.ID)
		}
	}
	return out, nil
}
