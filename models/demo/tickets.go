package demo

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/tickets"
	"github.com/sellercenter/sellercenter/models/vault"
)

// SeedTickets gives Acme tickets in every state, replayed on a clock of
// their own through the real service so their histories and deadlines are
// what the product would have recorded: answered in time, answered late,
// waiting on the buyer, done, revoked, and — measured back from now in
// Acme's reception time — one just opened, one near breach (80 % passed) and
// one breached. Tickets whose past does not fit in the last 7 days of
// reception time (a long holiday) are left out.
func SeedTickets(ctx context.Context, db *gorm.DB, v *vault.Vault, cals tickets.Calendars, dir string) error {
	now := time.Now().UTC().Truncate(time.Second)
	clock := bizclock.NewFake(now)
	svc, err := tickets.New(db, clock, cals, v, tickets.Config{Dir: dir})
	if err != nil {
		return err
	}
	var acme models.Merchant
	if err := db.WithContext(ctx).Where("slug = ?", "acme").Take(&acme).Error; err != nil {
		return err
	}
	cal, ok, err := cals.ForMerchant(ctx, acme.ID)
	if err != nil || !ok {
		return err
	}
	who := map[string]models.Actor{}
	for _, email := range []string{"owner@acme.test", "staff@acme.test", "buyer@demo.test"} {
		var u models.User
		if err := db.WithContext(ctx).Where("email = ?", email).Take(&u).Error; err != nil {
			return err
		}
		who[email] = models.ActorOf(&u, "127.0.0.1")
	}
	staff, owner, buyer := who["staff@acme.test"], who["owner@acme.test"], who["buyer@demo.test"]
	type step struct {
		after time.Duration // reception time after the ticket opened
		do    func(id int64) error
	}
	reply := func(by models.Actor, kind, body string) func(int64) error {
		return func(id int64) error {
			return svc.Reply(ctx, by, id, tickets.ReplyInput{Kind: kind, Body: body})
		}
	}
	act := func(by models.Actor, a models.TicketAction) func(int64) error {
		return func(id int64) error {
			if models.TicketActionBy(a) {
				return svc.BuyerAct(ctx, by, id, a)
			}
			return svc.Act(ctx, by, id, a)
		}
	}
	assign := func(to models.Actor) func(int64) error {
		return func(id int64) error { return svc.Assign(ctx, owner, id, to.UserID) }
	}
	demo := []struct {
		id, product, customer, name, title, content string
		ago                                         time.Duration // reception time since it opened
		steps                                       []step
	}{
		{"ACME-TK-0001", "00301-100002-0--0", BuyerCustomerID, "杭州云帆科技有限公司", "年付版发票抬头如何修改", "发票抬头需要改为新公司名称，请问在哪里操作？",
			5 * time.Hour, []step{{5 * time.Minute, reply(staff, models.TicketMsgReply, "您好，可在“账户设置 > 发票信息”中修改抬头，修改后新开发票生效。")},
				{8 * time.Minute, act(staff, models.TicketAskConfirm)}, {20 * time.Minute, act(buyer, models.TicketConfirm)}}},
		{"ACME-TK-0002", "00301-100001-0--0", BuyerCustomerID, "杭州云帆科技有限公司", "试用账号到期后数据是否保留", "试用到期后转正式，之前的数据还在吗？",
			4 * time.Hour, []step{{25 * time.Minute, reply(owner, models.TicketMsgReply, "抱歉回复晚了：转正式后数据全部保留。")}}},
		{"ACME-TK-0003", "00301-100003-0--0", "hw-cust-1003", "Northwind Traders", "实施排期确认", "Could the implementation start next Monday?",
			3 * time.Hour, []step{{2 * time.Minute, reply(staff, models.TicketMsgNote, "实施团队下周一有空档，待确认。")},
				{6 * time.Minute, reply(staff, models.TicketMsgReply, "Yes, we can start next Monday at 10:00. An engineer will call you.")}}},
		{"ACME-TK-0004", "00301-100001-0--0", BuyerCustomerID, "杭州云帆科技有限公司", "导入客户数据失败", "导入 Excel 时提示第 12 行格式错误。",
			2 * time.Hour, []step{{4 * time.Minute, reply(staff, models.TicketMsgReply, "第 12 行的手机号多了空格，已为您修正模板，请重新导入后确认。")},
				{5 * time.Minute, act(staff, models.TicketAskConfirm)}}},
		{"ACME-TK-0005", "00301-100001-0--0", BuyerCustomerID, "杭州云帆科技有限公司", "误提交的工单", "请忽略。",
			time.Hour, []step{{2 * time.Minute, act(buyer, models.TicketRevoke)}}},
		{"ACME-TK-0006", "00301-100002-0--0", "hw-cust-1003", "Northwind Traders", "Renewal price", "What will the renewal cost next year?",
			40 * time.Minute, []step{{1 * time.Minute, assign(staff)}, {3 * time.Minute, reply(staff, models.TicketMsgNote, "需要财务确认续费折扣。")}}},
		{"ACME-TK-0007", "00301-100001-0--0", "hw-cust-1002", "深圳星河数据", "登录后页面空白", "管理员登录后首页一直空白，换浏览器也一样。",
			13 * time.Minute, nil},
		{"ACME-TK-0008", "00301-100001-0--0", BuyerCustomerID, "杭州云帆科技有限公司", "如何添加子账号", "想给同事开一个只读账号。",
			3 * time.Minute, nil},
	}
	for _, d := range demo {
		start, ok := backBusiness(cal, now, d.ago)
		if !ok {
			continue
		}
		clock.Set(start)
		if _, _, err := svc.Accept(ctx, tickets.Input{TicketID: d.id, ProductID: d.product, CustomerID: d.customer,
			CustomerName: d.name, Title: d.title, Content: d.content, CreateTime: start}); err != nil {
			return fmt.Errorf("demo ticket %s: %w", d.id, err)
		}
		var id int64
		if err := db.WithContext(ctx).Model(&models.Ticket{}).Where("ticket_id = ?", d.id).Pluck("id", &id).Error; err != nil {
			return err
		}
		for _, st := range d.steps {
			at, _ := cal.AddBusiness(start, st.after)
			clock.Set(at)
			if err := st.do(id); err != nil {
				return fmt.Errorf("demo ticket %s at +%s: %w", d.id, st.after, err)
			}
		}
	}
	return nil
}

// backBusiness is the latest instant at most 7 days back from which d of
// reception time has passed by now: the start a clock needs to show d
// elapsed. ok is false when the last 7 days hold less reception time.
func backBusiness(cal *bizclock.Calendar, now time.Time, d time.Duration) (time.Time, bool) {
	lo, hi := now.Add(-tickets.MaxAge+time.Minute), now
	if cal.Elapsed(lo, now) < d {
		return time.Time{}, false
	}
	for hi.Sub(lo) > time.Second {
		mid := lo.Add(hi.Sub(lo) / 2).Truncate(time.Second)
		if cal.Elapsed(mid, now) >= d {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo, true
}
