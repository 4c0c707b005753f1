package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/supervision"
)

// SupervisedProduct is Acme's supervised implementation service.
const SupervisedProduct = "00301-100003-0--0"

// supDemo is one demo flow: its age and the steps it went through, each a
// day apart unless it says otherwise.
type supDemo struct {
	code  string
	age   time.Duration
	steps []string
}

// The demo flows, one at every node, one rejected twice, one past its SLA,
// one over 180 days, one with an open appeal awaiting operations and one
// ruled; all for the demo buyer's customer.
var supDemos = []supDemo{
	{"ORD-ACME-SUP-01", 1 * 24 * time.Hour, nil},
	{"ORD-ACME-SUP-02", 2 * 24 * time.Hour, []string{"submit"}},
	{"ORD-ACME-SUP-03", 3 * 24 * time.Hour, []string{"submit", "confirm"}},
	{"ORD-ACME-SUP-04", 4 * 24 * time.Hour, []string{"submit", "confirm", "deliver"}},
	{"ORD-ACME-SUP-05", 6 * 24 * time.Hour, []string{"submit", "confirm", "deliver", "accept"}},
	{"ORD-ACME-SUP-06", 6 * 24 * time.Hour, []string{"submit", "reject", "submit", "reject", "submit"}},
	{"ORD-ACME-SUP-07", 40 * 24 * time.Hour, []string{"submit", "confirm"}},
	{"ORD-ACME-SUP-08", 200 * 24 * time.Hour, []string{"submit", "confirm", "deliver"}},
	{"ORD-ACME-SUP-09", 5 * 24 * time.Hour, []string{"submit", "confirm", "deliver", "refuse", "appeal"}},
	{"ORD-ACME-SUP-10", 8 * 24 * time.Hour, []string{"submit", "confirm", "deliver", "refuse", "appeal", "rule"}},
}

// SeedSupervision starts the flow of the replayed supervised order and adds
// the demo flows, each replayed on a clock of its own through the real
// service (core: the app's provisioning core; dir: the app's document
// directory), its timers fired up to now so SLA flags and long-running
// warnings are as they would be.
func SeedSupervision(ctx context.Context, db *gorm.DB, core supervision.Core, dir string) error {
	now := time.Now().UTC().Truncate(time.Second)
	clock := bizclock.NewFake(now)
	svc, err := supervision.New(db, clock, nil, supervision.Config{Dir: dir})
	if err != nil {
		return err
	}
	q := &supervision.TimerLog{}
	svc.SetQueue(q)
	svc.SetCore(core)
	actors := map[string]models.Actor{}
	for _, email := range []string{"ops@demo.test", "owner@acme.test"} {
		var u models.User
		if err := db.WithContext(ctx).Where("email = ?", email).First(&u).Error; err != nil {
			return err
		}
		actors[email] = models.ActorOf(&u, "127.0.0.1")
	}
	var tmpl models.OrderLine
	if err := db.WithContext(ctx).Where("order_code = ?", "ORD-ACME-0003").Take(&tmpl).Error; err != nil {
		return fmt.Errorf("demo supervision: %w", err)
	}
	if tmpl.Status == models.LineSupervising {
		if err := svc.Start(ctx, tmpl.ID); err != nil {
			return err
		}
	}
	var buyer models.Buyer
	if err := db.WithContext(ctx).Where("customer_id = ?", BuyerCustomerID).Take(&buyer).Error; err != nil {
		return fmt.Errorf("demo supervision buyer: %w", err)
	}
	fire := func() error {
		for {
			t, ok := q.Take(now)
			if !ok {
				return nil
			}
			if t.At.After(clock.Now()) {
				clock.Set(t.At)
			}
			if _, err := svc.Fire(ctx, t.ID, t.Kind); err != nil {
				return err
			}
		}
	}
	for _, sd := range supDemos {
		start := now.Add(-sd.age)
		clock.Set(start)
		lineID, err := supLine(ctx, db, tmpl, buyer.ID, sd.code, start)
		if err != nil {
			return err
		}
		if err := svc.Start(ctx, lineID); err != nil {
			return err
		}
		var flowID int64
		if err := db.WithContext(ctx).Model(&models.SupFlow{}).Where("line_ref = ?", lineID).Pluck("id", &flowID).Error; err != nil {
			return err
		}
		line := sd.code + "-1"
		owner, ops := actors["owner@acme.test"], actors["ops@demo.test"]
		for i, st := range sd.steps {
			clock.Advance(time.Duration(i%3+1) * 7 * time.Hour)
			ev := fmt.Sprintf("%s-%d", sd.code, i)
			switch st {
			case "submit":
				_, _, err = svc.BuyerEvent(ctx, line, ev, supervision.EvSubmitRequirements,
					"在杭州、上海两地机房完成部署与培训，验收前提供部署报告。", nil)
			case "confirm":
				err = svc.Act(ctx, owner, flowID, supervision.MerchantInput{Action: models.SupConfirmReq})
			case "reject":
				err = svc.Act(ctx, owner, flowID, supervision.MerchantInput{Action: models.SupRejectReq,
					Text: "需求缺少机房地址与联系人，请补充后重新提交。"})
			case "deliver":
				err = svc.Act(ctx, owner, flowID, supervision.MerchantInput{Action: models.SupDeliver, Text: "部署完成，报告见附件。",
					Files: []supervision.Upload{{Name: "部署报告.pdf", R: strings.NewReader("%PDF-1.4\n% demo deployment report\n")}}})
			case "accept":
				_, _, err = svc.BuyerEvent(ctx, line, ev, supervision.EvAccept, "", nil)
			case "refuse":
				_, _, err = svc.BuyerEvent(ctx, line, ev, supervision.EvReject, "上海机房尚未完成培训，不同意验收。", nil)
			case "appeal":
				_, err = svc.Appeal(ctx, owner, flowID, supervision.AppealInput{Reason: "培训已于上周完成，签到表已上传，请判定验收。",
					Outcome: models.SupOutcomeAccept})
			case "rule":
				var appealID int64
				if err = db.WithContext(ctx).Model(&models.SupAppealRow{}).Where("flow_ref = ?", flowID).
					Pluck("id", &appealID).Error; err == nil {
					err = svc.Rule(ctx, ops, appealID, models.SupRuleAccept, "签到表与部署报告齐全，判定验收。")
				}
			}
			if err != nil {
				return fmt.Errorf("demo supervision %s %s: %w", sd.code, st, err)
			}
		}
		if err := fire(); err != nil {
			return fmt.Errorf("demo supervision timers: %w", err)
		}
	}
	return nil
}

// supLine records a supervised order of one line for the demo buyer, a copy
// of the replayed supervised order under another code, without an instance.
func supLine(ctx context.Context, db *gorm.DB, tmpl models.OrderLine, buyerRef int64, code string, at time.Time) (int64, error) {
	var id int64
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		o := models.Order{MerchantID: tmpl.MerchantID, OrderID: code, OrderType: models.OrderNew, BuyerID: buyerRef,
			Status: models.LineSupervising, Amount: tmpl.Amount, Currency: tmpl.Currency, CreatedAt: at, ReceivedAt: at,
			UpdatedAt: at, RequestHash: "demo-" + code}
		if err := tx.Omit("Lines", "Buyer").Create(&o).Error; err != nil {
			return err
		}
		l := tmpl
		l.ID, l.OrderRef, l.OrderLineID, l.OrderCode, l.OrderedAt, l.BuyerRef = 0, o.ID, code+"-1", code, at, buyerRef
		l.InstanceRef, l.Status, l.StatusReason, l.UpdatedAt = nil, models.LineSupervising, "", at
		l.Product, l.Instance = nil, nil
		if l.ExpireAt != nil {
			e := at.AddDate(1, 0, 0)
			l.ExpireAt = &e
		}
		if err := tx.Create(&l).Error; err != nil {
			return err
		}
		id = l.ID
		return nil
	})
	return id, err
}
