package demands

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/db"
	"github.com/sellercenter/sellercenter/models/dbtest"
	"github.com/sellercenter/sellercenter/models/jobs/jobstest"
)

// fixedHolidays is a holiday source tests can edit, as operations would.
type fixedHolidays struct {
	mu  sync.Mutex
	set *bizclock.HolidaySet
}

func (f *fixedHolidays) Holidays(context.Context) (*bizclock.HolidaySet, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.set, nil
}

func (f *fixedHolidays) replace(s *bizclock.HolidaySet) {
	f.mu.Lock()
	f.set = s
	f.mu.Unlock()
}

func date(s string) bizclock.Date {
	d, err := bizclock.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// goldenWeek is a National Day break: 1–7 October 2026 off, Saturday the
// 10th a make-up workday (the tests' own data, not the shipped calendar).
func goldenWeek() *bizclock.HolidaySet {
	off := map[bizclock.Date]string{}
	for d := 1; d <= 7; d++ {
		off[bizclock.Date{Year: 2026, Month: time.October, Day: d}] = "国庆节"
	}
	return bizclock.NewHolidaySet(off, map[bizclock.Date]string{date("2026-10-10"): "国庆节调休"})
}

// withDayOff is the set with one more day off, as an operations edit makes it.
func withDayOff(h *bizclock.HolidaySet, d bizclock.Date) *bizclock.HolidaySet {
	off, work := map[bizclock.Date]string{d: "added"}, map[bizclock.Date]string{}
	for _, x := range h.Days() {
		if h.IsOff(x.Date) {
			off[x.Date] = x.Name
		} else {
			work[x.Date] = x.Name
		}
	}
	return bizclock.NewHolidaySet(off, work)
}

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

// t0 is the tests' start: Monday 2026-11-23 10:00 in Shanghai.
var t0 = time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)

// tenv is a migrated database with the demo accounts and catalogue, the
// service on a fake clock, and an in-memory timer queue.
type tenv struct {
	t     testing.TB
	db    *db.DB
	clock *bizclock.Fake
	acc   *accounts.Service
	hol   *fixedHolidays
	svc   *Service
	q     *TimerLog
}

func newTEnv(t testing.TB) *tenv {
	t.Helper()
	d := dbtest.Open(t)
	clock := bizclock.NewFake(t0)
	acc := accounts.New(d.Gorm, clock, accounts.TestHashParams, accounts.DefaultLimits)
	seedPeople(t, acc)
	seedProducts(t, d)
	hol := &fixedHolidays{set: goldenWeek()}
	svc := New(d.Gorm, clock, hol)
	q := &TimerLog{}
	svc.SetQueue(q)
	return &tenv{t: t, db: d, clock: clock, acc: acc, hol: hol, svc: svc, q: q}
}

// seedPeople creates Acme's operations user and finance beside what
// dbtest seeds.
func seedPeople(t testing.TB, acc *accounts.Service) {
	t.Helper()
	dbtest.SeedPeople(t, acc, map[string]models.Role{"staff@acme.test": models.RoleOperations,
		"finance@acme.test": models.RoleFinance})
}

// seedProducts gives each merchant the demo catalogue's product ids.
func seedProducts(t testing.TB, d *db.DB) {
	t.Helper()
	if _, err := d.SQL.Exec(`INSERT INTO products (merchant_id, product_id, name, kind, charging_mode, created_at, updated_at)
		SELECT m.id, p.pid, p.pid, 'saas', 'PERIOD', '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00'
		FROM merchants m JOIN (SELECT 'acme' AS slug, '00301-100003-0--0' AS pid UNION ALL SELECT 'acme', '00301-100001-0--0'
			UNION ALL SELECT 'globex', '00302-200001-0--0') p ON p.slug = m.slug`); err != nil {
		t.Fatal(err)
	}
}

func (e *tenv) actor(email string) models.Actor { return dbtest.Actor(e.t, e.acc, email) }

func (e *tenv) ops() models.Actor   { return e.actor("ops@demo.test") }
func (e *tenv) acme() models.Actor  { return e.actor("owner@acme.test") }
func (e *tenv) staff() models.Actor { return e.actor("staff@acme.test") }

// assign creates a demand for a merchant as operations, at the clock's now.
func (e *tenv) assign(slug, title string) *models.Demand {
	e.t.Helper()
	d, err := e.svc.Assign(context.Background(), e.ops(), AssignInput{Merchant: slug, Title: title,
		Description: "需要私有化部署方案", CustomerName: "杭州云帆科技有限公司"})
	if err != nil {
		e.t.Fatalf("assign: %v", err)
	}
	return d
}

func (e *tenv) demand(id int64) models.Demand { return dbtest.Row[models.Demand](e.t, e.db, id) }

func (e *tenv) count(table, where string, args ...any) int64 {
	e.t.Helper()
	return dbtest.Count(e.t, e.db, table, where, args...)
}

// fire runs a timer and fails the test on an error.
func (e *tenv) fire(id int64, kind string) time.Duration { return jobstest.Fire(e.t, e.svc, id, kind) }

func (e *tenv) sweep() int { return jobstest.Sweep(e.t, e.svc) }

// order inserts a minimal order of a merchant and returns its number.
func (e *tenv) order(slug, code string) {
	e.t.Helper()
	ts := t0.Add(-time.Hour).Format("2006-01-02 15:04:05") + "+00:00"
	if _, err := e.db.SQL.Exec(`INSERT INTO buyers (customer_id, name_masked, created_at, updated_at) VALUES (?, '王*', ?, ?)`,
		"cust-"+code, ts, ts); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.db.SQL.Exec(`INSERT INTO orders (merchant_id, order_id, order_type, buyer_id, status, amount, currency,
			created_at, received_at, updated_at, request_hash)
		SELECT m.id, ?, 'NEW', b.id, 'completed', 9900, 'CNY', ?, ?, ?, 'h' FROM merchants m, buyers b
		WHERE m.slug = ? AND b.customer_id = ?`, code, ts, ts, ts, slug, "cust-"+code); err != nil {
		e.t.Fatal(err)
	}
}
