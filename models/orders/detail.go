package orders

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
	"github.com/sellercenter/sellercenter/models/vault"
)

// Event is one entry of an order's timeline.
type Event struct {
	At   time.Time
	Kind string // received, attempt, auto_unsubscribed, audit
	Msg  models.Msg
	Link models.Link
	Bad  bool // a failure, shown as such
}

// Detail is an order with its lines, instances and timeline.
type Detail struct {
	Order    models.Order
	Buyer    models.Buyer
	Timeline []Event
	// ActsOn are the orders that created the instances this order's lines
	// act on (a renewal's or unsubscription's original order); Later the
	// orders acting since on the instances this one created.
	ActsOn, Later []Related
	// What the viewer may reveal (owner/tech: credentials; owner: buyer PII).
	CanRevealCredentials bool
	CanRevealBuyer       bool
}

// CanRevealCredentialsOf says the viewer may reveal the line's credentials:
// only a line that provisioned its instance holds them; a line acting on an
// existing instance (TargetInstanceID) carries none of its own.
func (d *Detail) CanRevealCredentialsOf(l models.OrderLine) bool {
	return d.CanRevealCredentials && l.Instance != nil && l.TargetInstanceID == ""
}

// Revealer decrypts what the detail page reveals on request.
type Revealer struct {
	db    *gorm.DB
	vault *vault.Vault
	clock interface{ Now() time.Time }
}

// NewRevealer builds the reveal service.
func NewRevealer(db *gorm.DB, v *vault.Vault, clock interface{ Now() time.Time }) Revealer {
	return Revealer{db: db, vault: v, clock: clock}
}

func (s Service) load(ctx context.Context, actor models.Actor, id int64) (*models.Order, error) {
	if !actor.Can(models.PermOrdersView) {
		return nil, models.ErrForbidden
	}
	q := s.db.WithContext(ctx).Preload("Lines", func(db *gorm.DB) *gorm.DB { return db.Order("id") }).
		Preload("Lines.Product").Preload("Lines.Instance").Where("id = ?", id)
	if !actor.IsPlatform() {
		q = q.Where("merchant_id = ?", actor.MerchantID)
	}
	var o models.Order
	if err := q.First(&o).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, models.ErrNotFound
		}
		return nil, err
	}
	return &o, nil
}

// Get returns an order visible to the actor; another merchant's is not found.
func (s Service) Get(ctx context.Context, actor models.Actor, id int64) (*Detail, error) {
	o, err := s.load(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	d := &Detail{Order: *o, CanRevealCredentials: actor.Can(models.PermCredentialsView),
		CanRevealBuyer: actor.Can(models.PermBuyerPIIView)}
	db := s.db.WithContext(ctx)
	if err := db.First(&d.Buyer, o.BuyerID).Error; err != nil {
		return nil, err
	}
	d.Timeline = append(d.Timeline, Event{At: o.ReceivedAt, Kind: "received",
		Msg: models.M("timeline.received", "Type", models.M("order.type."+o.OrderType))})
	lineIDs, instIDs := []int64{}, []int64{}
	for _, l := range o.Lines {
		lineIDs = append(lineIDs, l.ID)
		if l.InstanceRef != nil {
			instIDs = append(instIDs, *l.InstanceRef)
		}
	}
	if d.ActsOn, d.Later, err = s.related(ctx, o, instIDs); err != nil {
		return nil, err
	}
	evs, err := s.instanceEvents(ctx, instIDs)
	if err != nil {
		return nil, err
	}
	d.Timeline = append(d.Timeline, evs...)
	var callIDs []int64
	if err := db.Model(&models.Call{}).Where("order_line_ref IN ? OR (order_line_ref IS NULL AND instance_ref IN ?)", lineIDs, instIDs).
		Pluck("id", &callIDs).Error; err != nil {
		return nil, err
	}
	var msgs []models.InterfaceMessage
	if len(callIDs) > 0 {
		if err := db.Select("id, call_ref, at, activity, attempt_no, outcome, result_code, error_class, manual").
			Where("call_ref IN ?", callIDs).Order("id").Limit(500).Find(&msgs).Error; err != nil {
			return nil, err
		}
	}
	for _, m := range msgs {
		d.Timeline = append(d.Timeline, Event{At: m.At, Kind: "attempt", Link: models.LinkTo(models.ScreenInterfaceMessage, m.CallRef),
			Bad: m.Outcome == models.OutcomeError || m.Outcome == models.OutcomeInterrupted,
			Msg: models.M("timeline.attempt", "Activity", models.M("activity."+m.Activity), "N", m.AttemptNo,
				"Outcome", models.M("outcome."+m.Outcome), "Code", m.ResultCode)})
	}
	// 自动退订: the platform closed a line whose create window ran out.
	var closed []models.Call
	if len(callIDs) > 0 {
		if err := db.Select("id, order_line_id, attempts, window_s, closed_at").Where("id IN ? AND closed_at IS NOT NULL", callIDs).
			Find(&closed).Error; err != nil {
			return nil, err
		}
	}
	for _, c := range closed {
		d.Timeline = append(d.Timeline, Event{At: *c.ClosedAt, Kind: "auto_unsubscribed", Bad: true,
			Link: models.LinkTo(models.ScreenInterfaceMessage, c.ID),
			Msg:  models.M("timeline.auto_unsubscribed", "Line", c.OrderLineID, "Attempts", c.Attempts, "Hours", c.WindowS/3600)})
	}
	targets := []string{strconv.FormatInt(o.ID, 10)}
	for _, c := range callIDs {
		targets = append(targets, strconv.FormatInt(c, 10))
	}
	var entries []models.AuditEntry
	if err := db.Where("merchant_id = ? AND ((target_type = 'call' AND target_id IN ?) OR (target_type = 'order' AND target_id = ?))",
		o.MerchantID, targets[1:], targets[0]).Order("id").Limit(200).Find(&entries).Error; err != nil {
		return nil, err
	}
	for _, e := range entries {
		d.Timeline = append(d.Timeline, Event{At: e.At, Kind: "audit",
			Msg: models.M("timeline.audit", "Who", e.ActorEmail, "Action", e.Action)})
	}
	sort.SliceStable(d.Timeline, func(i, j int) bool { return d.Timeline[i].At.Before(d.Timeline[j].At) })
	return d, nil
}

// Credentials decrypts a line's instance credentials for the owner or tech
// role; every reveal is audited.
func (r Revealer) Credentials(ctx context.Context, actor models.Actor, orderID, lineID int64) (*models.AppInfo, error) {
	if !actor.Can(models.PermCredentialsView) {
		return nil, models.ErrForbidden
	}
	o, err := Service{db: r.db}.load(ctx, actor, orderID)
	if err != nil {
		return nil, err
	}
	var inst *models.Instance
	for _, l := range o.Lines {
		if l.ID == lineID && l.Instance != nil {
			inst = l.Instance
		}
	}
	if inst == nil {
		return nil, models.ErrNotFound
	}
	b, err := r.vault.Open(inst.AppInfoEnc, vault.PurposeAppInfo)
	if err != nil {
		return nil, err
	}
	var ai models.AppInfo
	if err := json.Unmarshal(b, &ai); err != nil {
		return nil, err
	}
	err = r.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return audit.Write(tx, r.clock.Now(), actor, audit.Event{Action: models.AuditCredentialsView, MerchantID: o.MerchantID,
			TargetType: "order", TargetID: o.ID, Detail: map[string]any{"instance": inst.InstanceID}})
	})
	return &ai, err
}

// Buyer decrypts an order's buyer details for the owner; audited.
func (r Revealer) Buyer(ctx context.Context, actor models.Actor, orderID int64) (*models.BuyerPII, error) {
	if !actor.Can(models.PermBuyerPIIView) {
		return nil, models.ErrForbidden
	}
	o, err := Service{db: r.db}.load(ctx, actor, orderID)
	if err != nil {
		return nil, err
	}
	var b models.Buyer
	if err := r.db.WithContext(ctx).First(&b, o.BuyerID).Error; err != nil {
		return nil, err
	}
	plain, err := r.vault.Open(b.PIIEnc, vault.PurposeBuyerPII)
	if err != nil {
		return nil, err
	}
	var pii models.BuyerPII
	if err := json.Unmarshal(plain, &pii); err != nil {
		return nil, err
	}
	err = r.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return audit.Write(tx, r.clock.Now(), actor, audit.Event{Action: models.AuditBuyerPIIView, MerchantID: o.MerchantID,
			TargetType: "order", TargetID: o.ID, Detail: map[string]any{"customer": b.CustomerID}})
	})
	return &pii, err
}
