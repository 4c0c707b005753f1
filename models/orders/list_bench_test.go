package orders_test

// The order list at 1,000,000 order lines: Service.List per filter.
//
//	go test -run '^$' -bench OrderList -benchtime 50x ./models/orders/
//
// The database is seeded once per process by orderseed (the same generator
// as `sellercenter bench seed`) in a temp dir removed by TestMain; every
// sub-benchmark times one List call (first page or the page a cursor points
// at, with the filtered set's totals) per iteration and reports its median
// and p95 in ms. Queries whose p95 misses 50 ms print their EXPLAIN QUERY
// PLAN (all of them with SELLERCENTER_BENCH_PLANS=1). Before timing, each
// case's totals are checked against a plain count and sum of the filtered
// rows. Knobs for experiments:
//
//	SELLERCENTER_BENCH_ROWS=N      seed N order lines instead of 1,000,000
//	SELLERCENTER_BENCH_SQL='CREATE INDEX …; …'  run after seeding
//	SELLERCENTER_BENCH_DB=path     use (and keep) this database: seeded if
//	                               it has no orders, reused as is otherwise
//	SELLERCENTER_BENCH_KEEP=1      keep the temp database and print its path

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/db"
	"github.com/sellercenter/sellercenter/models/orders"
	"github.com/sellercenter/sellercenter/models/orders/orderseed"
	"github.com/sellercenter/sellercenter/models/stats"
)

const listTargetMS = 50.0

// listBudget bounds the sampling of one slow query.
const listBudget = 5 * time.Second

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDB != nil {
		_ = benchDB.db.Close()
	}
	if benchDir != "" {
		if os.Getenv("SELLERCENTER_BENCH_KEEP") != "" {
			fmt.Printf("orders bench: kept %s\n", benchDir)
		} else {
			_ = os.RemoveAll(benchDir)
		}
	}
	os.Exit(code)
}

type seededOrders struct {
	db   *db.DB
	seed *orderseed.Result

	capture  atomic.Bool
	mu       sync.Mutex
	captured []capturedSQL
}

type capturedSQL struct {
	sql  string
	vars []any
}

var (
	benchOnce sync.Once
	benchDB   *seededOrders
	benchDir  string
	benchErr  error
)

func seeded(b *testing.B) *seededOrders {
	benchOnce.Do(func() { benchDB, benchErr = openSeeded() })
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchDB
}

func openSeeded() (*seededOrders, error) {
	ctx := context.Background()
	rows := 1_000_000
	if n, err := strconv.Atoi(os.Getenv("SELLERCENTER_BENCH_ROWS")); err == nil && n > 0 {
		rows = n
	}
	path := os.Getenv("SELLERCENTER_BENCH_DB")
	if path == "" {
		dir, err := os.MkdirTemp("", "sellercenter-orders-bench-")
		if err != nil {
			return nil, err
		}
		benchDir, path = dir, filepath.Join(dir, "orders.db")
	}
	d, err := db.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	if _, err := d.Migrate(ctx); err != nil {
		return nil, err
	}
	s := &seededOrders{db: d}
	// A fixed end of history, so a kept database describes itself the same
	// way on every run.
	cfg := orderseed.Config{Lines: rows, Now: time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC), Seed: 1}
	acc := accounts.New(d.Gorm, bizclock.System, accounts.TestHashParams, accounts.DefaultLimits)
	s.seed, err = orderseed.Seed(ctx, d, acc, cfg)
	if err == orderseed.ErrNotEmpty {
		if s.seed, err = orderseed.Describe(ctx, d, cfg); err == nil {
			fmt.Printf("orders bench: reusing %s (%d lines)\n", path, s.seed.Lines)
		}
	} else if err == nil {
		var size int64
		if fi, err := os.Stat(path); err == nil {
			size = fi.Size()
		}
		fmt.Printf("orders bench: seeded %d order lines (%d orders, %d merchants, %d buyers) in %s; database %.0f MB\n",
			s.seed.Lines, s.seed.Orders, len(s.seed.Merchants), s.seed.Buyers, s.seed.Took.Round(time.Millisecond), float64(size)/1e6)
	}
	if err != nil {
		return nil, err
	}
	for _, q := range strings.Split(os.Getenv("SELLERCENTER_BENCH_SQL"), ";") {
		if q = strings.TrimSpace(q); q != "" {
			t0 := time.Now()
			if _, err := d.SQL.Exec(q); err != nil {
				return nil, fmt.Errorf("SELLERCENTER_BENCH_SQL %q: %w", q, err)
			}
			fmt.Printf("orders bench: %s (%s)\n", q, time.Since(t0).Round(time.Millisecond))
		}
	}
	capture := func(g *gorm.DB) {
		if s.capture.Load() && !g.DryRun {
			s.mu.Lock()
			s.captured = append(s.captured, capturedSQL{g.Statement.SQL.String(), slices.Clone(g.Statement.Vars)})
			s.mu.Unlock()
		}
	}
	// Find runs the query callbacks, Scan the row callbacks.
	if err := d.Gorm.Callback().Query().After("gorm:query").Register("bench:capture", capture); err != nil {
		return nil, err
	}
	if err := d.Gorm.Callback().Row().After("gorm:row").Register("bench:capture", capture); err != nil {
		return nil, err
	}
	return s, nil
}

type listCase struct {
	name     string
	platform bool
	owner    int // index of the merchant whose owner reads (default the largest)
	f        orders.Filter
	pages    int  // follow the cursor this many pages first
	empty    bool // the filter matches nothing
}

type listResult struct {
	median, p95 time.Duration
	rows        int
	total       int64
	samples     int
	plan        string
}

func listCases(s *orderseed.Result) []listCase {
	now := s.Now
	day := 24 * time.Hour
	sh := time.FixedZone("CST", 8*3600)
	// A viewer in Shanghai picks whole local days: the bounds fall at 16:00 UTC.
	shDay := func(daysAgo int) time.Time {
		t := now.In(sh)
		return time.Date(t.Year(), t.Month(), t.Day()-daysAgo, 0, 0, 0, 0, sh)
	}
	utcDay := func(daysAgo int) time.Time { return now.Truncate(day).AddDate(0, 0, -daysAgo) }
	ord := s.RecentOrder
	oldMonth := "CS" + now.AddDate(-1, 0, 0).Format("0601")
	big := s.Merchants[0].ID
	return []listCase{
		{name: "merchant/first-page"},
		{name: "merchant/time-asc", f: orders.Filter{Sort: orders.SortTimeAsc}},
		{name: "merchant/amount-desc", f: orders.Filter{Sort: orders.SortAmountDesc}},
		{name: "merchant/amount-asc", f: orders.Filter{Sort: orders.SortAmountAsc}},
		{name: "merchant/last-7-days", f: orders.Filter{From: shDay(6), To: shDay(-1)}},
		{name: "merchant/last-30-days", f: orders.Filter{From: shDay(29), To: shDay(-1)}},
		{name: "merchant/last-365-days", f: orders.Filter{From: shDay(364), To: shDay(-1)}},
		{name: "merchant/one-day-a-year-ago", f: orders.Filter{From: shDay(365), To: shDay(364)}},
		{name: "merchant/month-a-year-ago-utc", f: orders.Filter{From: utcDay(400), To: utcDay(370)}},
		{name: "merchant/from-only-90-days", f: orders.Filter{From: shDay(89)}},
		{name: "merchant/to-only-year-ago", f: orders.Filter{To: shDay(365)}},
		{name: "merchant/order-exact", f: orders.Filter{OrderPrefix: ord}},
		{name: "merchant/order-prefix-day", f: orders.Filter{OrderPrefix: ord[:8]}},
		{name: "merchant/order-prefix-month", f: orders.Filter{OrderPrefix: ord[:6]}},
		{name: "merchant/order-prefix-year", f: orders.Filter{OrderPrefix: ord[:4]}},
		{name: "merchant/order-prefix-old-month", f: orders.Filter{OrderPrefix: oldMonth}},
		{name: "merchant/order-prefix-old-month-amount", f: orders.Filter{OrderPrefix: oldMonth, Sort: orders.SortAmountDesc}},
		{name: "merchant/type-renew", f: orders.Filter{Type: models.OrderRenew}},
		{name: "merchant/type-trial-to-formal", f: orders.Filter{Type: models.OrderTrialToFormal}},
		{name: "merchant/status-completed", f: orders.Filter{Status: models.LineCompleted}},
		{name: "merchant/status-failed", f: orders.Filter{Status: models.LineProvisioningFailed}},
		{name: "merchant/status-processing", f: orders.Filter{Status: models.LineProcessing}},
		{name: "merchant/product-top", f: orders.Filter{ProductID: s.TopProduct}},
		{name: "merchant/product-rare", f: orders.Filter{ProductID: s.RareProduct}},
		{name: "merchant/charging-period", f: orders.Filter{ChargingMode: models.ChargingPeriod}},
		{name: "merchant/charging-on-demand", f: orders.Filter{ChargingMode: models.ChargingOnDemand}},
		{name: "merchant/supervision-in-progress", f: orders.Filter{Supervision: models.SupervisionInProgress}},
		{name: "merchant/supervision-done", f: orders.Filter{Supervision: models.SupervisionDone}},
		{name: "merchant/customer-heavy", f: orders.Filter{CustomerID: s.HeavyCustomer}},
		{name: "merchant/customer-light", f: orders.Filter{CustomerID: s.LightCustomer}},
		{name: "merchant/customer-light-amount", f: orders.Filter{CustomerID: s.LightCustomer, Sort: orders.SortAmountDesc}},
		{name: "merchant/status-processing-amount", f: orders.Filter{Status: models.LineProcessing, Sort: orders.SortAmountAsc}},
		{name: "merchant/status-processing-time-asc", f: orders.Filter{Status: models.LineProcessing, Sort: orders.SortTimeAsc}},
		{name: "merchant/supervision-in-progress-time-asc", f: orders.Filter{Supervision: models.SupervisionInProgress, Sort: orders.SortTimeAsc}},
		{name: "merchant/customer-heavy-amount", f: orders.Filter{CustomerID: s.HeavyCustomer, Sort: orders.SortAmountDesc}},
		{name: "merchant/last-30-days-amount", f: orders.Filter{From: shDay(29), To: shDay(-1), Sort: orders.SortAmountDesc}},
		{name: "merchant/one-day-a-year-ago-amount", f: orders.Filter{From: shDay(365), To: shDay(364), Sort: orders.SortAmountAsc}},
		{name: "merchant/failed-top-product", f: orders.Filter{Status: models.LineProvisioningFailed, ProductID: s.TopProduct}},
		{name: "merchant/failed-on-demand-pkg", f: orders.Filter{Status: models.LineProvisioningFailed, ChargingMode: models.ChargingOnDemandPkg}},
		{name: "merchant/failed-on-demand-pkg-amount", f: orders.Filter{Status: models.LineProvisioningFailed,
			ChargingMode: models.ChargingOnDemandPkg, Sort: orders.SortAmountDesc}},
		{name: "merchant/nothing-matches", empty: true, f: orders.Filter{ChargingMode: models.ChargingOnDemand,
			Supervision: models.SupervisionInProgress}},
		{name: "merchant/combined-new-completed-period-90d", f: orders.Filter{Type: models.OrderNew, Status: models.LineCompleted,
			ChargingMode: models.ChargingPeriod, From: shDay(89), To: shDay(-1)}},
		{name: "merchant/combined-failed-top-product-30d", f: orders.Filter{Status: models.LineProvisioningFailed,
			ProductID: s.TopProduct, From: shDay(29), To: shDay(-1)}},
		{name: "merchant/combined-renew-supervised-year", f: orders.Filter{Type: models.OrderRenew,
			Supervision: models.SupervisionDone, From: shDay(364), To: shDay(-1), Sort: orders.SortAmountDesc}},
		{name: "merchant/combined-heavy-customer-completed-year", f: orders.Filter{CustomerID: s.HeavyCustomer,
			Status: models.LineCompleted, From: shDay(364), To: shDay(-1)}},
		{name: "merchant/combined-prefix-month-completed", f: orders.Filter{OrderPrefix: ord[:6], Status: models.LineCompleted}},
		{name: "merchant/combined-all-filters", f: orders.Filter{Type: models.OrderNew, Status: models.LineCompleted,
			ProductID: s.TopProduct, ChargingMode: models.ChargingPeriod, Supervision: models.SupervisionNone,
			CustomerID: s.HeavyCustomer, From: shDay(729), To: shDay(-1)}},
		{name: "merchant/page-11", pages: 10},
		{name: "merchant/page-201", pages: 200},
		{name: "merchant/amount-page-51", pages: 50, f: orders.Filter{Sort: orders.SortAmountDesc}},
		{name: "merchant/completed-30d-page-21", pages: 20, f: orders.Filter{Status: models.LineCompleted,
			From: shDay(29), To: shDay(-1)}},
		{name: "small-merchant/first-page", owner: len(s.Merchants) - 1},
		{name: "small-merchant/amount-desc", owner: len(s.Merchants) - 1, f: orders.Filter{Sort: orders.SortAmountDesc}},
		{name: "platform/first-page", platform: true},
		{name: "platform/amount-desc", platform: true, f: orders.Filter{Sort: orders.SortAmountDesc}},
		{name: "platform/last-7-days", platform: true, f: orders.Filter{From: shDay(6), To: shDay(-1)}},
		{name: "platform/status-failed", platform: true, f: orders.Filter{Status: models.LineProvisioningFailed}},
		{name: "platform/type-renew-year", platform: true, f: orders.Filter{Type: models.OrderRenew, From: shDay(364), To: shDay(-1)}},
		{name: "platform/product-top", platform: true, f: orders.Filter{ProductID: s.TopProduct}},
		{name: "platform/customer-heavy", platform: true, f: orders.Filter{CustomerID: s.HeavyCustomer}},
		{name: "platform/customer-heavy-amount", platform: true, f: orders.Filter{CustomerID: s.HeavyCustomer, Sort: orders.SortAmountAsc}},
		{name: "platform/supervision-in-progress", platform: true, f: orders.Filter{Supervision: models.SupervisionInProgress}},
		{name: "platform/charging-on-demand-amount", platform: true, f: orders.Filter{ChargingMode: models.ChargingOnDemand,
			Sort: orders.SortAmountDesc}},
		{name: "platform/order-exact", platform: true, f: orders.Filter{OrderPrefix: ord}},
		{name: "platform/page-11", platform: true, pages: 10},
		{name: "platform/one-merchant", platform: true, f: orders.Filter{MerchantID: big}},
		{name: "platform/one-merchant-completed-30d", platform: true, f: orders.Filter{MerchantID: big,
			Status: models.LineCompleted, From: shDay(29), To: shDay(-1)}},
		{name: "platform/small-merchant", platform: true, f: orders.Filter{MerchantID: s.Merchants[len(s.Merchants)-1].ID}},
	}
}

// BenchmarkOrderList times Service.List on the seeded orders. Merchant
// views are those of the largest merchant's owner unless a case says so.
func BenchmarkOrderList(b *testing.B) {
	s := seeded(b)
	cases := listCases(s.seed)
	// GORM's slow-query log would print every sample of a slow query.
	svc := orders.New(s.db.Gorm.Session(&gorm.Session{Logger: logger.Discard}))
	results := map[string]listResult{}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			m := s.seed.Merchants[c.owner]
			actor := models.Actor{UserID: 1, Email: m.OwnerEmail, Role: models.RoleOwner, MerchantID: m.ID}
			if c.platform {
				actor = models.Actor{UserID: 2, Email: s.seed.OpsEmail, Role: models.RoleOpsManager}
			}
			ctx := context.Background()
			f := c.f
			for range c.pages {
				p, err := svc.List(ctx, actor, f)
				if err != nil {
					b.Fatal(err)
				}
				if p.Next == "" {
					b.Fatalf("%s: only %d pages", c.name, c.pages)
				}
				f.Cursor = p.Next
			}
			// One captured run for the plan and the checks.
			s.mu.Lock()
			s.captured = nil
			s.mu.Unlock()
			s.capture.Store(true)
			p, err := svc.List(ctx, actor, f)
			s.capture.Store(false)
			if err != nil {
				b.Fatal(err)
			}
			if (len(p.Rows) == 0) != c.empty {
				b.Fatalf("%s: %d rows", c.name, len(p.Rows))
			}
			var total int64
			for _, t := range p.Totals {
				total += t.Count
			}
			checkTotals(b, s, actor, f, p.Totals)
			var times []time.Duration
			b.ResetTimer()
			for range b.N {
				t0 := time.Now()
				if _, err := svc.List(ctx, actor, f); err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(t0))
				if b.Elapsed() > listBudget {
					break
				}
			}
			b.StopTimer()
			r := listResult{median: stats.Percentile(times, 50), p95: stats.Percentile(times, 95), rows: len(p.Rows), total: total,
				samples: len(times), plan: s.plan(b)}
			b.ReportMetric(float64(r.median.Nanoseconds()), "ns/op")
			b.ReportMetric(stats.MS(r.median), "median-ms")
			b.ReportMetric(stats.MS(r.p95), "p95-ms")
			b.ReportMetric(float64(len(times)), "samples")
			results[c.name] = r
		})
	}
	showPlans := os.Getenv("SELLERCENTER_BENCH_PLANS") != ""
	fmt.Printf("\nOrder List at %d order lines (%d orders, largest merchant %d lines): target p95 < %.0f ms\n",
		s.seed.Lines, s.seed.Orders, s.seed.Merchants[0].Lines, listTargetMS)
	fmt.Printf("  %-48s %10s %10s %5s %8s %7s\n", "query", "median ms", "p95 ms", "rows", "matched", "samples")
	misses := 0
	for _, c := range cases {
		r, ran := results[c.name]
		if !ran {
			continue
		}
		verdict := "ok"
		if stats.MS(r.p95) >= listTargetMS {
			verdict = "MISS"
			misses++
		}
		fmt.Printf("  %-48s %10.2f %10.2f %5d %8d %7d  %s\n", c.name, stats.MS(r.median), stats.MS(r.p95), r.rows, r.total, r.samples, verdict)
	}
	fmt.Printf("  %d of %d cases miss the target\n", misses, len(results))
	for _, c := range cases {
		r, ran := results[c.name]
		if ran && (showPlans || stats.MS(r.p95) >= listTargetMS) {
			fmt.Printf("\nEXPLAIN QUERY PLAN, %s:\n%s", c.name, r.plan)
		}
	}
}

// checkTotals compares the page's totals with Count and a plain sum of the
// same rows, read without the list's machinery.
func checkTotals(b *testing.B, s *seededOrders, actor models.Actor, f orders.Filter, got []orders.Total) {
	b.Helper()
	svc := orders.New(s.db.Gorm.Session(&gorm.Session{Logger: logger.Discard}))
	want, err := svc.PlainTotals(context.Background(), actor, f)
	if err != nil {
		b.Fatal(err)
	}
	if !slices.Equal(got, want) {
		b.Fatalf("totals %+v, want %+v", got, want)
	}
}

// plan explains the statements of the last captured List call.
func (s *seededOrders) plan(b *testing.B) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out strings.Builder
	for _, c := range s.captured {
		fmt.Fprintf(&out, "  %s\n", c.sql)
		rows, err := s.db.SQL.Query("EXPLAIN QUERY PLAN "+c.sql, c.vars...)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				b.Fatal(err)
			}
			fmt.Fprintf(&out, "    %s\n", detail)
		}
		_ = rows.Close()
	}
	return out.String()
}
