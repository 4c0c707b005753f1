package debugger

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
	"github.com/sellercenter/sellercenter/web/koogallery"
)

// MaxCaseName is the longest case name, in characters.
const MaxCaseName = 64

// CaseView is a saved case with its product's marketplace id.
type CaseView struct {
	models.TestCase
	ProductID   string // "" when the case is not tied to a product
	ProductName string
}

func (s *Service) caseOf(ctx context.Context, mid, id int64) (*models.TestCase, error) {
	var tc models.TestCase
	err := s.db.WithContext(ctx).Where("id = ? AND merchant_id = ?", id, mid).First(&tc).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, models.ErrNotFound
	}
	return &tc, err
}

// Save stores the composed call as a case of the actor's merchant. The name
// is unique per merchant; the parameters must be at most MaxParamsBytes and
// valid for the activity under the merchant's current protocol.
func (s *Service) Save(ctx context.Context, actor models.Actor, name string, c Compose) (*models.TestCase, error) {
	mid, err := merchantOf(actor)
	if err != nil {
		return nil, err
	}
	v := &models.ValidationError{}
	name = strings.TrimSpace(name)
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		v.Add("name", models.M("err.required"))
	case n > MaxCaseName:
		v.Add("name", models.M("err.too_long", "Max", MaxCaseName))
	case strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		v.Add("name", models.M("err.invalid_text"))
	}
	if !knownActivity(c.Activity) {
		v.Add("activity", models.M("err.debug_activity"))
	}
	p := c.params(v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	productID, err := s.productCode(ctx, mid, c.ProductRef)
	if err != nil {
		return nil, err
	}
	ep, err := s.catalog.Endpoint(ctx, models.SystemActor("debugger"), mid)
	if errors.Is(err, models.ErrNotFound) {
		return nil, models.FormError(models.M("err.debug_no_endpoint"))
	}
	if err != nil {
		return nil, err
	}
	if _, err := prepare(versionOf(ep.Protocol), koogallery.Activity(c.Activity), p, productID, s.now()); err != nil {
		return nil, err
	}
	params, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	now := s.now()
	tc := &models.TestCase{MerchantID: mid, Name: name, Activity: c.Activity, Params: string(params),
		CreatedBy: actor.Email, CreatedAt: now, UpdatedAt: now}
	if c.ProductRef != 0 {
		ref := c.ProductRef
		tc.ProductRef = &ref
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&models.TestCase{}).Where("merchant_id = ? AND name = ?", mid, name).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			v.Add("name", models.M("err.debug_case_taken"))
			return v
		}
		if err := tx.Create(tc).Error; err != nil {
			return err
		}
		return audit.Write(tx, now, actor, audit.Event{Action: models.AuditCaseSaved, MerchantID: mid, TargetType: "test_case",
			TargetID: tc.ID, Detail: map[string]any{"name": name, "activity": c.Activity}})
	})
	if err != nil {
		return nil, err
	}
	return tc, nil
}

// List lists the actor's merchant's cases by name.
func (s *Service) List(ctx context.Context, actor models.Actor) ([]CaseView, error) {
	mid, err := merchantOf(actor)
	if err != nil {
		return nil, err
	}
	var out []CaseView
	err = s.db.WithContext(ctx).Table("test_cases").
		Select("test_cases.*, COALESCE(products.product_id, '') AS product_id, COALESCE(products.name, '') AS product_name").
		Joins("LEFT JOIN products ON products.id = test_cases.product_ref").
		Where("test_cases.merchant_id = ?", mid).Order("test_cases.name, test_cases.id").Scan(&out).Error
	return out, err
}

// Delete removes a case of the actor's merchant; its dial runs stay, named.
func (s *Service) Delete(ctx context.Context, actor models.Actor, id int64) error {
	mid, err := merchantOf(actor)
	if err != nil {
		return err
	}
	now := s.now()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var tc models.TestCase
		if err := tx.Where("id = ? AND merchant_id = ?", id, mid).First(&tc).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return models.ErrNotFound
			}
			return err
		}
		if err := tx.Delete(&models.TestCase{}, tc.ID).Error; err != nil {
			return err
		}
		return audit.Write(tx, now, actor, audit.Event{Action: models.AuditCaseDeleted, MerchantID: mid, TargetType: "test_case",
			TargetID: tc.ID, Detail: map[string]any{"name": tc.Name}})
	})
}

// PageData is everything the debugger page shows besides a result.
type PageData struct {
	Protocol   string   // the endpoint's protocol, "" when none is set
	Activities []string // those the protocol defines (all when none is set)
	Cases      []CaseView
	Products   []ProductDial // the merchant's products with their dial state
}

// Page loads the debugger page of the actor's merchant.
func (s *Service) Page(ctx context.Context, actor models.Actor) (*PageData, error) {
	mid, err := merchantOf(actor)
	if err != nil {
		return nil, err
	}
	d := &PageData{}
	ep, err := s.catalog.Endpoint(ctx, models.SystemActor("debugger"), mid)
	switch {
	case err == nil:
		d.Protocol = ep.Protocol
		d.Activities = ActivitiesFor(ep.Protocol)
	case errors.Is(err, models.ErrNotFound):
		for _, a := range AllActivities {
			d.Activities = append(d.Activities, string(a))
		}
	default:
		return nil, err
	}
	if d.Cases, err = s.List(ctx, actor); err != nil {
		return nil, err
	}
	if d.Products, err = s.DialSummary(ctx, actor); err != nil {
		return nil, err
	}
	return d, nil
}
