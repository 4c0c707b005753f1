package tickets

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/db"
	"github.com/sellercenter/sellercenter/models/dbtest"
	"github.com/sellercenter/sellercenter/models/vault"
)

// fakeCalendars hands out the calendars a test sets; a merchant without one
// does not receive tickets.
type fakeCalendars struct {
	mu   sync.Mutex
	cals map[int64]*bizclock.Calendar
}

func (f *fakeCalendars) ForMerchant(_ context.Context, id int64) (*bizclock.Calendar, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.cals[id]
	return c, c != nil, nil
}

func (f *fakeCalendars) set(id int64, c *bizclock.Calendar) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cals[id] = c
}

var shanghai = func() *time.Location {
	l, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return l
}()

// acmeHours are the demo's: Monday–Friday 09:00–12:00 and 13:30–18:30.
func acmeHours(t testing.TB) *bizclock.Calendar {
	var w bizclock.Week
	for d := time.Monday; d <= time.Friday; d++ {
		w[d] = []bizclock.Range{{From: 9 * 60, To: 12 * 60}, {From: 13*60 + 30, To: 18*60 + 30}}
	}
	c, err := bizclock.NewCalendar(shanghai, w, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// sh is a wall-clock time in Shanghai on Monday 2026-11-23 (+days).
func sh(days, hour, min, sec int) time.Time {
	return time.Date(2026, 11, 23+days, hour, min, sec, 0, shanghai).UTC()
}

// tenv is a migrated database with the demo accounts and catalogue and the
// tickets service on a fake clock, Acme receiving on its demo hours.
type tenv struct {
	t      testing.TB
	db     *db.DB
	clock  *bizclock.Fake
	acc    *accounts.Service
	cals   *fakeCalendars
	svc    *Service
	acme   int64
	globex int64
	owner  models.Actor // owner@acme.test
	staff  models.Actor // staff@acme.test
	other  models.Actor // owner@globex.test
	buyer  models.Actor // buyer of customer c-1001
	dir    string
}

func newTEnv(t testing.TB, cfg Config) *tenv {
	t.Helper()
	d := dbtest.Open(t)
	clock := bizclock.NewFake(sh(0, 10, 0, 0))
	acc := accounts.New(d.Gorm, clock, accounts.TestHashParams, accounts.DefaultLimits)
	ctx := context.Background()
	ids := seedAccounts(t, ctx, d.Gorm, acc)
	v, err := vault.New(make([]byte, vault.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Dir == "" {
		cfg.Dir = t.TempDir() + "/tickets"
	}
	cals := &fakeCalendars{cals: map[int64]*bizclock.Calendar{}}
	svc, err := New(d.Gorm, clock, cals, v, cfg)
	if err != nil {
		t.Fatal(err)
	}
	e := &tenv{t: t, db: d, clock: clock, acc: acc, cals: cals, svc: svc, dir: cfg.Dir}
	e.acme, e.globex = ids["acme"], ids["globex"]
	cals.set(e.acme, acmeHours(t))
	e.owner, e.staff, e.other = e.actor("owner@acme.test"), e.actor("staff@acme.test"), e.actor("owner@globex.test")
	if _, err := acc.AddUser(ctx, models.SystemActor("test"), "", accounts.NewUserInput{Email: "buyer@c1001.test",
		Name: "张三", Role: models.RoleBuyer, Password: "buyer-pass-123", CustomerID: "c-1001"}); err != nil {
		t.Fatal(err)
	}
	e.buyer = e.actor("buyer@c1001.test")
	return e
}

func (e *tenv) actor(email string) models.Actor {
	e.t.Helper()
	u, err := e.acc.UserByEmail(context.Background(), email)
	if err != nil {
		e.t.Fatal(err)
	}
	return models.ActorOf(u, "127.0.0.1")
}

// open accepts a ticket for Acme's first product from customer c-1001.
func (e *tenv) open(id string, created time.Time) *models.Ticket {
	e.t.Helper()
	in := Input{TicketID: id, ProductID: "00301-100001-0--0", CustomerID: "c-1001", CustomerName: "张三科技",
		Title: "无法登录", Content: "登录时提示密码错误。", CreateTime: created}
	if _, created, err := e.svc.Accept(context.Background(), in); err != nil || !created {
		e.t.Fatalf("accept %s: created=%v %v", id, created, err)
	}
	return e.ticket(id)
}

func (e *tenv) ticket(id string) *models.Ticket {
	e.t.Helper()
	var t models.Ticket
	if err := e.db.Gorm.Where("ticket_id = ?", id).Take(&t).Error; err != nil {
		e.t.Fatal(err)
	}
	return &t
}

func (e *tenv) count(table, where string, args ...any) int64 {
	e.t.Helper()
	return dbtest.Count(e.t, e.db, table, where, args...)
}

func (e *tenv) sweep() SweepResult {
	e.t.Helper()
	r, err := e.svc.Sweep(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

// files lists the attachment directory.
func (e *tenv) files() []string {
	e.t.Helper()
	es, err := os.ReadDir(e.dir)
	if err != nil {
		e.t.Fatal(err)
	}
	var out []string
	for _, f := range es {
		out = append(out, f.Name())
	}
	return out
}

func at(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

type gormDB = gorm.DB

func mustCal(t testing.TB, w bizclock.Week) *bizclock.Calendar {
	t.Helper()
	c, err := bizclock.NewCalendar(shanghai, w, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type accountsInput = accounts.NewUserInput

// seedAccounts creates what the demo has that these tests need: Acme (owner,
// operations staff 王运营, finance) and Globex (owner), and their products.
func seedAccounts(t testing.TB, ctx context.Context, db *gorm.DB, acc *accounts.Service) map[string]int64 {
	t.Helper()
	sys := models.SystemActor("test")
	ids := map[string]int64{}
	for _, m := range []accounts.NewMerchantInput{
		{Slug: "acme", Name: "Acme 云服务", OwnerEmail: "owner@acme.test", OwnerName: "Acme 管理员", OwnerPassword: "demo-pass-123"},
		{Slug: "globex", Name: "Globex 软件", OwnerEmail: "owner@globex.test", OwnerName: "Globex 管理员", OwnerPassword: "demo-pass-123"},
	} {
		mm, _, err := acc.CreateMerchant(ctx, sys, m)
		if err != nil {
			t.Fatal(err)
		}
		ids[m.Slug] = mm.ID
	}
	for _, u := range []accounts.NewUserInput{
		{Email: "staff@acme.test", Name: "王运营", Role: models.RoleOperations, Password: "demo-pass-123"},
		{Email: "finance@acme.test", Name: "李财务", Role: models.RoleFinance, Password: "demo-pass-123"},
	} {
		if _, err := acc.AddUser(ctx, sys, "acme", u); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now().UTC()
	for _, p := range []models.Product{
		{MerchantID: ids["acme"], ProductID: "00301-100001-0--0", Name: "Acme CRM 标准版（月付）", ChargingMode: models.ChargingPeriod, PeriodType: "month"},
		{MerchantID: ids["acme"], ProductID: "00301-100002-0--0", Name: "Acme CRM 标准版（年付）", ChargingMode: models.ChargingPeriod, PeriodType: "year"},
		{MerchantID: ids["globex"], ProductID: "00302-200001-0--0", Name: "Globex 企业邮箱（月付）", ChargingMode: models.ChargingPeriod, PeriodType: "month"},
	} {
		p.Kind, p.Status, p.CreatedAt, p.UpdatedAt = models.KindSaaS, models.ProductOnSale, now, now
		if err := db.Create(&p).Error; err != nil {
			t.Fatal(err)
		}
	}
	return ids
}
