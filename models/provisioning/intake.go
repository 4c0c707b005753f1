package provisioning

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/buyers"
	"github.com/sellercenter/sellercenter/models/vault"
)

const piiPurpose = vault.PurposeBuyerPII

// LineView is an order line as the intake API reports it.
type LineView struct {
	OrderLineID string `json:"orderLineId"`
	ProductID   string `json:"productId"`
	InstanceID  string `json:"instanceId,omitempty"`
	Status      string `json:"status"`
	Amount      string `json:"amount"`
	// Supervision is where a supervised line's flow stands (服务监管).
	Supervision *LineSupervision `json:"supervision,omitempty"`
}

// LineSupervision is a supervised line's node and appeal state.
type LineSupervision struct {
	Node   models.SupNode   `json:"node"`
	Appeal models.SupAppeal `json:"appeal"`
}

// OrderView is an order as the intake API reports it.
type OrderView struct {
	OrderID    string     `json:"orderId"`
	OrderType  string     `json:"orderType"`
	Status     string     `json:"status"`
	CreateTime time.Time  `json:"createTime"`
	Amount     string     `json:"amount"`
	Currency   string     `json:"currency"`
	Lines      []LineView `json:"lines"`
}

// AcceptOrder records an order and queues its calls in one transaction. The
// same order id again returns the recorded order (created=false); the same id
// with other content is a conflict.
func (s *Service) AcceptOrder(ctx context.Context, in OrderInput) (view *OrderView, created bool, err error) {
	now := s.now()
	in.CreateTime = in.CreateTime.UTC()
	for i := range in.Lines {
		if in.Lines[i].Currency == "" {
			in.Lines[i].Currency = "CNY"
		}
	}
	if v := in.validate(now); v.Err() != nil {
		return nil, false, v
	}
	hash := models.RequestHash(in)
	var orderRef int64
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var existing models.Order
		err := tx.Where("order_id = ?", in.OrderID).First(&existing).Error
		if err == nil {
			if existing.RequestHash != hash {
				return &models.ConflictError{Msg: models.M("err.order_conflict")}
			}
			orderRef = existing.ID
			return nil
		}
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		created = true
		id, err := s.insertOrder(tx, in, hash, now)
		orderRef = id
		return err
	})
	if err != nil {
		return nil, false, err
	}
	view, err = s.orderView(ctx, orderRef)
	return view, created, err
}

func (s *Service) insertOrder(tx *gorm.DB, in OrderInput, hash string, now time.Time) (int64, error) {
	v := &models.ValidationError{}
	lineIDs := make([]string, len(in.Lines))
	for i, l := range in.Lines {
		lineIDs[i] = l.OrderLineID
	}
	var taken int64
	if err := tx.Model(&models.OrderLine{}).Where("order_line_id IN ?", lineIDs).Count(&taken).Error; err != nil {
		return 0, err
	}
	if taken > 0 {
		return 0, &models.ConflictError{Msg: models.M("err.line_conflict")}
	}
	products := make([]models.Product, len(in.Lines))
	targets := make([]*models.Instance, len(in.Lines))
	var merchantID int64
	for i, l := range in.Lines {
		f := func(name string) string { return fmt.Sprintf("lines[%d].%s", i, name) }
		if err := tx.Where("product_id = ?", l.ProductID).First(&products[i]).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				v.Add(f("productId"), models.M("err.product_unknown"))
				continue
			}
			return 0, err
		}
		p := products[i]
		if p.Status != models.ProductOnSale {
			v.Add(f("productId"), models.M("err.product_not_on_sale"))
		}
		if merchantID == 0 {
			merchantID = p.MerchantID
		} else if merchantID != p.MerchantID {
			v.Add(f("productId"), models.M("err.mixed_merchants"))
		}
		if p.ChargingMode != l.ChargingMode {
			v.Add(f("chargingMode"), models.M("err.charging_mismatch", "Mode", p.ChargingMode))
		}
		if in.OrderType == models.OrderTrial && !p.TrialAllowed {
			v.Add(f("productId"), models.M("err.trial_not_allowed"))
		}
		if !models.CreatesInstance(in.OrderType) {
			var inst models.Instance
			err := tx.Where("merchant_id = ? AND instance_id = ?", p.MerchantID, l.InstanceID).First(&inst).Error
			switch {
			case errors.Is(err, gorm.ErrRecordNotFound):
				v.Add(f("instanceId"), models.M("err.instance_unknown"))
			case err != nil:
				return 0, err
			case inst.Status == models.InstanceReleased:
				v.Add(f("instanceId"), models.M("err.instance_released"))
			default:
				targets[i] = &inst
			}
		}
	}
	if err := v.Err(); err != nil {
		return 0, err
	}
	buyerID, err := buyers.Save(tx, s.vault, in.Buyer.CustomerID, models.BuyerPII{CustomerName: in.Buyer.CustomerName,
		UserID: in.Buyer.UserID, UserName: in.Buyer.UserName, MobilePhone: in.Buyer.MobilePhone, Email: in.Buyer.Email}, now, true)
	if err != nil {
		return 0, err
	}
	var total int64
	amounts := make([]int64, len(in.Lines))
	for i, l := range in.Lines {
		amounts[i], _ = ParseAmount(l.Amount)
		total += amounts[i]
	}
	o := &models.Order{MerchantID: merchantID, OrderID: in.OrderID, OrderType: in.OrderType, BuyerID: buyerID,
		Status: models.LineProcessing, Amount: total, Currency: in.Lines[0].Currency, CreatedAt: in.CreateTime,
		ReceivedAt: now, UpdatedAt: now, RequestHash: hash}
	if err := tx.Create(o).Error; err != nil {
		return 0, err
	}
	for i, l := range in.Lines {
		line := &models.OrderLine{OrderRef: o.ID, MerchantID: merchantID, OrderLineID: l.OrderLineID,
			ProductRef: products[i].ID, SKUCode: l.SKUCode, ChargingMode: l.ChargingMode, PeriodType: l.PeriodType,
			PeriodNumber: l.PeriodNumber, Amount: amounts[i], Currency: l.Currency, ExpireAt: utcPtr(l.ExpireTime),
			TargetInstanceID: l.InstanceID, Status: models.LineProcessing, UpdatedAt: now,
			OrderCode: in.OrderID, OrderType: in.OrderType, OrderedAt: in.CreateTime, BuyerRef: buyerID,
			Supervision: models.SupervisionOf(products[i].Supervised, models.LineProcessing)}
		if targets[i] != nil {
			line.InstanceRef = &targets[i].ID
		}
		if err := tx.Create(line).Error; err != nil {
			return 0, err
		}
		activity, params := lineActivity(in.OrderType, amounts[i])
		call := s.newCall(merchantID, activity, params, now)
		call.OrderLineRef = &line.ID
		call.InstanceRef = line.InstanceRef
		call.OrderID, call.OrderLineID = in.OrderID, l.OrderLineID
		if err := s.insertCall(tx, call); err != nil {
			return 0, err
		}
	}
	return o.ID, nil
}

// CallParams says what a call does beyond its activity.
type CallParams struct {
	Scene  string `json:"scene,omitempty"`  // refreshInstance scene
	Status string `json:"status,omitempty"` // FREEZE or UNFREEZE
	Event  string `json:"event,omitempty"`  // instance event that caused the call
	// InstanceID is the merchant's answer to an asynchronous create (000004),
	// polled with queryInstance.
	InstanceID string `json:"instanceId,omitempty"`
}

func lineActivity(orderType string, amount int64) (string, CallParams) {
	switch orderType {
	case models.OrderRenew:
		if amount < 0 {
			return models.ActRefreshInstance, CallParams{Scene: "UNSUBSCRIBE_RENEWAL_PERIOD"}
		}
		return models.ActRefreshInstance, CallParams{Scene: "RENEWAL"}
	case models.OrderTrialToFormal:
		return models.ActRefreshInstance, CallParams{Scene: "TRIAL_TO_FORMAL"}
	case models.OrderUnsubscribe:
		return models.ActReleaseInstance, CallParams{}
	case models.OrderChange:
		return models.ActUpgrade, CallParams{}
	}
	return models.ActNewInstance, CallParams{}
}

func (s *Service) newCall(merchantID int64, activity string, p CallParams, now time.Time) *models.Call {
	pol := s.cfg.policy(activity)
	b, _ := json.Marshal(p)
	return &models.Call{MerchantID: merchantID, Activity: activity, Params: string(b), State: models.CallPending,
		BusinessID: newBusinessID(), IntervalS: int(pol.Interval / time.Second), WindowS: int(pol.Window / time.Second),
		FirstAt: now, DeadlineAt: now.Add(pol.Window), NextAt: &now, CreatedAt: now, UpdatedAt: now}
}

// insertCall records a call and schedules its first attempt in the same
// transaction.
func (s *Service) insertCall(tx *gorm.DB, c *models.Call) error {
	// The log lists and filters calls by their line's order.
	if c.OrderLineRef != nil && c.OrderID == "" {
		if err := s.run(tx).row(`SELECT order_code, order_line_id FROM order_lines WHERE id = ?`, []any{*c.OrderLineRef},
			&c.OrderID, &c.OrderLineID); err != nil {
			return err
		}
	}
	if err := tx.Create(c).Error; err != nil {
		return err
	}
	return s.schedule(tx, c.ID, *c.NextAt)
}

func (s *Service) schedule(tx *gorm.DB, callID int64, at time.Time) error {
	if s.sched == nil {
		return errors.New("provisioning: no scheduler installed")
	}
	return s.sched.Schedule(tx.Statement.Context, sqlTx(tx), callID, at)
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// Order returns an order by its marketplace id, for the intake API.
func (s *Service) Order(ctx context.Context, orderID string) (*OrderView, error) {
	var id int64
	err := s.db.WithContext(ctx).Model(&models.Order{}).Where("order_id = ?", orderID).Pluck("id", &id).Error
	if err != nil {
		return nil, err
	}
	if id == 0 {
		return nil, models.ErrNotFound
	}
	return s.orderView(ctx, id)
}

func (s *Service) orderView(ctx context.Context, id int64) (*OrderView, error) {
	var o models.Order
	if err := s.db.WithContext(ctx).Preload("Lines", func(db *gorm.DB) *gorm.DB { return db.Order("id") }).
		Preload("Lines.Product").Preload("Lines.Instance").First(&o, id).Error; err != nil {
		return nil, err
	}
	v := &OrderView{OrderID: o.OrderID, OrderType: o.OrderType, Status: string(o.Status), CreateTime: o.CreatedAt,
		Amount: FormatAmount(o.Amount), Currency: o.Currency}
	refs := make([]int64, 0, len(o.Lines))
	for _, l := range o.Lines {
		refs = append(refs, l.ID)
	}
	var flows []models.SupFlow
	if err := s.db.WithContext(ctx).Select("line_ref", "node", "appeal").Where("line_ref IN ?", refs).
		Find(&flows).Error; err != nil {
		return nil, err
	}
	sup := make(map[int64]*LineSupervision, len(flows))
	for _, f := range flows {
		sup[f.LineRef] = &LineSupervision{Node: f.Node, Appeal: f.Appeal}
	}
	for _, l := range o.Lines {
		lv := LineView{OrderLineID: l.OrderLineID, Status: string(l.Status), Amount: FormatAmount(l.Amount),
			Supervision: sup[l.ID]}
		if l.Product != nil {
			lv.ProductID = l.Product.ProductID
		}
		if l.Instance != nil {
			lv.InstanceID = l.Instance.InstanceID
		}
		v.Lines = append(v.Lines, lv)
	}
	return v, nil
}
