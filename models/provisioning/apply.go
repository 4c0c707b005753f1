package provisioning

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/notify"
	"github.com/sellercenter/sellercenter/models/vault"
	"github.com/sellercenter/sellercenter/web/koogallery"
)

const appInfoPurpose = vault.PurposeAppInfo

// applied says how the attempt's log row must read after apply decided.
type applied struct {
	nextRetry *time.Time
	outcome   string // overrides the protocol's verdict when set
	errClass  string
	errDetail string
}

// Error classes of answers the protocol accepts but the core cannot use.
const (
	ClassDecrypt           = "decrypt"            // appInfo credentials do not decrypt with the key
	ClassDuplicateInstance = "duplicate_instance" // the instanceId already belongs to another line
	ClassNotReady          = "not_ready"          // queryInstance has no appInfo yet
)

func (s *Service) apply(tx *gorm.DB, cc *callCtx, msg *models.InterfaceMessage, out *koogallery.Outcome, cfgErr error, now time.Time) (applied, error) {
	c := cc.call
	isCreate := c.Activity == models.ActNewInstance
	polling := c.State == models.CallPolling
	ok := cfgErr == nil && out.OK()

	// V2 create answers only an instanceId (000000) or "processing" (000004):
	// the credentials come from queryInstance, polled until they are ready.
	if cfgErr == nil && isCreate && !polling && cc.version == koogallery.V2 {
		if resp := out.NewInstance(); resp != nil && resp.InstanceID != "" && (ok || out.ResultCode == koogallery.ResultProcessing) {
			cc.params.InstanceID = resp.InstanceID
			at := now
			if !ok {
				at = now.Add(s.cfg.PollInterval)
			}
			if err := s.moveCall(tx, cc, models.CallPolling, &at, ""); err != nil {
				return applied{}, err
			}
			return applied{outcome: models.OutcomeOK, errClass: "-"}, nil
		}
	}
	// "Still processing" while polling is the expected answer, not a failure.
	if polling && cfgErr == nil && out.ResultCode == koogallery.ResultProcessing {
		f, err := s.applyFailure(tx, cc, msg, ClassNotReady, now)
		f.outcome, f.errClass = models.OutcomeOK, "-"
		return f, err
	}
	if ok {
		res, err := s.applySuccess(tx, cc, out, now)
		if err != nil || res.outcome == models.OutcomeError {
			if err != nil {
				return applied{}, err
			}
			// The answer was valid protocol but unusable: a failure like any other.
			f, ferr := s.applyFailure(tx, cc, msg, res.errClass, now)
			f.outcome, f.errClass, f.errDetail = models.OutcomeError, res.errClass, res.errDetail
			return f, ferr
		}
		return res, nil
	}
	class := string(ClassConfig)
	if cfgErr == nil {
		class = string(out.Class)
	}
	return s.applyFailure(tx, cc, msg, class, now)
}

func (s *Service) applySuccess(tx *gorm.DB, cc *callCtx, out *koogallery.Outcome, now time.Time) (applied, error) {
	c := cc.call
	switch c.Activity {
	case models.ActNewInstance:
		var id string
		var info *koogallery.AppInfo
		enc := koogallery.EncryptType("")
		if c.State == models.CallPolling {
			q := out.QueryInstance()
			if q != nil {
				enc = q.EncryptType
				for _, it := range q.Info {
					if it.InstanceID == cc.params.InstanceID && it.AppInfo != nil && it.AppInfo.FrontEndURL != "" {
						id, info = it.InstanceID, it.AppInfo
					}
				}
			}
			if id == "" {
				return applied{outcome: models.OutcomeError, errClass: ClassNotReady}, nil
			}
		} else {
			r := out.NewInstance()
			id, info, enc = r.InstanceID, r.AppInfo, r.EncryptType
		}
		return s.createInstance(tx, cc, id, info, enc, now)
	case models.ActRefreshInstance:
		if cc.instance != nil {
			upd := map[string]any{"updated_at": now}
			if cc.line != nil && cc.line.ExpireAt != nil {
				upd["expire_at"] = *cc.line.ExpireAt
			}
			// A renewal of a frozen (expired) instance brings it back.
			if cc.instance.Status == models.InstanceFrozen && cc.params.Scene != "UNSUBSCRIBE_RENEWAL_PERIOD" {
				upd["status"] = models.InstanceNormal
			}
			if err := tx.Model(&models.Instance{}).Where("id = ?", cc.instance.ID).Updates(upd).Error; err != nil {
				return applied{}, err
			}
		}
	case models.ActExpireInstance, models.ActUpdateStatus:
		to := models.InstanceFrozen
		if cc.params.Status == koogallery.StatusUnfreeze {
			to = models.InstanceNormal
		}
		if err := s.moveInstance(tx, cc.instance, to, now); err != nil {
			return applied{}, err
		}
	case models.ActReleaseInstance:
		if err := s.moveInstance(tx, cc.instance, models.InstanceReleased, now); err != nil {
			return applied{}, err
		}
		if cc.instance != nil {
			var creating models.OrderLine
			if err := tx.First(&creating, cc.instance.CreatingLineRef).Error; err != nil {
				return applied{}, err
			}
			if creating.Status != models.LineUnsubscribed {
				if err := s.moveLine(tx, &creating, models.LineUnsubscribed, "released", now); err != nil {
					return applied{}, err
				}
			}
		}
	case models.ActUpgrade:
		if cc.instance != nil && cc.line != nil {
			if err := tx.Model(&models.Instance{}).Where("id = ?", cc.instance.ID).
				Updates(map[string]any{"product_id": cc.line.ProductRef, "updated_at": now}).Error; err != nil {
				return applied{}, err
			}
		}
	}
	if cc.line != nil {
		if err := s.moveLine(tx, cc.line, models.LineCompleted, "", now); err != nil {
			return applied{}, err
		}
	}
	return applied{}, s.succeed(tx, cc, now)
}

// createInstance records the merchant's instance for the line. The line may
// own one instance only (a unique column), so a repeated success — after a
// crash, a restart or a duplicate delivery — finds the first and stops.
func (s *Service) createInstance(tx *gorm.DB, cc *callCtx, id string, info *koogallery.AppInfo, enc koogallery.EncryptType, now time.Time) (applied, error) {
	c := cc.call
	var other models.Instance
	err := tx.Where("merchant_id = ? AND instance_id = ? AND creating_line_ref <> ?", c.MerchantID, id, cc.line.ID).First(&other).Error
	if err == nil {
		return applied{outcome: models.OutcomeError, errClass: ClassDuplicateInstance,
			errDetail: fmt.Sprintf("instanceId %s already belongs to order line %d", id, other.CreatingLineRef)}, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return applied{}, err
	}
	plain := models.AppInfo{}
	if info != nil {
		plain = models.AppInfo{FrontEndURL: info.FrontEndURL, AdminURL: info.AdminURL, Memo: info.Memo}
		for _, f := range []struct {
			in  string
			out *string
		}{{info.UserName, &plain.UserName}, {info.Password, &plain.Password}} {
			if f.in == "" {
				continue
			}
			v, derr := s.decryptCredential(cc, f.in, enc)
			if derr != nil {
				return applied{outcome: models.OutcomeError, errClass: ClassDecrypt, errDetail: derr.Error()}, nil
			}
			*f.out = v
		}
	}
	b, _ := json.Marshal(plain)
	inst := models.Instance{MerchantID: c.MerchantID, InstanceID: id, ProductID: cc.line.ProductRef,
		Status: models.InstanceNormal, ExpireAt: cc.line.ExpireAt, AppInfoEnc: s.vault.Seal(b, appInfoPurpose),
		CreatingLineRef: cc.line.ID, CreatedAt: now, UpdatedAt: now}
	if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "creating_line_ref"}}, DoNothing: true}).
		Create(&inst).Error; err != nil {
		return applied{}, err
	}
	if err := tx.Where("creating_line_ref = ?", cc.line.ID).First(&inst).Error; err != nil {
		return applied{}, err
	}
	if err := tx.Model(&models.OrderLine{}).Where("id = ?", cc.line.ID).Update("instance_ref", inst.ID).Error; err != nil {
		return applied{}, err
	}
	to := models.LineCompleted
	if cc.product != nil && cc.product.Supervised {
		to = models.LineSupervising
	}
	if err := s.moveLine(tx, cc.line, to, "", now); err != nil {
		return applied{}, err
	}
	if err := tx.Model(&models.Call{}).Where("id = ?", c.ID).Update("instance_ref", inst.ID).Error; err != nil {
		return applied{}, err
	}
	return applied{}, s.succeed(tx, cc, now)
}

func (s *Service) decryptCredential(cc *callCtx, value string, enc koogallery.EncryptType) (string, error) {
	if enc == "" && cc.endpoint != nil {
		enc = koogallery.EncryptType(fmt.Sprint(cc.endpoint.EncryptType))
	}
	if enc != "" {
		if v, err := koogallery.Decrypt(cc.usedKey, value, enc); err == nil {
			return v, nil
		}
	}
	v, _, err := koogallery.DecryptAuto(cc.usedKey, value)
	return v, err
}

func (s *Service) succeed(tx *gorm.DB, cc *callCtx, now time.Time) error {
	to := models.CallSucceeded
	if cc.call.Restarted {
		to = models.CallRecovered
	}
	return s.moveCall(tx, cc, to, nil, "")
}

// applyFailure schedules the next attempt inside the window, or gives up:
// a create that never succeeds fails its line and unsubscribes the buyer.
func (s *Service) applyFailure(tx *gorm.DB, cc *callCtx, msg *models.InterfaceMessage, class string, now time.Time) (applied, error) {
	c := cc.call
	interval := time.Duration(c.IntervalS) * time.Second
	if c.State == models.CallPolling {
		interval = s.cfg.PollInterval
	}
	planned := now
	if c.NextAt != nil {
		planned = *c.NextAt
	}
	next := planned.Add(interval)
	if next.Before(now) {
		next = now
	}
	typeCode := models.NotifyOps
	if c.Activity == models.ActNewInstance {
		typeCode = models.NotifyProvisioning
	}
	link := fmt.Sprintf("/interface-messages/%d", msg.ID)
	if !next.After(c.DeadlineAt) {
		state := models.CallRetrying
		if c.State == models.CallPolling {
			state = models.CallPolling
		}
		if err := s.moveCall(tx, cc, state, &next, class); err != nil {
			return applied{}, err
		}
		if class != ClassNotReady {
			if err := notify.Write(tx, now, c.MerchantID, typeCode, models.M("notify.call_failed", "Activity", msg.Activity,
				"Order", msg.OrderID, "Attempt", c.Attempts, "Class", class), link); err != nil {
				return applied{}, err
			}
		}
		return applied{nextRetry: &next}, nil
	}
	if err := s.moveCall(tx, cc, models.CallFailed, nil, class); err != nil {
		return applied{}, err
	}
	if c.Activity == models.ActNewInstance && cc.line != nil && cc.line.Status == models.LineProcessing {
		if err := s.moveLine(tx, cc.line, models.LineProvisioningFailed, "auto_unsubscribed", now); err != nil {
			return applied{}, err
		}
		return applied{}, notify.Write(tx, now, c.MerchantID, typeCode, models.M("notify.auto_unsubscribed",
			"Order", msg.OrderID, "Attempts", c.Attempts), link)
	}
	return applied{}, notify.Write(tx, now, c.MerchantID, typeCode, models.M("notify.call_exhausted",
		"Activity", msg.Activity, "Order", msg.OrderID, "Instance", msg.InstanceID, "Attempts", c.Attempts), link)
}

func (s *Service) moveCall(tx *gorm.DB, cc *callCtx, to models.CallState, next *time.Time, lastErr string) error {
	if err := models.CallTransition(cc.call.State, to, cc.call.Restarted); err != nil {
		return err
	}
	b, _ := json.Marshal(cc.params)
	upd := map[string]any{"state": to, "next_at": next, "params": string(b), "updated_at": s.now()}
	if lastErr != "" || to == models.CallSucceeded || to == models.CallRecovered {
		upd["last_error"] = lastErr
	}
	if err := tx.Model(&models.Call{}).Where("id = ?", cc.call.ID).Updates(upd).Error; err != nil {
		return err
	}
	if next != nil {
		return s.schedule(tx, cc.call.ID, *next)
	}
	return nil
}

// moveLine changes a line's status through the transition table and keeps
// its order's summary status in step.
func (s *Service) moveLine(tx *gorm.DB, l *models.OrderLine, to models.LineStatus, reason string, now time.Time) error {
	if err := models.LineTransition(l.Status, to); err != nil {
		return err
	}
	var supervised bool
	if err := tx.Model(&models.Product{}).Where("id = ?", l.ProductRef).Pluck("supervised", &supervised).Error; err != nil {
		return err
	}
	if err := tx.Model(&models.OrderLine{}).Where("id = ?", l.ID).Updates(map[string]any{"status": to, "status_reason": reason,
		"supervision": models.SupervisionOf(supervised, to), "updated_at": now}).Error; err != nil {
		return err
	}
	l.Status = to
	var statuses []models.LineStatus
	if err := tx.Model(&models.OrderLine{}).Where("order_ref = ?", l.OrderRef).Pluck("status", &statuses).Error; err != nil {
		return err
	}
	return tx.Model(&models.Order{}).Where("id = ?", l.OrderRef).
		Updates(map[string]any{"status": models.OrderStatus(statuses), "updated_at": now}).Error
}

func (s *Service) moveInstance(tx *gorm.DB, inst *models.Instance, to models.InstanceStatus, now time.Time) error {
	if inst == nil {
		return nil
	}
	if err := models.InstanceTransition(inst.Status, to); err != nil {
		return err
	}
	return tx.Model(&models.Instance{}).Where("id = ?", inst.ID).Updates(map[string]any{"status": to, "updated_at": now}).Error
}
