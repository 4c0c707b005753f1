package provisioning

// Helpers shared by the *_bench_test.go files of this package. Everything
// here runs on the wall clock against in-process sandboxes on 127.0.0.1.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/catalog"
	"github.com/sellercenter/sellercenter/models/db"
	"github.com/sellercenter/sellercenter/models/dbtest"
	"github.com/sellercenter/sellercenter/models/stats"
	"github.com/sellercenter/sellercenter/models/vault"
	"github.com/sellercenter/sellercenter/web/koogallery/sandbox"
)

// benchKey is the access key every benchmark merchant and sandbox share.
const benchKey = "bench-test-key-0123456789"

// benchEnv is a migrated database with the real core on the real clock and a
// fake scheduler installed (StartRiver replaces it).
type benchEnv struct {
	db       *db.DB
	svc      *Service
	cat      *catalog.Service
	acc      *accounts.Service
	sched    *fakeScheduler
	products atomic.Int64
}

func newBenchEnv(tb testing.TB) *benchEnv {
	tb.Helper()
	d := dbtest.Open(tb)
	v, err := vault.New(make([]byte, vault.KeySize))
	if err != nil {
		tb.Fatal(err)
	}
	cat := catalog.New(d.Gorm, bizclock.System, v, catalog.URLPolicy{AllowPrivate: true})
	svc := New(d.Gorm, bizclock.System, v, cat, Config{AllowPrivate: true})
	sched := &fakeScheduler{}
	svc.SetScheduler(sched)
	acc := accounts.New(d.Gorm, bizclock.System, accounts.TestHashParams, accounts.DefaultLimits)
	return &benchEnv{db: d, svc: svc, cat: cat, acc: acc, sched: sched}
}

// addMerchant creates a merchant with one monthly product, the endpoint ep
// and benchKey as its active key. It returns the merchant id and productId.
func (e *benchEnv) addMerchant(tb testing.TB, slug string, ep catalog.EndpointInput) (int64, string) {
	tb.Helper()
	ctx := context.Background()
	ops := models.SystemActor("bench")
	m, _, err := e.acc.CreateMerchant(ctx, ops, accounts.NewMerchantInput{Slug: slug, Name: slug,
		OwnerEmail: slug + "@bench.test", OwnerPassword: "owner-password-1"})
	if err != nil {
		tb.Fatalf("merchant %s: %v", slug, err)
	}
	now := time.Now().UTC()
	p := models.Product{MerchantID: m.ID, ProductID: fmt.Sprintf("00301-%06d-0--0", e.products.Add(1)), SKUCode: "sku-basic",
		Name: slug + " CRM", Kind: models.KindSaaS, ChargingMode: models.ChargingPeriod, PeriodType: "month",
		Status: models.ProductOnSale, CreatedAt: now, UpdatedAt: now}
	if err := e.db.Gorm.Create(&p).Error; err != nil {
		tb.Fatal(err)
	}
	if ep.Protocol == "" {
		ep.Protocol = "v1"
	}
	if _, err := e.cat.SetEndpoint(ctx, ops, m.ID, ep); err != nil {
		tb.Fatalf("endpoint of %s: %v", slug, err)
	}
	if _, err := e.cat.RotateKey(ctx, ops, m.ID, benchKey, 0); err != nil {
		tb.Fatal(err)
	}
	return m.ID, p.ProductID
}

// benchOrder is a one-line NEW order for productID: one newInstance call.
func benchOrder(productID, orderID string, i int) OrderInput {
	return OrderInput{OrderID: orderID, OrderType: models.OrderNew, CreateTime: time.Now().Add(-time.Minute),
		Buyer: BuyerInput{CustomerID: fmt.Sprintf("cust-%d", i%50), CustomerName: "张三", Email: "zhang@example.com"},
		Lines: []LineInput{{OrderLineID: orderID + "-000001", ProductID: productID, SKUCode: "sku-basic",
			ChargingMode: models.ChargingPeriod, PeriodType: "month", PeriodNumber: 1, Amount: "99.00"}}}
}

// benchSandbox starts the reference seller endpoint on 127.0.0.1 and returns
// its /produce URL.
func benchSandbox(tb testing.TB, f sandbox.Faults) string {
	tb.Helper()
	sb, err := sandbox.New(sandbox.Config{Key: benchKey, DBPath: tb.TempDir() + "/sandbox.db", Faults: f})
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(sb)
	tb.Cleanup(func() {
		srv.Close()
		_ = sb.Close()
	})
	return srv.URL + "/produce"
}

// benchLogger keeps River quiet unless something goes wrong.
func benchLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// envInt reads a positive integer knob from the environment.
func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// processCPU is the user+system CPU the process has used so far. On a
// machine other work shares, CPU per call is steadier than calls per second.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// sqlProfile, with SELLERCENTER_BENCH_SQLPROF=1, times every GORM statement
// on g and every statement the dispatch path runs without GORM on svc, and
// prints the costliest shapes when tb ends (wall time, so lock waits inside
// SQLite count; BEGIN and COMMIT are not timed).
func sqlProfile(tb testing.TB, g *gorm.DB, svc *Service) {
	if os.Getenv("SELLERCENTER_BENCH_SQLPROF") == "" {
		return
	}
	type agg struct {
		n int
		d time.Duration
	}
	var mu sync.Mutex
	byQuery := map[string]*agg{}
	before := func(db *gorm.DB) { db.InstanceSet("bench:t0", time.Now()) }
	record := func(q string, d time.Duration) {
		q = spaceRe.ReplaceAllString(inListRe.ReplaceAllString(q, "IN (…)"), " ")
		if len(q) > 110 {
			q = q[:110] + "…"
		}
		mu.Lock()
		a := byQuery[q]
		if a == nil {
			a = &agg{}
			byQuery[q] = a
		}
		a.n++
		a.d += d
		mu.Unlock()
	}
	after := func(db *gorm.DB) {
		if v, ok := db.InstanceGet("bench:t0"); ok {
			record(db.Statement.SQL.String(), time.Since(v.(time.Time)))
		}
	}
	svc.sqlHook = record
	cb := g.Callback()
	errs := []error{
		cb.Create().Before("*").Register("bench:before", before), cb.Create().After("*").Register("bench:after", after),
		cb.Query().Before("*").Register("bench:before", before), cb.Query().After("*").Register("bench:after", after),
		cb.Update().Before("*").Register("bench:before", before), cb.Update().After("*").Register("bench:after", after),
		cb.Delete().Before("*").Register("bench:before", before), cb.Delete().After("*").Register("bench:after", after),
		cb.Row().Before("*").Register("bench:before", before), cb.Row().After("*").Register("bench:after", after),
		cb.Raw().Before("*").Register("bench:before", before), cb.Raw().After("*").Register("bench:after", after),
	}
	if err := errors.Join(errs...); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		keys := make([]string, 0, len(byQuery))
		var total time.Duration
		for k, a := range byQuery {
			keys = append(keys, k)
			total += a.d
		}
		slices.SortFunc(keys, func(a, b string) int { return int(byQuery[b].d - byQuery[a].d) })
		fmt.Printf("SQL profile (%s in GORM statements):\n", total.Round(time.Millisecond))
		for _, k := range keys[:min(len(keys), 20)] {
			a := byQuery[k]
			fmt.Printf("  %8.1f ms %6d× %7.3f ms/each  %s\n", stats.MS(a.d), a.n, stats.MS(a.d)/float64(a.n), k)
		}
	})
}

var (
	inListRe = regexp.MustCompile(`IN \([?, ]+\)`)
	spaceRe  = regexp.MustCompile(`\s+`)
)
