package demo

import (
	"context"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/demands"
)

// demandSpec is one demo demand: assigned age ago, then answered after
// the given delays (zero: left alone).
type demandSpec struct {
	merchant, title, customer, product, desc string
	age                                      time.Duration
	accept, reject, note, link, close        time.Duration
	reason, noteText, order                  string
}

const day = 24 * time.Hour

var demoDemands = []demandSpec{
	{merchant: "acme", title: "私有化部署方案咨询", customer: "杭州云帆科技有限公司", product: "00301-100002-0--0",
		desc: "客户希望在自有机房部署，需要评估硬件配置与实施周期。", age: time.Hour},
	{merchant: "acme", title: "多账号批量开通", customer: "深圳星河数据", product: "00301-100001-0--0",
		desc: "约 200 个子账号需要批量开通，希望提供导入模板。", age: 5*day - 3*time.Hour},
	{merchant: "acme", title: "数据迁移支持", customer: "Northwind Traders", product: "00301-100003-0--0",
		desc: "从旧系统迁移约 50 GB 历史数据。", age: 3 * day, accept: 2 * time.Hour, note: 5 * time.Hour,
		noteText: "已与客户电话沟通，下周提供迁移方案与报价。", link: 30 * time.Hour, order: "ORD-ACME-0002"},
	{merchant: "acme", title: "定制报表开发", customer: "杭州云帆科技有限公司", age: 4 * day, reject: 26 * time.Hour,
		desc: "需要按客户口径定制 12 张经营报表。", reason: "定制开发不在本商品服务范围内，建议联系实施伙伴。"},
	{merchant: "acme", title: "海外节点接入", customer: "Northwind Traders", age: 8 * day,
		desc: "希望在新加坡节点部署。"},
	{merchant: "acme", title: "年度续费折扣", customer: "深圳星河数据", age: 12 * day, accept: day, close: 4 * day,
		desc: "客户询问三年期续费优惠。"},
	{merchant: "globex", title: "单点登录集成", customer: "杭州云帆科技有限公司", product: "00302-200001-0--0",
		desc: "需要对接客户的 LDAP。", age: 2 * day},
	{merchant: "globex", title: "API 调用量扩容", customer: "Northwind Traders", age: 3 * day, accept: 4 * time.Hour,
		desc: "月调用量预计翻倍。"},
	{merchant: "globex", title: "驻场培训", customer: "深圳星河数据", age: 6 * day, reject: 3 * day,
		desc: "希望安排两天驻场培训。", reason: "目前没有驻场服务能力，可提供线上培训。"},
	{merchant: "globex", title: "旧版本兼容", customer: "深圳星河数据", age: 9 * day, desc: "客户仍在使用 2019 版客户端。"},
}

// SeedDemands replays a few days of customer demands on a clock of its own,
// so each state shows at both merchants: pending (one with hours left),
// accepted with notes and a linked order, rejected, closed by the merchant
// and closed by the system at the deadline; reminders and the auto-close
// fire at their instants. The caller hands the open demands' timers to the
// job runner (Service.RescheduleOpen).
func SeedDemands(ctx context.Context, db *gorm.DB) error {
	now := time.Now().UTC().Truncate(time.Second)
	clock := bizclock.NewFake(now)
	svc := demands.New(db, clock, nil)
	timers := &demands.TimerLog{}
	svc.SetQueue(timers)
	actors := map[string]models.Actor{}
	for _, email := range []string{"ops@demo.test", "owner@acme.test", "staff@acme.test", "owner@globex.test"} {
		var u models.User
		if err := db.WithContext(ctx).Where("email = ?", email).First(&u).Error; err != nil {
			return err
		}
		actors[email] = models.ActorOf(&u, "127.0.0.1")
	}
	owner := map[string]models.Actor{"acme": actors["staff@acme.test"], "globex": actors["owner@globex.test"]}
	type step struct {
		at time.Time
		do func() error
	}
	var steps []step
	for _, sp := range demoDemands {
		var id int64
		start := now.Add(-sp.age)
		steps = append(steps, step{start, func() error {
			d, err := svc.Assign(ctx, actors["ops@demo.test"], demands.AssignInput{Merchant: sp.merchant, Title: sp.title,
				Description: sp.desc, CustomerName: sp.customer, ProductID: sp.product})
			if err != nil {
				return err
			}
			id = d.ID
			return nil
		}})
		a := owner[sp.merchant]
		then := func(after time.Duration, f func() error) {
			if after > 0 {
				steps = append(steps, step{start.Add(after), f})
			}
		}
		then(sp.accept, func() error { return svc.Accept(ctx, a, id) })
		then(sp.reject, func() error { return svc.Reject(ctx, a, id, sp.reason, true) })
		then(sp.note, func() error { return svc.AddNote(ctx, a, id, sp.noteText) })
		then(sp.link, func() error { return svc.LinkOrder(ctx, a, id, sp.order) })
		then(sp.close, func() error { return svc.Close(ctx, a, id) })
	}
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].at.Before(steps[j].at) })
	// fireUntil fires the timers that come due by t, each at its own
	// instant, as the job runner would have.
	fireUntil := func(t time.Time) error {
		for {
			tm, ok := timers.Take(t)
			if !ok {
				return nil
			}
			clock.Set(tm.At)
			if _, err := svc.Fire(ctx, tm.ID, tm.Kind); err != nil {
				return err
			}
		}
	}
	for _, st := range steps {
		if err := fireUntil(st.at); err != nil {
			return err
		}
		clock.Set(st.at)
		if err := st.do(); err != nil {
			return fmt.Errorf("demo demands at %s: %w", st.at.Format(time.RFC3339), err)
		}
	}
	return fireUntil(now)
}
