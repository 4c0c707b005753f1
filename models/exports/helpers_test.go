package exports

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/catalog"
	"github.com/sellercenter/sellercenter/models/db"
	"github.com/sellercenter/sellercenter/models/dbtest"
	"github.com/sellercenter/sellercenter/models/demo"
	"github.com/sellercenter/sellercenter/models/vault"
)

// fakeQueue records the export jobs the service queues; tests run them.
type fakeQueue struct {
	mu  sync.Mutex
	ids []int64
}

func (q *fakeQueue) Enqueue(_ context.Context, tx *sql.Tx, id int64) error {
	if tx == nil {
		return fmt.Errorf("enqueue outside a transaction")
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.ids = append(q.ids, id)
	return nil
}

func (q *fakeQueue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.ids)
}

// tenv is a migrated database with the demo accounts and catalogue, the
// export engine on a fake clock, and a fake queue.
type tenv struct {
	t     testing.TB
	db    *db.DB
	clock *bizclock.Fake
	acc   *accounts.Service
	cat   *catalog.Service
	vault *vault.Vault
	svc   *Service
	q     *fakeQueue
	dir   string
}

// now is the tests' wall clock: 2026-11-23 10:00 in Shanghai.
var now0 = time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)

func newTEnv(t testing.TB, cfg Config) *tenv {
	t.Helper()
	d := dbtest.Open(t)
	clock := bizclock.NewFake(now0)
	acc := accounts.New(d.Gorm, clock, accounts.TestHashParams, accounts.DefaultLimits)
	ctx := context.Background()
	if err := demo.Seed(ctx, acc); err != nil {
		t.Fatal(err)
	}
	v, err := vault.New(make([]byte, vault.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	cat := catalog.New(d.Gorm, clock, v, catalog.URLPolicy{AllowPrivate: true})
	if err := demo.SeedCatalog(ctx, d.Gorm, cat); err != nil {
		t.Fatal(err)
	}
	if cfg.Dir == "" {
		cfg.Dir = t.TempDir() + "/exports"
	}
	svc, err := New(d.Gorm, clock, cfg)
	if err != nil {
		t.Fatal(err)
	}
	q := &fakeQueue{}
	svc.SetQueue(q)
	return &tenv{t: t, db: d, clock: clock, acc: acc, cat: cat, vault: v, svc: svc, q: q, dir: cfg.Dir}
}

func (e *tenv) user(email string) models.User {
	e.t.Helper()
	u, err := e.acc.UserByEmail(context.Background(), email)
	if err != nil {
		e.t.Fatalf("user %s: %v", email, err)
	}
	return *u
}

func (e *tenv) actor(email string) models.Actor {
	u := e.user(email)
	return models.ActorOf(&u, "127.0.0.1")
}

func (e *tenv) merchantID(slug string) int64 {
	e.t.Helper()
	var id int64
	if err := e.db.SQL.QueryRow(`SELECT id FROM merchants WHERE slug = ?`, slug).Scan(&id); err != nil {
		e.t.Fatal(err)
	}
	return id
}

func (e *tenv) exec(q string, args ...any) {
	e.t.Helper()
	if _, err := e.db.SQL.Exec(q, args...); err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
}

func (e *tenv) count(table, where string, args ...any) int64 {
	e.t.Helper()
	return dbtest.Count(e.t, e.db, table, where, args...)
}

// dangerous are buyer names a spreadsheet would run as formulas (and one
// that is harmless), cycled through the seeded lines.
var dangerous = []string{"=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "王*"}

// seedLines inserts n one-line orders of a merchant's first product, one
// second apart from start, with generated SQL (fast enough for a million).
// Amounts vary and include negative ones; buyers cycle through dangerous.
func seedLines(t testing.TB, d *db.DB, slug, prefix string, n int, start time.Time) {
	t.Helper()
	tx, err := d.SQL.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	var mid, prod int64
	if err := tx.QueryRow(`SELECT m.id, min(p.id) FROM merchants m JOIN products p ON p.merchant_id = m.id WHERE m.slug = ?`, slug).
		Scan(&mid, &prod); err != nil {
		t.Fatal(err)
	}
	ts := start.UTC().Format("2006-01-02 15:04:05")
	for i, name := range dangerous {
		if _, err := tx.Exec(`INSERT OR IGNORE INTO buyers (customer_id, name_masked, created_at, updated_at) VALUES (?, ?, ?, ?)`,
			fmt.Sprintf("cust-%s-%d", prefix, i), name, ts, ts); err != nil {
			t.Fatal(err)
		}
	}
	var firstBuyer int64
	if err := tx.QueryRow(`SELECT id FROM buyers WHERE customer_id = ?`, "cust-"+prefix+"-0").Scan(&firstBuyer); err != nil {
		t.Fatal(err)
	}
	nb := len(dangerous)
	// Amounts: 1.00 … 999.99, every 97th line a renewal cancellation (negative).
	if _, err := tx.Exec(`WITH RECURSIVE seq(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM seq WHERE x < ?)
		INSERT INTO orders (merchant_id, order_id, order_type, buyer_id, status, amount, currency, created_at, received_at, updated_at, request_hash)
		SELECT ?, ? || printf('%08d', x), CASE WHEN x % 97 = 0 THEN 'RENEW' ELSE 'NEW' END, ? + (x % ?), 'completed',
			CASE WHEN x % 97 = 0 THEN -(x % 5000) ELSE 100 + (x * 7919) % 99900 END, 'CNY',
			strftime('%Y-%m-%d %H:%M:%S', ?, '+' || x || ' seconds') || '+00:00',
			strftime('%Y-%m-%d %H:%M:%S', ?, '+' || x || ' seconds') || '+00:00',
			strftime('%Y-%m-%d %H:%M:%S', ?, '+' || x || ' seconds') || '+00:00', 'h'
		FROM seq`, n, mid, prefix, firstBuyer, nb, ts, ts, ts); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`INSERT INTO order_lines (order_ref, merchant_id, order_line_id, product_ref, charging_mode, period_type,
			period_number, amount, currency, status, updated_at, order_code, order_type, ordered_at, buyer_ref, supervision, sku_code)
		SELECT o.id, o.merchant_id, o.order_id || '-1', ?, 'PERIOD', 'month', 1, o.amount, o.currency, 'completed', o.updated_at,
			o.order_id, o.order_type, o.created_at, o.buyer_id, 'none', 'sku-1'
		FROM orders o WHERE o.order_id >= ? AND o.order_id < ?`, prod, prefix, prefix+"\U0010FFFF"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// seedMessages inserts n attempts of one call of a merchant, one second
// apart from start, every third one failed with an error class.
func seedMessages(t testing.TB, d *db.DB, slug string, n int, start time.Time) {
	t.Helper()
	var mid int64
	if err := d.SQL.QueryRow(`SELECT id FROM merchants WHERE slug = ?`, slug).Scan(&mid); err != nil {
		t.Fatal(err)
	}
	ts := start.UTC().Format("2006-01-02 15:04:05") + "+00:00"
	res, err := d.SQL.Exec(`INSERT INTO calls (merchant_id, activity, state, interval_s, window_s, first_at, deadline_at, created_at, updated_at)
		VALUES (?, 'newInstance', 'retrying', 120, 7200, ?, ?, ?, ?)`, mid, ts, ts, ts, ts)
	if err != nil {
		t.Fatal(err)
	}
	call, _ := res.LastInsertId()
	if _, err := d.SQL.Exec(`WITH RECURSIVE seq(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM seq WHERE x < ?)
		INSERT INTO interface_messages (merchant_id, call_ref, attempt_no, at, activity, order_id, order_line_id, protocol, method, url,
			response_status, result_code, outcome, error_class, error_detail, latency_ms)
		SELECT ?, ?, x, strftime('%Y-%m-%d %H:%M:%S', ?, '+' || x || ' seconds') || '+00:00', 'newInstance',
			'ORD-M' || x, 'ORD-M' || x || '-1', 'v2', 'POST', 'https://isv.example.com/produce',
			CASE WHEN x % 3 = 0 THEN 500 ELSE 200 END, CASE WHEN x % 3 = 0 THEN '' ELSE '000000' END,
			CASE WHEN x % 3 = 0 THEN 'error' ELSE 'ok' END, CASE WHEN x % 3 = 0 THEN 'http_status' ELSE '' END,
			CASE WHEN x % 3 = 0 THEN '=1+1 HTTP 500' ELSE '' END, x % 900
		FROM seq`, n, mid, call, start.UTC().Format("2006-01-02 15:04:05")); err != nil {
		t.Fatal(err)
	}
}

// exportRow reads an export back.
func (e *tenv) export(id int64) models.Export {
	e.t.Helper()
	var x models.Export
	if err := e.db.Gorm.First(&x, id).Error; err != nil {
		e.t.Fatal(err)
	}
	return x
}

// create asks for an export and fails the test on an error.
func (e *tenv) create(a models.Actor, kind, format, query string) models.Export {
	e.t.Helper()
	x, err := e.svc.Create(context.Background(), a, kind, format, query)
	if err != nil {
		e.t.Fatalf("create %s %s %q: %v", kind, format, query, err)
	}
	return *x
}

func (e *tenv) run(id int64) {
	e.t.Helper()
	if err := e.svc.Run(context.Background(), id); err != nil {
		e.t.Fatalf("run %d: %v", id, err)
	}
}
