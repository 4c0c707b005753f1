// Package orderseed fills a database with a large, realistic order history
// for benchmarks and load tests: the order-list benchmark and the operator's
// `sellercenter bench seed` both call Seed, so what is measured in one is
// what is served by the other.
//
// The shape: a few merchants with a skewed share (one holds about two thirds
// of the lines), two years of orders growing over time, a skewed mix of order
// types, statuses, products and charging modes, buyers from a long tail with
// a few heavy customers, one provisioning call per line with its interface
// messages, and instances for the lines that created one.
package orderseed

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/db"
	"github.com/sellercenter/sellercenter/models/db/bulk"
	"github.com/sellercenter/sellercenter/models/orders"
)

// Config says how much to seed.
type Config struct {
	Lines    int       // order lines (default 1,000,000)
	Now      time.Time // the end of the history (default: now)
	Span     time.Duration
	Seed     uint64 // random seed: the same seed gives the same data
	Password string // of every seeded user (default DefaultPassword)
}

// DefaultPassword is the seeded users' password unless Config says otherwise.
const DefaultPassword = "bench-password-1"

// largestSlug is the merchant holding most lines: load tests log in as its
// owner, whose list is the slowest to read.
const largestSlug = "yunhai"

// LargestOwnerEmail is the login of the largest merchant's owner.
const LargestOwnerEmail = "owner@" + largestSlug + ".test"

func ownerEmail(slug string) string { return "owner@" + slug + ".test" }

// Merchant is one seeded merchant and its owner's login.
type Merchant struct {
	ID         int64
	Slug       string
	OwnerEmail string
	Lines      int
}

// Result describes what was seeded, with values picked from the data so
// that benchmarks and load tests can filter on something that exists.
type Result struct {
	Merchants []Merchant // largest first
	OpsEmail  string     // an operations manager (all merchants)
	Password  string
	Lines     int
	Orders    int
	Buyers    int
	Products  int
	Took      time.Duration
	Now       time.Time
	Span      time.Duration

	// Samples of the largest merchant.
	RecentOrder   string // an order id of the last month
	TopProduct    string // its best-selling productId
	RareProduct   string // its least-selling productId
	HeavyCustomer string // the customer with the most orders
	LightCustomer string // a customer with a handful of orders
}

// ErrNotEmpty is returned when the database already holds orders.
var ErrNotEmpty = errors.New("orderseed: the database already has orders; seed a new database")

// merchantPlan is a seeded merchant's share of the lines and catalogue.
type merchantPlan struct {
	slug, name string
	share      float64
	products   int
	usd        float64 // share of lines in USD
}

var plans = []merchantPlan{
	{largestSlug, "云海软件", 0.68, 36, 0.03},
	{"northwind", "Northwind SaaS", 0.12, 14, 0.10},
	{"lanting", "兰亭数据", 0.08, 10, 0},
	{"qingshan", "青山安全", 0.06, 8, 0},
	{"baiyun", "白云协同", 0.04, 6, 0},
	{"xinghe", "星河咨询", 0.02, 4, 0},
}

// defaultSpan is how far back the history goes: two years.
const defaultSpan = 730 * 24 * time.Hour

// buyerCount is how many buyers orders are drawn from.
const buyerCount = 100_000

type product struct {
	id           int64
	code         string
	sku          string
	mode         string
	periodType   string
	supervised   bool
	trial        bool
	price        int64 // per period, or once
	merchantSlot int
}

// Seed writes the history into d, which must be migrated and hold no orders.
// Users are created through acc (its hash parameters decide how costly a
// login is). It runs in one transaction with the secondary indexes and
// triggers of the seeded tables dropped and rebuilt at the end, then ANALYZE.
func Seed(ctx context.Context, d *db.DB, acc *accounts.Service, cfg Config) (*Result, error) {
	start := time.Now()
	if cfg.Lines <= 0 {
		cfg.Lines = 1_000_000
	}
	if cfg.Now.IsZero() {
		cfg.Now = time.Now()
	}
	cfg.Now = cfg.Now.UTC().Truncate(time.Second)
	if cfg.Span <= 0 {
		cfg.Span = defaultSpan
	}
	if cfg.Password == "" {
		cfg.Password = DefaultPassword
	}
	var n int64
	if err := d.SQL.QueryRowContext(ctx, `SELECT count(*) FROM order_lines`).Scan(&n); err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, ErrNotEmpty
	}
	res := &Result{Password: cfg.Password, Lines: cfg.Lines, Now: cfg.Now, Span: cfg.Span, OpsEmail: "ops@bench.test"}
	sys := models.SystemActor("bench seed")
	for _, p := range plans {
		m, _, err := acc.CreateMerchant(ctx, sys, accounts.NewMerchantInput{Slug: p.slug, Name: p.name,
			OwnerEmail: ownerEmail(p.slug), OwnerName: p.name + " owner", OwnerPassword: cfg.Password})
		if err != nil {
			return nil, fmt.Errorf("merchant %s: %w", p.slug, err)
		}
		res.Merchants = append(res.Merchants, Merchant{ID: m.ID, Slug: p.slug, OwnerEmail: ownerEmail(p.slug)})
	}
	if _, err := acc.AddUser(ctx, sys, "", accounts.NewUserInput{Email: res.OpsEmail, Name: "Ops manager",
		Role: models.RoleOpsManager, Password: cfg.Password}); err != nil {
		return nil, fmt.Errorf("operations manager: %w", err)
	}

	err := bulk.Load(ctx, d.SQL, []string{"order_lines", "orders", "instances", "calls", "interface_messages", "buyers"},
		func(tx *sql.Tx) error {
			g := &gen{tx: tx, cfg: cfg, res: res, r: rand.New(rand.NewPCG(cfg.Seed, 20261123))}
			if err := g.run(ctx); err != nil {
				return err
			}
			// The list's totals are kept by triggers, dropped while loading.
			if err := orders.RebuildTotals(ctx, tx); err != nil {
				return fmt.Errorf("rebuild order totals: %w", err)
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	// The planner's choice between the list's indexes depends on their
	// statistics: a seeded database gets them like a migrated one does.
	if _, err := d.SQL.ExecContext(ctx, `ANALYZE`); err != nil {
		return nil, err
	}
	if _, err := d.SQL.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return nil, err
	}
	res.Took = time.Since(start)
	return res, nil
}

// zipfWeights returns n weights falling off as 1/(rank+1)^s.
func zipfWeights(n int, s float64) []float64 {
	w := make([]float64, n)
	var sum float64
	for i := range w {
		w[i] = 1 / math.Pow(float64(i+1), s)
		sum += w[i]
	}
	for i := range w {
		w[i] /= sum
	}
	return w
}

// pick draws an index by weights that sum to 1.
func pick(r *rand.Rand, w []float64) int {
	x := r.Float64()
	for i, p := range w {
		if x -= p; x < 0 {
			return i
		}
	}
	return len(w) - 1
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

func randStr(r *rand.Rand, n int, alphabet string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}
