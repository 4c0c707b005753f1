package demands

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/notify"
)

// AssignInput is the operations form: a new demand for a merchant.
type AssignInput struct {
	Merchant     string // slug
	Title        string
	Description  string
	CustomerName string
	ProductID    string // optional: the marketplace productId, one of the merchant's
}

// Notification types of demands. A new demand and the reminders ask the
// merchant to act before a deadline, like every other 运维提醒 (501), so they
// reach whoever the merchant routes operational reminders to; the
// auto-close only reports what happened and needs no action (其他, 901).
const (
	notifyAct  = models.NotifyOps
	notifyInfo = models.NotifyOther
)

// Assign validates the form, stores the demand with its computed window,
// its first event, the merchant's notification, the audit line and its
// timers, in one transaction. Bad input is a ValidationError and nothing is
// stored.
func (s *Service) Assign(ctx context.Context, actor models.Actor, in AssignInput) (*models.Demand, error) {
	if !actor.Can(models.PermAdminDemands) {
		return nil, models.ErrForbidden
	}
	in.Merchant = strings.TrimSpace(in.Merchant)
	in.Title = strings.TrimSpace(in.Title)
	in.Description = strings.TrimSpace(in.Description)
	in.CustomerName = strings.TrimSpace(in.CustomerName)
	in.ProductID = strings.TrimSpace(in.ProductID)
	v := &models.ValidationError{}
	v.Text("title", in.Title, models.DemandTitleMax, true, false)
	v.Text("description", in.Description, models.DemandDescMax, false, true)
	v.Text("customer_name", in.CustomerName, models.DemandCustomerMax, true, false)
	var m models.Merchant
	if in.Merchant == "" {
		v.Add("merchant", models.M("err.required"))
	} else if err := s.db.WithContext(ctx).Where("slug = ?", in.Merchant).Take(&m).Error; err != nil {
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, err
		}
		v.Add("merchant", models.M("err.merchant_unknown"))
	} else if m.Status != models.MerchantActive {
		v.Add("merchant", models.M("demands.err.merchant_inactive"))
	}
	var productRef *int64
	if in.ProductID != "" && m.ID != 0 {
		var p models.Product
		err := s.db.WithContext(ctx).Where("product_id = ? AND merchant_id = ?", in.ProductID, m.ID).Take(&p).Error
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			v.Add("product", models.M("demands.err.product_not_merchants"))
		case err != nil:
			return nil, err
		default:
			productRef = &p.ID
		}
	}
	if v.Err() != nil {
		return nil, v
	}
	hs, err := s.holidaySet(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var d *models.Demand
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		mode, err := windowMode(tx)
		if err != nil {
			return err
		}
		w := WindowOf(now, mode, models.DemandWindowDays, hs)
		d = &models.Demand{MerchantID: m.ID, Title: in.Title, Description: in.Description, CustomerName: in.CustomerName,
			ProductRef: productRef, State: models.DemandPending, WindowMode: mode, WindowDays: models.DemandWindowDays,
			AssignedAt: now, AssignedBy: actor.Email, DueAt: w.Due, Remind3At: w.Remind3, Remind1At: w.Remind1,
			CreatedAt: now, UpdatedAt: now}
		if err := tx.Create(d).Error; err != nil {
			return err
		}
		if err := event(tx, d.ID, now, actor, models.DemandEvAssigned, map[string]any{"merchant": m.Slug,
			"window_mode": mode, "window_days": models.DemandWindowDays, "due_at": w.Due}); err != nil {
			return err
		}
		if err := notify.Write(tx, now, m.ID, notifyAct, models.M("demands.notify.assigned", "Title", d.Title,
			"Days", models.DemandWindowDays), link(d.ID)); err != nil {
			return err
		}
		if err := s.auditDemand(tx, now, actor, models.AuditDemandAssigned, d, map[string]any{"title": d.Title,
			"due_at": w.Due, "window_mode": mode}); err != nil {
			return err
		}
		return s.ScheduleTx(tx, timersOf(d))
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

func link(id int64) string { return fmt.Sprintf("/demands/%d", id) }

// event appends one line of a demand's history.
func event(tx *gorm.DB, demandID int64, at time.Time, actor models.Actor, kind string, detail map[string]any) error {
	b := []byte("{}")
	if len(detail) > 0 {
		var err error
		if b, err = json.Marshal(detail); err != nil {
			return err
		}
	}
	ev := models.DemandEvent{DemandID: demandID, At: at.UTC(), Kind: kind, Actor: actor.Email, Detail: string(b)}
	if actor.UserID != 0 {
		id := actor.UserID
		ev.ActorUserID = &id
	}
	return tx.Create(&ev).Error
}
