package supervision

import (
	"context"
	"errors"
	"os"
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

// SettingsInput is a product's 服务监管 settings form.
type SettingsInput struct {
	Supervised     bool // whether the product's new order lines are supervised
	Variant        models.SupVariant
	SLADays        int
	Criteria       string
	AcceptanceMode string
	Template       *Upload // a new requirement template (需求模板), optional: it replaces the current one
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

// SettingsPage is a product with its settings and its current requirement
// template, for the settings form.
type SettingsPage struct {
	Product  models.Product
	Set      models.SupSettings
	Template *models.SupDocument // nil: none uploaded
	MaxFile  int64               // the upload size limit, for the form's hint
}

// ProductSettings is a product's settings page; the same access as Settings.
func (s *Service) ProductSettings(ctx context.Context, actor models.Actor, productRef int64) (SettingsPage, error) {
	tx := s.db.WithContext(ctx)
	p, err := s.product(tx, actor, productRef)
	if err != nil {
		return SettingsPage{}, err
	}
	set, err := settingsOf(tx, productRef)
	if err != nil {
		return SettingsPage{}, err
	}
	tpl, err := templateOf(tx, set)
	return SettingsPage{Product: *p, Set: set, Template: tpl, MaxFile: s.cfg.MaxFile}, err
}

func (s *Service) product(tx *gorm.DB, actor models.Actor, productRef int64) (*models.Product, error) {
	var p models.Product
	q := tx.Where("id = ?", productRef)
	switch {
	case actor.IsPlatform() && actor.Can(models.PermAdminProducts):
	case actor.MerchantID != 0 && actor.Can(models.PermSupSettings):
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
// its merchant, or operations managers), audited with the old and the new
// value of each field that changed.
//
// A change never alters work under way: whether an order line is
// supervised is fixed when the line arrives (the line's own supervision
// status, which the core keeps), and a flow keeps the variant, SLA,
// acceptance mode and criteria it started with (its own columns); only
// lines received, and flows started, after the change follow it. The
// requirement template is guidance, not a rule: every flow's pages offer
// the product's current one, and a replaced template stays stored.
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
	err := s.withFiles(ups, func(files []filestore.Stored) error {
		return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			p, err := s.product(tx, actor, productRef)
			if err != nil {
				return err
			}
			set, err := settingsOf(tx, productRef)
			if err != nil {
				return err
			}
			old, oldTpl := set, ""
			if tpl, err := templateOf(tx, set); err != nil {
				return err
			} else if tpl != nil {
				oldTpl = tpl.FileName
			}
			changes := map[string]any{}
			changed := func(field string, from, to any) {
				if from != to {
					changes[field] = map[string]any{"from": from, "to": to}
				}
			}
			changed("supervised", p.Supervised, in.Supervised)
			changed("variant", old.Variant, in.Variant)
			changed("sla_days", old.SLADays, in.SLADays)
			changed("acceptance_mode", old.AcceptanceMode, in.AcceptanceMode)
			changed("criteria", old.Criteria, in.Criteria)
			for _, st := range files {
				doc := models.SupDocument{MerchantID: p.MerchantID, ProductRef: &p.ID, Kind: models.SupDocTemplate,
					Party: models.SupPartyMerchant, FileName: st.Name, ContentType: st.ContentType, Size: st.Size,
					SHA256: st.SHA256, StorageName: st.Storage, CreatedAt: now}
				if err := tx.Create(&doc).Error; err != nil {
					return err
				}
				set.TemplateDocRef = &doc.ID
				changes["template"] = map[string]any{"from": oldTpl, "to": st.Name, "sha256": st.SHA256}
			}
			if len(changes) == 0 {
				return nil
			}
			if p.Supervised != in.Supervised {
				// products.supervised is what the core reads when a line
				// arrives; the form saves it with the rest, in one transaction.
				if err := tx.Model(&models.Product{}).Where("id = ?", p.ID).
					Updates(map[string]any{"supervised": in.Supervised, "updated_at": now}).Error; err != nil {
					return err
				}
			}
			set.ProductRef, set.MerchantID = p.ID, p.MerchantID
			set.Variant, set.SLADays, set.Criteria, set.AcceptanceMode = in.Variant, in.SLADays, in.Criteria, in.AcceptanceMode
			set.UpdatedAt, set.UpdatedBy = now, actor.Email
			if err := tx.Save(&set).Error; err != nil {
				return err
			}
			return audit.Write(tx, now, actor, audit.Event{Action: models.AuditSupSettings, MerchantID: p.MerchantID,
				TargetType: "product", TargetID: p.ID, Detail: map[string]any{"product_id": p.ProductID, "changes": changes}})
		})
	})
	return renameField(err, "files", "template")
}

// templateOf is the settings' current requirement template, nil when none.
func templateOf(tx *gorm.DB, set models.SupSettings) (*models.SupDocument, error) {
	if set.TemplateDocRef == nil {
		return nil, nil
	}
	var doc models.SupDocument
	if err := tx.Where("id = ? AND kind = ?", *set.TemplateDocRef, models.SupDocTemplate).Take(&doc).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, nil
		}
		return nil, err
	}
	return &doc, nil
}

// OpenTemplate authorizes a download of the requirement template of a
// flow's product in the actor's scope (the merchant's staff, the flow's
// buyer, operations); the caller streams and closes the file. No template
// is not found.
func (s *Service) OpenTemplate(ctx context.Context, actor models.Actor, flowID int64) (*models.SupDocument, *os.File, error) {
	tx := s.db.WithContext(ctx)
	sc, err := s.scopeOf(tx, actor)
	if err != nil {
		return nil, nil, err
	}
	var f models.SupFlow
	if err := sc.where("")(tx.Select("id", "product_ref")).Where("id = ?", flowID).Take(&f).Error; err != nil {
		return nil, nil, notFound(err)
	}
	set, err := settingsOf(tx, f.ProductRef)
	if err != nil {
		return nil, nil, err
	}
	return s.openTemplate(tx, set)
}

// OpenProductTemplate is the settings page's download of a product's
// current template; the same access as Settings.
func (s *Service) OpenProductTemplate(ctx context.Context, actor models.Actor, productRef int64) (*models.SupDocument, *os.File, error) {
	tx := s.db.WithContext(ctx)
	if _, err := s.product(tx, actor, productRef); err != nil {
		return nil, nil, err
	}
	set, err := settingsOf(tx, productRef)
	if err != nil {
		return nil, nil, err
	}
	return s.openTemplate(tx, set)
}

func (s *Service) openTemplate(tx *gorm.DB, set models.SupSettings) (*models.SupDocument, *os.File, error) {
	doc, err := templateOf(tx, set)
	if err != nil {
		return nil, nil, err
	}
	if doc == nil {
		return nil, nil, models.ErrNotFound
	}
	fh, err := s.dir().Open(doc.StorageName)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, models.ErrNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	return doc, fh, nil
}

// renameField moves a validation error's message from one field to
// another (the store names its field "files"; a form may call it else).
func renameField(err error, from, to string) error {
	var v *models.ValidationError
	if !errors.As(err, &v) {
		return err
	}
	if m, ok := v.Fields[from]; ok {
		delete(v.Fields, from)
		v.Fields[to] = m
	}
	return v
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
