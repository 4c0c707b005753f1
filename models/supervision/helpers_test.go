package supervision

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
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
	"github.com/sellercenter/sellercenter/models/jobs/jobstest"
	"github.com/sellercenter/sellercenter/models/provisioning"
	"github.com/sellercenter/sellercenter/models/vault"
)

// fixedHolidays is a holiday source tests can replace.
type fixedHolidays struct {
	mu  sync.Mutex
	set *bizclock.HolidaySet
}

func (f *fixedHolidays) Holidays(context.Context) (*bizclock.HolidaySet, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.set, nil
}

// callLog stands in for River under the core: the calls it queued.
type callLog struct {
	mu  sync.Mutex
	ids []int64
}

func (c *callLog) Schedule(_ context.Context, _ *sql.Tx, id int64, _ time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ids = append(c.ids, id)
	return nil
}

// t0 is the tests' start: Monday 2026-11-23 10:00 in Shanghai.
var t0 = time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)

type tenv struct {
	t      testing.TB
	db     *db.DB
	clock  *bizclock.Fake
	acc    *accounts.Service
	svc    *Service
	core   *provisioning.Service
	q      *TimerLog
	calls  *callLog
	hol    *fixedHolidays
	seq    int
	acme   models.Actor
	globex models.Actor
	ops    models.Actor
	buyer  models.Actor // customer c-acme-1
}

func newTEnv(t testing.TB) *tenv {
	t.Helper()
	d := dbtest.Open(t)
	clock := bizclock.NewFake(t0)
	acc := accounts.New(d.Gorm, clock, accounts.TestHashParams, accounts.DefaultLimits)
	ctx, sys := context.Background(), models.SystemActor("test")
	must(t, func() error {
		_, err := acc.AddUser(ctx, sys, "", accounts.NewUserInput{Email: "ops@demo.test", Role: models.RoleOpsManager,
			Password: "test-pass-123"})
		return err
	})
	for _, m := range []string{"acme", "globex"} {
		must(t, func() error {
			_, _, err := acc.CreateMerchant(ctx, sys, accounts.NewMerchantInput{Slug: m, Name: m,
				OwnerEmail: "owner@" + m + ".test", OwnerPassword: "test-pass-123"})
			return err
		})
	}
	must(t, func() error {
		_, err := acc.AddUser(ctx, sys, "acme", accounts.NewUserInput{Email: "ro@acme.test", Role: models.RoleReadOnly,
			Password: "test-pass-123"})
		return err
	})
	must(t, func() error {
		_, err := acc.AddUser(ctx, sys, "", accounts.NewUserInput{Email: "buyer@c1.test", Role: models.RoleBuyer,
			Password: "test-pass-123", CustomerID: "c-acme-1"})
		return err
	})
	v, err := vault.New(make([]byte, vault.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	cat := catalog.New(d.Gorm, clock, v, catalog.URLPolicy{AllowPrivate: true})
	core := provisioning.New(d.Gorm, clock, v, cat, provisioning.Config{AllowPrivate: true})
	calls := &callLog{}
	core.SetScheduler(calls)
	hol := &fixedHolidays{set: bizclock.MainlandChina()}
	svc, err := New(d.Gorm, clock, hol, Config{Dir: t.TempDir() + "/docs"})
	if err != nil {
		t.Fatal(err)
	}
	q := &TimerLog{}
	svc.SetQueue(q)
	svc.SetCore(core)
	core.OnSupervising(svc.StartTx)
	e := &tenv{t: t, db: d, clock: clock, acc: acc, svc: svc, core: core, q: q, calls: calls, hol: hol}
	e.acme, e.globex, e.ops = e.actor("owner@acme.test"), e.actor("owner@globex.test"), e.actor("ops@demo.test")
	e.buyer = e.actor("buyer@c1.test")
	if _, err := d.SQL.Exec(`INSERT INTO products (merchant_id, product_id, name, kind, charging_mode, period_type,
			supervised, created_at, updated_at)
		SELECT m.id, p.pid, p.pid, 'service', 'PERIOD', 'month', 1, '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00'
		FROM merchants m JOIN (SELECT 'acme' AS slug, '00301-100003-0--0' AS pid UNION ALL SELECT 'acme', '00301-100004-0--0'
			UNION ALL SELECT 'globex', '00302-200003-0--0') p ON p.slug = m.slug`); err != nil {
		t.Fatal(err)
	}
	return e
}

func must(t testing.TB, f func() error) {
	t.Helper()
	if err := f(); err != nil {
		t.Fatal(err)
	}
}

func (e *tenv) actor(email string) models.Actor {
	e.t.Helper()
	u, err := e.acc.UserByEmail(context.Background(), email)
	if err != nil {
		e.t.Fatalf("user %s: %v", email, err)
	}
	return models.ActorOf(u, "127.0.0.1")
}

func (e *tenv) exec(q string, args ...any) int64 {
	e.t.Helper()
	r, err := e.db.SQL.Exec(q, args...)
	if err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
	id, _ := r.LastInsertId()
	return id
}

// line inserts an order of one supervising line of a merchant's product,
// with the instance it created, bought now for one month, and starts its
// flow. It returns the orderLineId and the flow.
func (e *tenv) line(merchant, product, customer string) (string, *models.SupFlow) {
	e.t.Helper()
	e.seq++
	now := e.clock.Now()
	ts := now.Format("2006-01-02 15:04:05") + "+00:00"
	exp := now.AddDate(0, 1, 0).Format("2006-01-02 15:04:05") + "+00:00"
	code := fmt.Sprintf("CS%08d", e.seq)
	e.exec(`INSERT OR IGNORE INTO buyers (customer_id, name_masked, created_at, updated_at) VALUES (?, '王*', ?, ?)`,
		customer, ts, ts)
	oid := e.exec(`INSERT INTO orders (merchant_id, order_id, order_type, buyer_id, status, amount, currency, created_at,
			received_at, updated_at, request_hash)
		SELECT m.id, ?, 'NEW', b.id, 'supervising', 9900, 'CNY', ?, ?, ?, 'h' FROM merchants m, buyers b
		WHERE m.slug = ? AND b.customer_id = ?`, code, ts, ts, ts, merchant, customer)
	lineID := code + "-1"
	lid := e.exec(`INSERT INTO order_lines (order_ref, merchant_id, order_line_id, product_ref, charging_mode, period_type,
			period_number, amount, currency, expire_at, status, supervision, updated_at, order_code, order_type, ordered_at,
			buyer_ref)
		SELECT o.id, o.merchant_id, ?, p.id, 'PERIOD', 'month', 1, 9900, 'CNY', ?, 'supervising', 'in_progress', ?, ?, 'NEW',
			?, o.buyer_id FROM orders o JOIN products p ON p.merchant_id = o.merchant_id AND p.product_id = ? WHERE o.id = ?`,
		lineID, exp, ts, code, ts, product, oid)
	iid := e.exec(`INSERT INTO instances (merchant_id, instance_id, product_id, status, expire_at, app_info_enc,
			creating_line_ref, created_at, updated_at)
		SELECT merchant_id, ?, product_ref, 'normal', expire_at, '', id, ?, ? FROM order_lines WHERE id = ?`,
		"i-"+code, ts, ts, lid)
	e.exec(`UPDATE order_lines SET instance_ref = ? WHERE id = ?`, iid, lid)
	if err := e.svc.Start(context.Background(), lid); err != nil {
		e.t.Fatal(err)
	}
	return lineID, e.flowOfLine(lid)
}

func (e *tenv) acmeLine() (string, *models.SupFlow) {
	return e.line("acme", "00301-100003-0--0", "c-acme-1")
}

func (e *tenv) flowOfLine(lid int64) *models.SupFlow {
	e.t.Helper()
	var f models.SupFlow
	if err := e.db.Gorm.Where("line_ref = ?", lid).Take(&f).Error; err != nil {
		e.t.Fatal(err)
	}
	return &f
}

func (e *tenv) flow(id int64) *models.SupFlow {
	e.t.Helper()
	var f models.SupFlow
	if err := e.db.Gorm.Take(&f, id).Error; err != nil {
		e.t.Fatal(err)
	}
	return &f
}

func (e *tenv) count(table, where string, args ...any) int64 {
	e.t.Helper()
	return dbtest.Count(e.t, e.db, table, where, args...)
}

// buyer forwards a buyer event with a fresh event id.
func (e *tenv) buyerEv(lineID, event, text string, files ...Upload) (BuyerResult, error) {
	e.seq++
	r, _, err := e.svc.BuyerEvent(context.Background(), lineID, fmt.Sprintf("ev-%d", e.seq), event, text, files)
	return r, err
}

func (e *tenv) mustBuyer(lineID, event, text string, files ...Upload) {
	e.t.Helper()
	if _, err := e.buyerEv(lineID, event, text, files...); err != nil {
		e.t.Fatalf("buyer %s: %v", event, err)
	}
}

func (e *tenv) act(a models.Actor, id int64, in MerchantInput) {
	e.t.Helper()
	if err := e.svc.Act(context.Background(), a, id, in); err != nil {
		e.t.Fatalf("%s: %v", in.Action, err)
	}
}

func pdf(name string) Upload {
	return Upload{Name: name, R: bytes.NewReader([]byte("%PDF-1.4\n% test document\n"))}
}

// toDelivery walks a fresh flow to delivery.
func (e *tenv) toDelivery(lineID string, id int64) {
	e.t.Helper()
	e.mustBuyer(lineID, EvSubmitRequirements, "部署到华东区，10 个账号", pdf("需求.pdf"))
	e.act(e.acme, id, MerchantInput{Action: models.SupConfirmReq})
}

func (e *tenv) fire(id int64, kind string) time.Duration { return jobstest.Fire(e.t, e.svc, id, kind) }

func (e *tenv) sweep() int { return jobstest.Sweep(e.t, e.svc) }

func isConflict(err error) bool {
	var ce *models.ConflictError
	return errors.As(err, &ce)
}

func fieldErr(err error, field string) string {
	var ve *models.ValidationError
	if !errors.As(err, &ve) {
		return ""
	}
	return ve.Fields[field].ID
}
