package orderseed

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/db/bulk"
)

type gen struct {
	tx  *sql.Tx
	cfg Config
	res *Result
	r   *rand.Rand

	products  [][]product // per merchant, best-selling first
	weights   [][]float64
	buyerBase int64
	instances [][]int64 // per merchant: ids of instances created so far

	orders, lines, insts, calls, msgs *bulk.Batch
	nextID                            map[string]int64
}

var lineCols = []string{"id", "order_ref", "merchant_id", "order_line_id", "product_ref", "sku_code", "charging_mode",
	"period_type", "period_number", "amount", "currency", "expire_at", "target_instance_id", "instance_ref", "status",
	"status_reason", "updated_at", "order_code", "order_type", "ordered_at", "buyer_ref", "supervision"}

func (g *gen) run(ctx context.Context) error {
	g.nextID = map[string]int64{}
	for _, t := range []string{"products", "buyers", "orders", "order_lines", "instances", "calls"} {
		var id int64
		if err := g.tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) + 1 FROM `+t).Scan(&id); err != nil {
			return err
		}
		g.nextID[t] = id
	}
	if err := g.seedProducts(ctx); err != nil {
		return err
	}
	if err := g.seedBuyers(ctx); err != nil {
		return err
	}
	g.orders = bulk.New(g.tx, "orders", "id", "merchant_id", "order_id", "order_type", "buyer_id", "status",
		"amount", "currency", "created_at", "received_at", "updated_at", "request_hash")
	g.lines = bulk.New(g.tx, "order_lines", lineCols...)
	g.insts = bulk.New(g.tx, "instances", "id", "merchant_id", "instance_id", "product_id", "status",
		"expire_at", "creating_line_ref", "created_at", "updated_at")
	g.calls = bulk.New(g.tx, "calls", "id", "merchant_id", "activity", "order_line_ref", "instance_ref", "params",
		"state", "business_id", "attempts", "interval_s", "window_s", "first_at", "deadline_at", "last_error",
		"created_at", "updated_at", "order_id", "order_line_id", "closed_at")
	g.msgs = bulk.New(g.tx, "interface_messages", "merchant_id", "call_ref", "attempt_no", "at", "activity",
		"order_id", "order_line_id", "instance_id", "protocol", "method", "url", "request_body", "response_status",
		"response_body", "body_sign", "result_code", "outcome", "error_class", "error_detail", "latency_ms")
	all := []*bulk.Batch{g.orders, g.lines, g.insts, g.calls, g.msgs}
	defer func() {
		for _, b := range all {
			b.Close()
		}
	}()
	g.instances = make([][]int64, len(plans))
	if err := g.seedOrders(ctx); err != nil {
		return err
	}
	for _, b := range all {
		if err := b.Flush(ctx); err != nil {
			return err
		}
	}
	return nil
}

// modeCycle assigns charging modes to a merchant's products by rank: mostly
// periodic, some one-time, and pay-per-use ones that sell little.
var modeCycle = []string{"month", "year", "month", models.ChargingOneTime, "month", "year", models.ChargingOneTime, "month",
	models.ChargingOnDemandPkg, "month", models.ChargingOneTime, models.ChargingOnDemand}

var families = []string{"CRM", "ERP", "企业邮箱", "云办公", "数据中台", "安全审计", "视频会议", "电子签章", "客服系统", "财务云", "HR SaaS", "BI 报表"}
var editions = []string{"标准版", "专业版", "旗舰版", "基础版", "企业版", "入门版"}

func (g *gen) seedProducts(ctx context.Context) error {
	b := bulk.New(g.tx, "products", "id", "merchant_id", "product_id", "sku_code", "name", "kind",
		"charging_mode", "period_type", "supervised", "trial_allowed", "status", "created_at", "updated_at")
	defer b.Close()
	created := g.cfg.Now.Add(-g.cfg.Span - 24*time.Hour)
	g.products = make([][]product, len(plans))
	g.weights = make([][]float64, len(plans))
	for mi, p := range plans {
		g.weights[mi] = zipfWeights(p.products, 1.1)
		for j := range p.products {
			pr := product{id: g.nextID["products"], merchantSlot: mi,
				code: fmt.Sprintf("%05d-%06d-0--0", 401+mi, 100001+j), sku: fmt.Sprintf("%s-%02d", p.slug, j/2)}
			g.nextID["products"]++
			switch modeCycle[j%len(modeCycle)] {
			case "month":
				pr.mode, pr.periodType, pr.price = models.ChargingPeriod, "month", 2900+100*g.r.Int64N(470)
			case "year":
				pr.mode, pr.periodType, pr.price = models.ChargingPeriod, "year", 29000+1000*g.r.Int64N(470)
			case models.ChargingOneTime:
				pr.mode, pr.price = models.ChargingOneTime, 50000+10000*g.r.Int64N(195)
			case models.ChargingOnDemandPkg:
				pr.mode, pr.price = models.ChargingOnDemandPkg, 10000+1000*g.r.Int64N(90)
			default:
				pr.mode, pr.price = models.ChargingOnDemand, 100+100*g.r.Int64N(50)
			}
			pr.supervised = pr.mode == models.ChargingOneTime && g.r.Float64() < 0.7 || pr.mode == models.ChargingPeriod && g.r.Float64() < 0.1
			pr.trial = pr.mode == models.ChargingPeriod && g.r.Float64() < 0.5
			kind := models.KindSaaS
			if pr.mode == models.ChargingOneTime && pr.supervised {
				kind = models.KindService
			}
			name := fmt.Sprintf("%s %s %s", p.name, families[(mi*7+j)%len(families)], editions[j%len(editions)])
			switch pr.periodType {
			case "month":
				name += "（月付）"
			case "year":
				name += "（年付）"
			}
			g.products[mi] = append(g.products[mi], pr)
			if err := b.Add(ctx, pr.id, g.res.Merchants[mi].ID, pr.code, pr.sku, name, kind, pr.mode, pr.periodType,
				pr.supervised, pr.trial, models.ProductOnSale, created, created); err != nil {
				return err
			}
		}
		g.res.Products += p.products
	}
	g.res.TopProduct = g.products[0][0].code
	g.res.RareProduct = g.products[0][len(g.products[0])-1].code
	return b.Flush(ctx)
}

var cities = []string{"杭州", "深圳", "北京", "上海", "成都", "武汉", "南京", "苏州", "西安", "广州"}
var trades = []string{"科技", "数据", "网络", "信息", "软件", "智能", "云计算", "电子商务"}

func (g *gen) seedBuyers(ctx context.Context) error {
	b := bulk.New(g.tx, "buyers", "id", "customer_id", "name_masked", "created_at", "updated_at")
	defer b.Close()
	g.buyerBase = g.nextID["buyers"]
	at := g.cfg.Now.Add(-g.cfg.Span - 24*time.Hour)
	for i := range buyerCount {
		name := cities[i%len(cities)] + "*" + trades[(i/len(cities))%len(trades)] + "有限公司"
		if err := b.Add(ctx, g.buyerBase+int64(i), customerID(i), name, at, at); err != nil {
			return err
		}
	}
	g.res.Buyers = buyerCount
	return b.Flush(ctx)
}

func customerID(rank int) string { return fmt.Sprintf("hw-cust-%07d", 1000001+rank) }

// instanceCode derives an instance id from its row id, so the generator
// keeps only row ids in memory.
func instanceCode(id int64) string {
	x := uint64(id) * 0x9E3779B97F4A7C15
	y := (x ^ x>>31) * 0xBF58476D1CE4E5B9
	return fmt.Sprintf("%016x%016x", x, y^y>>29)
}

// orderTypes and typeWeights are the mix of order types, by share of orders.
var (
	orderTypes = []string{models.OrderNew, models.OrderRenew, models.OrderTrial, models.OrderTrialToFormal,
		models.OrderChange, models.OrderUnsubscribe}
	typeWeights = []float64{0.52, 0.24, 0.07, 0.04, 0.06, 0.07}
)

func (g *gen) seedOrders(ctx context.Context) error {
	total := g.cfg.Lines
	shares := make([]float64, len(plans))
	for i, p := range plans {
		shares[i] = p.share
	}
	perBuyer := make([]int32, buyerCount) // orders of the largest merchant per buyer
	begin := g.cfg.Now.Add(-g.cfg.Span)
	recentFrom := g.cfg.Now.Add(-30 * 24 * time.Hour)
	for g.res.Lines = 0; g.res.Lines < total; {
		// Orders grow over time: the density rises linearly to 3× the
		// start's, so the inverse of its CDF spreads the lines.
		u := (float64(g.res.Lines) + g.r.Float64()) / float64(total)
		t := (-1 + math.Sqrt(1+8*u)) / 2
		at := begin.Add(time.Duration(t * float64(g.cfg.Span))).Truncate(time.Second)
		if at.After(g.cfg.Now.Add(-time.Minute)) {
			at = g.cfg.Now.Add(-time.Minute)
		}
		mi := pick(g.r, shares)
		n := 1
		if x := g.r.Float64(); x < 0.03 {
			n = 3
		} else if x < 0.12 {
			n = 2
		}
		n = min(n, total-g.res.Lines)
		rank := int(float64(buyerCount) * math.Pow(g.r.Float64(), 2.5))
		if mi == 0 {
			perBuyer[rank]++
		}
		code := "CS" + at.Format("0601021504") + randStr(g.r, 5, alnum)
		if mi == 0 && g.res.RecentOrder == "" && at.After(recentFrom) {
			g.res.RecentOrder = code
		}
		if err := g.order(ctx, mi, n, code, at, g.buyerBase+int64(rank)); err != nil {
			return err
		}
		g.res.Lines += n
		g.res.Merchants[mi].Lines += n
		g.res.Orders++
	}
	g.res.HeavyCustomer, g.res.LightCustomer = customerSamples(perBuyer)
	return nil
}

// customerSamples picks the buyer with the most orders and one from the
// tail with a handful, from the largest merchant's orders per buyer rank.
func customerSamples(perBuyer []int32) (heavy, light string) {
	h, l := 0, -1
	for i, c := range perBuyer {
		if c > perBuyer[h] {
			h = i
		}
		if l < 0 && c >= 3 && c <= 6 && i > len(perBuyer)/2 {
			l = i
		}
	}
	if l < 0 {
		l = len(perBuyer) - 1
	}
	return customerID(h), customerID(l)
}

// order writes one order with n lines, each with its call, messages and,
// for a created instance, the instance.
func (g *gen) order(ctx context.Context, mi, n int, code string, at time.Time, buyer int64) error {
	orderID := g.nextID["orders"]
	g.nextID["orders"]++
	typ := orderTypes[pick(g.r, typeWeights)]
	mid := g.res.Merchants[mi].ID
	currency := "CNY"
	if g.r.Float64() < plans[mi].usd {
		currency = "USD"
	}
	age := g.cfg.Now.Sub(at)
	var orderAmount int64
	var orderStatus models.LineStatus
	for k := range n {
		p := g.products[mi][pick(g.r, g.weights[mi])]
		lineType := typ
		if (typ == models.OrderTrial || typ == models.OrderTrialToFormal) && !p.trial {
			lineType = models.OrderNew
		}
		if k == 0 {
			typ = lineType // the order's type is its first line's
		}
		lineID := g.nextID["order_lines"]
		g.nextID["order_lines"]++
		status := g.lineStatus(p, lineType, age)
		if k == 0 {
			orderStatus = status
		}
		periods := 0
		var expire any
		amount := p.price
		if p.mode == models.ChargingPeriod {
			if p.periodType == "month" {
				periods = []int{1, 1, 1, 3, 6, 12}[g.r.IntN(6)]
				expire = at.AddDate(0, periods, 0)
			} else {
				periods = []int{1, 1, 1, 2, 3}[g.r.IntN(5)]
				expire = at.AddDate(periods, 0, 0)
			}
			amount *= int64(periods)
		}
		switch lineType {
		case models.OrderTrial:
			amount = 0
		case models.OrderUnsubscribe:
			// A cancelled renewal refunds; other unsubscribes are free.
			if g.r.IntN(2) == 0 {
				amount = -amount
			} else {
				amount = 0
			}
		}
		if currency == "USD" {
			amount /= 7
		}
		orderAmount += amount
		var instRef any
		target := ""
		if models.CreatesInstance(lineType) {
			if status != models.LineProvisioningFailed && status != models.LineProcessing {
				id := g.nextID["instances"]
				g.nextID["instances"]++
				st := models.InstanceNormal
				if status == models.LineUnsubscribed {
					st = models.InstanceReleased
				}
				if err := g.insts.Add(ctx, id, mid, instanceCode(id), p.id, string(st), expire, lineID, at, at); err != nil {
					return err
				}
				g.instances[mi] = append(g.instances[mi], id)
				instRef = id
			}
		} else if ids := g.instances[mi]; len(ids) > 0 {
			id := ids[g.r.IntN(len(ids))]
			instRef, target = id, instanceCode(id)
		}
		lineCode := fmt.Sprintf("%s-%06d", code, k+1)
		sup := models.SupervisionOf(p.supervised, status)
		if err := g.lines.Add(ctx, lineID, orderID, mid, lineCode, p.id, p.sku, p.mode, p.periodType, periods, amount,
			currency, expire, target, instRef, string(status), "", at, code, lineType, at, buyer, string(sup)); err != nil {
			return err
		}
		inst := target
		if id, ok := instRef.(int64); ok {
			inst = instanceCode(id)
		}
		if err := g.call(ctx, mi, lineID, instRef, lineType, status, code, lineCode, inst, at); err != nil {
			return err
		}
	}
	return g.orders.Add(ctx, orderID, mid, code, typ, buyer, string(orderStatus), orderAmount, currency, at, at, at, "bench")
}

// lineStatus draws a line's status: fresh lines are still provisioning,
// supervised ones stay open for weeks, old ones have mostly completed.
func (g *gen) lineStatus(p product, typ string, age time.Duration) models.LineStatus {
	x := g.r.Float64()
	switch {
	case age < 3*time.Hour && x < 0.7:
		return models.LineProcessing
	case p.supervised && age < 45*24*time.Hour && x < 0.5:
		if x < 0.45 {
			return models.LineSupervising
		}
		return models.LineProcessing
	case typ == models.OrderUnsubscribe:
		return models.LineCompleted
	case x < 0.895:
		return models.LineCompleted
	case x < 0.965:
		return models.LineUnsubscribed
	case x < 0.995:
		return models.LineProvisioningFailed
	}
	return models.LineProcessing
}

// activities are the calls the core's intake makes for each order type
// (provisioning's lineActivity): calls.activity holds the core's name, which
// is what a restarted call is dispatched on.
var activities = map[string]string{
	models.OrderNew: models.ActNewInstance, models.OrderTrial: models.ActNewInstance,
	models.OrderTrialToFormal: models.ActRefreshInstance, models.OrderRenew: models.ActRefreshInstance,
	models.OrderChange: models.ActUpgrade, models.OrderUnsubscribe: models.ActReleaseInstance,
}

// wireActivity is the name a V2 endpoint is sent for a core activity, as
// the message log records it (provisioning's wireActivity): the seeded
// messages are all V2.
func wireActivity(act string) string {
	if act == models.ActUpgrade {
		return models.ActUpgradeInstance
	}
	return act
}

// call writes the line's provisioning call and one message per attempt.
func (g *gen) call(ctx context.Context, mi int, lineID int64, instRef any, typ string, status models.LineStatus,
	orderCode, lineCode, inst string, at time.Time) error {
	id := g.nextID["calls"]
	g.nextID["calls"]++
	mid := g.res.Merchants[mi].ID
	state, attempts := models.CallSucceeded, 1
	switch {
	case status == models.LineProvisioningFailed || status == models.LineUnsubscribed && g.r.IntN(3) == 0:
		state, attempts = models.CallFailed, 3+g.r.IntN(4)
	case status == models.LineProcessing:
		state, attempts = models.CallRetrying, 1+g.r.IntN(2)
	case g.r.IntN(10) == 0:
		attempts = 2 + g.r.IntN(2) // succeeded after retries
	}
	first := at.Add(time.Duration(1+g.r.IntN(30)) * time.Second)
	last := first.Add(time.Duration(attempts-1) * 2 * time.Minute)
	lastErr := ""
	if state != models.CallSucceeded {
		lastErr = "timeout"
	}
	act, wire := activities[typ], wireActivity(activities[typ])
	// A create that failed to provision its line was auto-unsubscribed.
	var closed any
	if state == models.CallFailed && act == models.ActNewInstance && status == models.LineProvisioningFailed {
		closed = last
	}
	if err := g.calls.Add(ctx, id, mid, act, lineID, instRef, "{}", string(state), fmt.Sprintf("%032x", uint64(id)*2654435761),
		attempts, 120, 7200, first, first.Add(2*time.Hour), lastErr, first, last, orderCode, lineCode, closed); err != nil {
		return err
	}
	url := fmt.Sprintf("https://%s.example.com/saas/produce", plans[mi].slug)
	for k := 1; k <= attempts; k++ {
		mat := first.Add(time.Duration(k-1) * 2 * time.Minute)
		ok := k == attempts && state == models.CallSucceeded
		req := `{"activity":"` + wire + `","orderId":"` + orderCode + `","orderLineId":"` + lineCode + `","testFlag":"0"}`
		status, body, sign, code, outcome, class, detail, latency := 200, `{"resultCode":"000000","resultMsg":"success.","instanceId":"`+inst+`"}`,
			"ok", "000000", "ok", "", "", 40+g.r.IntN(200)
		if !ok {
			status, body, sign, code, outcome, class, detail, latency = 0, "", "", "", "error", "timeout",
				"context deadline exceeded (Client.Timeout exceeded while awaiting headers)", 5000
		}
		if err := g.msgs.Add(ctx, mid, id, k, mat, wire, orderCode, lineCode, inst, "v2", "POST", url, req, status, body, sign,
			code, outcome, class, detail, latency); err != nil {
			return err
		}
	}
	return nil
}
