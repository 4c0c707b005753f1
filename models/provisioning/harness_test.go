package provisioning

import (
	"context"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/catalog"
	"github.com/sellercenter/sellercenter/models/db"
	"github.com/sellercenter/sellercenter/models/dbtest"
	"github.com/sellercenter/sellercenter/models/vault"
	"github.com/sellercenter/sellercenter/web/koogallery"
)

const merchantKey = "acme-test-key-0123456789"

// fakeScheduler remembers planned attempts; tests run them as the clock moves.
type fakeScheduler struct {
	mu   sync.Mutex
	jobs []CallArgs
}

func (f *fakeScheduler) Schedule(_ context.Context, _ *sql.Tx, id int64, at time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.jobs = append(f.jobs, CallArgs{CallID: id, At: at.UTC()})
	return nil
}

// due removes and returns the jobs planned at or before now, in time order.
func (f *fakeScheduler) due(now time.Time) []CallArgs {
	f.mu.Lock()
	defer f.mu.Unlock()
	sort.SliceStable(f.jobs, func(i, j int) bool { return f.jobs[i].At.Before(f.jobs[j].At) })
	var out, keep []CallArgs
	for _, j := range f.jobs {
		if !j.At.After(now) {
			out = append(out, j)
		} else {
			keep = append(keep, j)
		}
	}
	f.jobs = keep
	return out
}

func (f *fakeScheduler) next() (time.Time, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.jobs) == 0 {
		return time.Time{}, false
	}
	min := f.jobs[0].At
	for _, j := range f.jobs {
		if j.At.Before(min) {
			min = j.At
		}
	}
	return min, true
}

// merchant is a well-behaved seller endpoint with a failure switch.
type merchant struct {
	fail     atomic.Bool
	requests atomic.Int64
	mu       sync.Mutex
	byOrder  map[string]string // orderId → instanceId: the seller's idempotency
	seen     map[string]string // instanceId → last businessId
	verifier *koogallery.Verifier
	// notReady makes V2 creates answer 000004 and queryInstance report no
	// credentials for that many polls.
	notReady atomic.Int64
}

func (m *merchant) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m.requests.Add(1)
	if m.fail.Load() {
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
		return
	}
	in, err := m.verifier.ParseRequest(r)
	if err != nil {
		_ = koogallery.WriteResponse(w, merchantKey, koogallery.NewResponse(koogallery.ResultAuthFailed))
		return
	}
	switch req := in.Request.(type) {
	case *koogallery.NewInstanceRequest:
		m.mu.Lock()
		id, ok := m.byOrder[req.OrderID]
		if !ok {
			id = "inst-" + req.BusinessID[:12]
			m.byOrder[req.OrderID] = id
		}
		m.seen[id] = req.BusinessID
		m.mu.Unlock()
		if m.notReady.Load() > 0 {
			_ = koogallery.WriteResponse(w, merchantKey, koogallery.NewInstanceResponse{
				Response: koogallery.NewResponse(koogallery.ResultProcessing), InstanceID: id})
			return
		}
		user, _ := koogallery.Encrypt(merchantKey, "buyer-admin", koogallery.EncryptAES256)
		pass, _ := koogallery.Encrypt(merchantKey, "s3cret-pw", koogallery.EncryptAES256)
		_ = koogallery.WriteResponse(w, merchantKey, koogallery.NewInstanceResponse{
			Response: koogallery.NewResponse(koogallery.ResultSuccess), EncryptType: koogallery.EncryptAES256, InstanceID: id,
			AppInfo: &koogallery.AppInfo{FrontEndURL: "https://app.example.com/" + id, UserName: user, Password: pass, Memo: "欢迎"}})
	case *koogallery.QueryInstanceRequest:
		if m.notReady.Add(-1) >= 0 {
			_ = koogallery.WriteResponse(w, merchantKey, koogallery.QueryInstanceResponse{
				Response: koogallery.NewResponse(koogallery.ResultProcessing)})
			return
		}
		user, _ := koogallery.Encrypt(merchantKey, "buyer-admin", koogallery.EncryptAES256)
		_ = koogallery.WriteResponse(w, merchantKey, koogallery.QueryInstanceResponse{
			Response: koogallery.NewResponse(koogallery.ResultSuccess), EncryptType: koogallery.EncryptAES256,
			Info: []koogallery.InstanceInfo{{InstanceID: req.InstanceID, AppInfo: &koogallery.AppInfo{
				FrontEndURL: "https://app.example.com/" + req.InstanceID, UserName: user}}}})
	default:
		_ = koogallery.WriteResponse(w, merchantKey, koogallery.NewResponse(koogallery.ResultSuccess))
	}
}

type env struct {
	t        *testing.T
	db       *db.DB
	clock    *bizclock.Fake
	svc      *Service
	cat      *catalog.Service
	acc      *accounts.Service
	sched    *fakeScheduler
	merchant *merchant
	srv      *httptest.Server
	acme     models.Merchant
	product  models.Product
	owner    models.Actor
}

func newEnv(t *testing.T, protocol string) *env {
	t.Helper()
	d := dbtest.Open(t)
	clock := bizclock.NewFake(time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC))
	v, _ := vault.New(make([]byte, vault.KeySize))
	cat := catalog.New(d.Gorm, clock, v, catalog.URLPolicy{AllowPrivate: true})
	svc := New(d.Gorm, clock, v, cat, Config{AllowPrivate: true, PollInterval: 30 * time.Second})
	sched := &fakeScheduler{}
	svc.SetScheduler(sched)
	acc := accounts.New(d.Gorm, clock, accounts.TestHashParams, accounts.DefaultLimits)
	ops := models.SystemActor("test")
	m, owner, err := acc.CreateMerchant(context.Background(), ops, accounts.NewMerchantInput{Slug: "acme", Name: "Acme",
		OwnerEmail: "owner@acme.test", OwnerPassword: "owner-password-1"})
	if err != nil {
		t.Fatal(err)
	}
	// The merchant shares the test's clock: V2 signatures carry a timestamp
	// checked against a 60 s window.
	mer := &merchant{byOrder: map[string]string{}, seen: map[string]string{},
		verifier: &koogallery.Verifier{Key: merchantKey, Now: clock.Now}}
	srv := httptest.NewServer(mer)
	t.Cleanup(srv.Close)
	e := &env{t: t, db: d, clock: clock, svc: svc, cat: cat, acc: acc, sched: sched, merchant: mer, srv: srv,
		acme: *m, owner: models.ActorOf(owner, "127.0.0.1")}
	e.product = models.Product{MerchantID: m.ID, ProductID: "00301-100001-0--0", SKUCode: "sku-basic", Name: "Acme CRM",
		Kind: models.KindSaaS, ChargingMode: models.ChargingPeriod, PeriodType: "month", Status: models.ProductOnSale,
		TrialAllowed: true, CreatedAt: clock.Now(), UpdatedAt: clock.Now()}
	if err := d.Gorm.Create(&e.product).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := cat.SetEndpoint(context.Background(), ops, m.ID, catalog.EndpointInput{URL: srv.URL + "/produce", Protocol: protocol}); err != nil {
		t.Fatal(err)
	}
	if _, err := cat.RotateKey(context.Background(), ops, m.ID, merchantKey, 0); err != nil {
		t.Fatal(err)
	}
	return e
}

// runDue runs every attempt due at the clock's time.
func (e *env) runDue() int {
	e.t.Helper()
	n := 0
	for {
		jobs := e.sched.due(e.clock.Now())
		if len(jobs) == 0 {
			return n
		}
		for _, j := range jobs {
			if err := e.svc.RunCall(context.Background(), j.CallID, j.At); err != nil {
				e.t.Fatalf("RunCall %d: %v", j.CallID, err)
			}
			n++
		}
	}
}

// runUntilIdle moves the clock to each planned attempt in turn until none is left.
func (e *env) runUntilIdle(limit int) {
	e.t.Helper()
	for i := 0; i < limit; i++ {
		e.runDue()
		at, ok := e.sched.next()
		if !ok {
			return
		}
		e.clock.Set(at)
	}
	e.t.Fatalf("still busy after %d steps", limit)
}

func (e *env) order(id, typ string, lines ...LineInput) OrderInput {
	for i := range lines {
		if lines[i].ProductID == "" {
			lines[i].ProductID = e.product.ProductID
		}
		if lines[i].ChargingMode == "" {
			lines[i].ChargingMode = models.ChargingPeriod
			lines[i].PeriodType, lines[i].PeriodNumber = "month", 1
		}
		if lines[i].Amount == "" {
			lines[i].Amount = "99.00"
		}
	}
	return OrderInput{OrderID: id, OrderType: typ, CreateTime: e.clock.Now().Add(-time.Minute),
		Buyer: BuyerInput{CustomerID: "cust-1", CustomerName: "张三", Email: "zhang@example.com"}, Lines: lines}
}

func (e *env) accept(in OrderInput) *OrderView {
	e.t.Helper()
	v, _, err := e.svc.AcceptOrder(context.Background(), in)
	if err != nil {
		e.t.Fatalf("accept %s: %v", in.OrderID, err)
	}
	return v
}

func (e *env) count(table, where string, args ...any) int64 {
	e.t.Helper()
	return dbtest.Count(e.t, e.db, table, where, args...)
}
