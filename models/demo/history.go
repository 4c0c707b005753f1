package demo

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/catalog"
	"github.com/sellercenter/sellercenter/models/provisioning"
	"github.com/sellercenter/sellercenter/models/vault"
)

// replayScheduler keeps planned attempts in memory while history is replayed.
type replayScheduler struct {
	mu   sync.Mutex
	jobs []provisioning.CallArgs
}

func (r *replayScheduler) Schedule(_ context.Context, _ *sql.Tx, id int64, at time.Time) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.jobs = append(r.jobs, provisioning.CallArgs{CallID: id, At: at.UTC()})
	return nil
}

func (r *replayScheduler) take(until time.Time) (provisioning.CallArgs, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	sort.SliceStable(r.jobs, func(i, j int) bool { return r.jobs[i].At.Before(r.jobs[j].At) })
	if len(r.jobs) == 0 || r.jobs[0].At.After(until) {
		return provisioning.CallArgs{}, false
	}
	j := r.jobs[0]
	r.jobs = r.jobs[1:]
	return j, true
}

// step is something that happens at an offset into the replayed history.
type step struct {
	at time.Duration
	do func(ctx context.Context, h *history) error
}

type history struct {
	core   *provisioning.Service
	sb     Endpoints
	clock  *bizclock.Fake
	sched  *replayScheduler
	db     *gorm.DB
	owners map[string]models.Actor
}

func (h *history) order(id, typ, product, instance, amount string, period int) func(context.Context, *history) error {
	return func(ctx context.Context, h *history) error {
		var p models.Product
		if err := h.db.WithContext(ctx).Where("product_id = ?", product).First(&p).Error; err != nil {
			return err
		}
		l := provisioning.LineInput{OrderLineID: id + "-000001", ProductID: product, SKUCode: p.SKUCode,
			ChargingMode: p.ChargingMode, Amount: amount, InstanceID: instance}
		if p.ChargingMode == models.ChargingPeriod {
			l.PeriodType, l.PeriodNumber = p.PeriodType, period
			exp := h.clock.Now().AddDate(0, period, 0)
			if p.PeriodType == "year" {
				exp = h.clock.Now().AddDate(period, 0, 0)
			}
			l.ExpireTime = &exp
		}
		_, _, err := h.core.AcceptOrder(ctx, provisioning.OrderInput{OrderID: id, OrderType: typ,
			CreateTime: h.clock.Now().Add(-time.Minute), Buyer: buyerFor(id), Lines: []provisioning.LineInput{l}})
		return err
	}
}

func (h *history) instanceOf(ctx context.Context, orderID string) (string, error) {
	v, err := h.core.Order(ctx, orderID)
	if err != nil {
		return "", err
	}
	if len(v.Lines) == 0 || v.Lines[0].InstanceID == "" {
		return "", fmt.Errorf("demo: order %s has no instance yet", orderID)
	}
	return v.Lines[0].InstanceID, nil
}

var buyers = []provisioning.BuyerInput{
	{CustomerID: "hw-cust-1001", CustomerName: "杭州云帆科技有限公司", Email: "it@yunfan.example"},
	{CustomerID: "hw-cust-1002", CustomerName: "深圳星河数据", MobilePhone: "13800000002"},
	{CustomerID: "hw-cust-1003", CustomerName: "Northwind Traders", Email: "ops@northwind.example"},
}

func buyerFor(orderID string) provisioning.BuyerInput {
	n := 0
	for _, r := range orderID {
		n += int(r)
	}
	return buyers[n%len(buyers)]
}

// SeedHistory replays three hours of provisioning against the demo
// sandboxes on a clock of its own, so a new demo database shows every state:
// completed, supervised, renewed, frozen and unsubscribed orders at Acme;
// at Globex a create that exhausted its window and was auto-unsubscribed, one
// recovered by 重新启动, and live retries.
//
// The invoices service hears the refunds (as in the app), and finance issues
// ORD-ACME-0005's invoice before its unsubscribe: the unsubscribe flags it
// 需退票. invoiceDir is the invoices service's file directory.
func SeedHistory(ctx context.Context, db *gorm.DB, v *vault.Vault, cat *catalog.Service, startEndpoints StartEndpoints,
	invoiceDir string) error {
	start := time.Now().UTC().Add(-3 * time.Hour).Truncate(time.Minute)
	clock := bizclock.NewFake(start)
	sb, err := startEndpoints(clock.Now)
	if err != nil {
		return err
	}
	defer sb.Close()
	if err := PointEndpoints(ctx, db, sb.URLs()); err != nil {
		return err
	}
	core := provisioning.New(db, clock, v, cat, provisioning.Config{AllowPrivate: true, PollInterval: 30 * time.Second})
	sched := &replayScheduler{}
	core.SetScheduler(sched)
	inv, err := newDemoInvoices(ctx, db, clock, invoiceDir, "IR-DEMO-H")
	if err != nil {
		return err
	}
	core.SetRefundHook(inv.svc)
	invoiceBeforeUnsubscribe := func(ctx context.Context, h *history) error {
		id, err := inv.request(ctx, "ORD-ACME-0005")
		if err != nil {
			return err
		}
		return inv.issue(ctx, id, h.clock.Now())
	}
	h := &history{core: core, sb: sb, clock: clock, sched: sched, db: db, owners: map[string]models.Actor{}}
	for _, email := range []string{"owner@globex.test"} {
		var u models.User
		if err := db.WithContext(ctx).Where("email = ?", email).First(&u).Error; err != nil {
			return err
		}
		h.owners[email] = models.ActorOf(&u, "127.0.0.1")
	}
	event := func(orderID, ev string) func(context.Context, *history) error {
		return func(ctx context.Context, h *history) error {
			id, err := h.instanceOf(ctx, orderID)
			if err != nil {
				return err
			}
			_, err = h.core.InstanceEvent(ctx, id, ev)
			return err
		}
	}
	renew := func(orderID, newID, amount string) func(context.Context, *history) error {
		return func(ctx context.Context, h *history) error {
			id, err := h.instanceOf(ctx, orderID)
			if err != nil {
				return err
			}
			return h.order(newID, models.OrderRenew, "00301-100002-0--0", id, amount, 1)(ctx, h)
		}
	}
	unsubscribe := func(orderID, newID string) func(context.Context, *history) error {
		return func(ctx context.Context, h *history) error {
			id, err := h.instanceOf(ctx, orderID)
			if err != nil {
				return err
			}
			return h.order(newID, models.OrderUnsubscribe, "00301-100001-0--0", id, "0", 1)(ctx, h)
		}
	}
	globexFaults := func(rate float64) func(context.Context, *history) error {
		return func(context.Context, *history) error { return h.sb.SetFailRate("globex", rate) }
	}
	restartGlobex := func(orderID string) func(context.Context, *history) error {
		return func(ctx context.Context, h *history) error {
			var callID int64
			err := h.db.WithContext(ctx).Table("calls").Select("calls.id").
				Joins("JOIN order_lines ON order_lines.id = calls.order_line_ref").
				Joins("JOIN orders ON orders.id = order_lines.order_ref").
				Where("orders.order_id = ?", orderID).Scan(&callID).Error
			if err != nil {
				return err
			}
			return h.core.Restart(ctx, h.owners["owner@globex.test"], callID)
		}
	}
	steps := []step{
		{0, globexFaults(1)},
		{0, h.order("ORD-ACME-0001", models.OrderNew, "00301-100001-0--0", "", "99.00", 1)},
		{2 * time.Minute, h.order("ORD-GLOBEX-0001", models.OrderNew, "00302-200001-0--0", "", "49.00", 1)},
		{5 * time.Minute, h.order("ORD-ACME-0002", models.OrderNew, "00301-100002-0--0", "", "999.00", 1)},
		{10 * time.Minute, h.order("ORD-ACME-0003", models.OrderNew, "00301-100003-0--0", "", "5000.00", 0)},
		{15 * time.Minute, h.order("ORD-ACME-0004", models.OrderTrial, "00301-100001-0--0", "", "0", 1)},
		{20 * time.Minute, renew("ORD-ACME-0002", "ORD-ACME-0006", "999.00")},
		{25 * time.Minute, h.order("ORD-ACME-0005", models.OrderNew, "00301-100001-0--0", "", "99.00", 3)},
		{30 * time.Minute, event("ORD-ACME-0004", "freeze")},
		{35 * time.Minute, invoiceBeforeUnsubscribe},
		{40 * time.Minute, unsubscribe("ORD-ACME-0005", "ORD-ACME-0007")},
		{60 * time.Minute, h.order("ORD-GLOBEX-0002", models.OrderNew, "00302-200001-0--0", "", "49.00", 1)},
		{125 * time.Minute, globexFaults(0)},
		{125 * time.Minute, restartGlobex("ORD-GLOBEX-0002")},
		{140 * time.Minute, globexFaults(GlobexFailRate)},
		{150 * time.Minute, h.order("ORD-ACME-0008", models.OrderNew, "00301-100001-0--0", "", "99.00", 12)},
		{170 * time.Minute, h.order("ORD-GLOBEX-0003", models.OrderNew, "00302-200001-0--0", "", "49.00", 1)},
	}
	end := start.Add(3 * time.Hour)
	for _, st := range steps {
		if err := h.runUntil(ctx, start.Add(st.at)); err != nil {
			return err
		}
		if err := st.do(ctx, h); err != nil {
			return fmt.Errorf("demo history at +%s: %w", st.at, err)
		}
	}
	return h.runUntil(ctx, end)
}

// runUntil performs every planned attempt up to t, moving the clock to each.
func (h *history) runUntil(ctx context.Context, t time.Time) error {
	for {
		j, ok := h.sched.take(t)
		if !ok {
			break
		}
		if j.At.After(h.clock.Now()) {
			h.clock.Set(j.At)
		}
		if err := h.core.RunCall(ctx, j.CallID, j.At); err != nil {
			return err
		}
	}
	if t.After(h.clock.Now()) {
		h.clock.Set(t)
	}
	return nil
}
