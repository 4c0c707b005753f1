package provisioning

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/web/koogallery"
)

// errCrashed is what RunCall returns when the crash hook fired (tests).
var errCrashed = errors.New("provisioning: simulated crash after send")

// Error classes the core adds to the protocol's: the call could not be sent.
const (
	ClassConfig      = "config"      // no endpoint or no active key
	ClassInterrupted = "interrupted" // the process died before the answer was recorded
)

// RunCall makes one attempt of a call planned for plannedAt. A job whose
// plan is stale (the call was restarted or already moved on) does nothing,
// so duplicate deliveries never make a second attempt.
func (s *Service) RunCall(ctx context.Context, callID int64, plannedAt time.Time) error {
	cc, msg, err := s.beginAttempt(ctx, callID, plannedAt)
	if err != nil || cc == nil {
		return err
	}
	out, cfgErr := s.send(ctx, cc)
	if s.crashAfterSend != nil && s.crashAfterSend() {
		return errCrashed
	}
	return s.finishAttempt(ctx, cc, msg, out, cfgErr)
}

// beginAttempt records the attempt as in flight before anything is sent, so
// even a crash leaves a trace; a previous in-flight attempt of the same call
// is what such a crash left, and is marked interrupted.
func (s *Service) beginAttempt(ctx context.Context, callID int64, plannedAt time.Time) (*callCtx, *models.InterfaceMessage, error) {
	now := s.now()
	var cc *callCtx
	var msg *models.InterfaceMessage
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var c models.Call
		if err := tx.First(&c, callID).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return nil
			}
			return err
		}
		switch c.State {
		case models.CallSucceeded, models.CallFailed, models.CallRecovered:
			return nil
		}
		if c.NextAt == nil || !c.NextAt.Equal(plannedAt.UTC()) {
			return nil // stale job
		}
		if err := tx.Model(&models.InterfaceMessage{}).Where("call_ref = ? AND outcome = ?", c.ID, models.OutcomeInFlight).
			Updates(map[string]any{"outcome": models.OutcomeInterrupted, "error_class": ClassInterrupted}).Error; err != nil {
			return err
		}
		var err error
		cc, err = s.loadCallCtx(tx, c)
		if err != nil {
			return err
		}
		c.Attempts++
		if err := tx.Model(&models.Call{}).Where("id = ?", c.ID).
			Updates(map[string]any{"attempts": c.Attempts, "manual_by": "", "updated_at": now}).Error; err != nil {
			return err
		}
		cc.call.Attempts = c.Attempts
		msg = &models.InterfaceMessage{MerchantID: c.MerchantID, CallRef: c.ID, AttemptNo: c.Attempts, At: now,
			Activity: string(cc.wireActivity()), OrderID: cc.orderID(), OrderLineID: cc.lineID(),
			InstanceID: cc.instanceID(), Outcome: models.OutcomeInFlight, Manual: c.ManualBy != "", ActorEmail: c.ManualBy}
		if cc.endpoint != nil {
			msg.Protocol, msg.URL = cc.endpoint.Protocol, koogallery.MaskURL(cc.endpoint.URL)
		}
		return tx.Create(msg).Error
	})
	return cc, msg, err
}

// loadCallCtx gathers what building the call needs, in one transaction.
func (s *Service) loadCallCtx(tx *gorm.DB, c models.Call) (*callCtx, error) {
	cc := &callCtx{call: c}
	if err := json.Unmarshal([]byte(c.Params), &cc.params); err != nil {
		return nil, fmt.Errorf("call %d params: %w", c.ID, err)
	}
	var ep models.Endpoint
	if err := tx.Where("merchant_id = ?", c.MerchantID).First(&ep).Error; err == nil {
		cc.endpoint = &ep
		cc.version = koogallery.V1
		if ep.Protocol == "v2" {
			cc.version = koogallery.V2
		}
	} else if !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, err
	}
	if c.OrderLineRef != nil {
		var l models.OrderLine
		if err := tx.Preload("Product").First(&l, *c.OrderLineRef).Error; err != nil {
			return nil, err
		}
		cc.line, cc.product = &l, l.Product
		var o models.Order
		if err := tx.Preload("Buyer").First(&o, l.OrderRef).Error; err != nil {
			return nil, err
		}
		cc.order, cc.buyer = &o, o.Buyer
	}
	if c.InstanceRef != nil {
		var inst models.Instance
		if err := tx.First(&inst, *c.InstanceRef).Error; err != nil {
			return nil, err
		}
		cc.instance = &inst
		if cc.product == nil {
			var p models.Product
			if err := tx.First(&p, inst.ProductID).Error; err == nil {
				cc.product = &p
			}
		}
		var orderID string
		if err := tx.Table("order_lines").Select("orders.order_id").Joins("JOIN orders ON orders.id = order_lines.order_ref").
			Where("order_lines.id = ?", inst.CreatingLineRef).Scan(&orderID).Error; err != nil {
			return nil, err
		}
		cc.creatingOrder = orderID
	}
	if cc.creatingOrder == "" && cc.order != nil && models.CreatesInstance(cc.order.OrderType) {
		cc.creatingOrder = cc.order.OrderID
	}
	return cc, nil
}

// send makes the call outside any transaction. A missing endpoint or key is a
// configuration failure: retried like any other, so fixing it is enough.
func (s *Service) send(ctx context.Context, cc *callCtx) (*koogallery.Outcome, error) {
	if cc.endpoint == nil {
		return nil, errors.New("no production interface is configured")
	}
	active, keys, err := s.catalog.SigningKeys(ctx, cc.call.MerchantID)
	if err != nil {
		return nil, err
	}
	customerName := ""
	if cc.buyer != nil {
		if b, err := s.vault.Open(cc.buyer.PIIEnc, piiPurpose); err == nil {
			var pii models.BuyerPII
			_ = json.Unmarshal(b, &pii)
			customerName = pii.CustomerName
		}
	}
	req := cc.request(customerName)
	release, err := s.limits.acquire(ctx, cc.call.MerchantID, cc.endpoint.MaxConcurrency)
	if err != nil {
		return nil, err
	}
	defer release()
	timeout := time.Duration(cc.endpoint.TimeoutMS) * time.Millisecond
	var out *koogallery.Outcome
	// During a key rotation's overlap the merchant may still run the old key:
	// a signature refusal is retried at once with each retiring key.
	for i, key := range keys {
		if i > 0 && key == active {
			continue
		}
		cctx, cancel := context.WithTimeout(ctx, timeout)
		out, _ = s.client.Call(cctx, koogallery.Endpoint{URL: cc.endpoint.URL, Key: key, Version: cc.version}, req)
		cancel()
		cc.usedKey = key
		if !(out.Class == koogallery.ClassBadBodySign || out.ResultCode == koogallery.ResultAuthFailed) {
			break
		}
	}
	return out, nil
}

// finishAttempt records the answer and moves the state machines, all in one
// transaction together with the follow-up schedule and notification.
func (s *Service) finishAttempt(ctx context.Context, cc *callCtx, msg *models.InterfaceMessage, out *koogallery.Outcome, cfgErr error) error {
	now := s.now()
	upd := map[string]any{}
	if cfgErr != nil {
		upd["outcome"], upd["error_class"], upd["error_detail"] = models.OutcomeError, ClassConfig, cfgErr.Error()
	} else {
		ex := out.Exchange.Masked()
		upd["method"], upd["url"] = ex.Method, ex.URL
		upd["request_headers"], upd["request_body"] = headerText(ex.RequestHeaders), ex.RequestBody
		upd["response_status"], upd["response_headers"], upd["response_body"] = ex.ResponseStatus, headerText(ex.ResponseHeaders), ex.ResponseBody
		upd["body_sign"] = bodySignText(ex.BodySign)
		upd["result_code"] = string(out.ResultCode)
		upd["latency_ms"] = ex.Latency.Milliseconds()
		if out.OK() {
			upd["outcome"], upd["error_class"] = models.OutcomeOK, ""
		} else {
			upd["outcome"], upd["error_class"] = models.OutcomeError, string(out.Class)
			if out.Err != nil {
				upd["error_detail"] = truncate(out.Err.Error(), 1000)
			}
		}
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res, err := s.apply(tx, cc, msg, out, cfgErr, now)
		if err != nil {
			return err
		}
		if res.nextRetry != nil {
			upd["next_retry_at"] = *res.nextRetry
		}
		if res.outcome != "" {
			upd["outcome"] = res.outcome
			upd["error_class"] = res.errClass
			if res.errClass == "-" {
				upd["error_class"] = ""
			}
			if res.errDetail != "" {
				upd["error_detail"] = truncate(res.errDetail, 1000)
			}
		}
		return tx.Model(&models.InterfaceMessage{}).Where("id = ? AND outcome = ?", msg.ID, models.OutcomeInFlight).Updates(upd).Error
	})
}

func headerText(h http.Header) string {
	if len(h) == 0 {
		return ""
	}
	var b strings.Builder
	_ = h.Write(&b)
	return b.String()
}

func bodySignText(c koogallery.BodySignCheck) string {
	switch c {
	case koogallery.BodySignOK, koogallery.BodySignLenient:
		return "ok"
	case koogallery.BodySignMissing:
		return "missing"
	case koogallery.BodySignMalformed, koogallery.BodySignMismatch:
		return "bad"
	}
	return ""
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
