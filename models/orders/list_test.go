package orders

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"sort"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/dbtest"
)

// fixture is a known set of order lines; each test filter's answer is
// computed from it in Go and compared with the database's.
type fixture struct {
	svc      Service
	acme     int64
	globex   int64
	lines    []models.OrderLine
	products map[int64]models.Product
	buyers   map[int64]models.Buyer
}

func newFixture(t *testing.T, n int) *fixture {
	t.Helper()
	return newFixtureSpan(t, n, 30*24*time.Hour)
}

// newFixtureSpan spreads the n lines' order times over span from
// 2026-11-01 UTC, to the second.
func newFixtureSpan(t *testing.T, n int, span time.Duration) *fixture {
	t.Helper()
	d := dbtest.Open(t)
	f := &fixture{svc: Service{db: d.Gorm}, products: map[int64]models.Product{}, buyers: map[int64]models.Buyer{}}
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for i, slug := range []string{"acme", "globex"} {
		m := models.Merchant{Slug: slug, Name: slug, Status: models.MerchantActive, CreatedAt: now, UpdatedAt: now}
		d.Gorm.Create(&m)
		if i == 0 {
			f.acme = m.ID
		} else {
			f.globex = m.ID
		}
		for j, mode := range []string{models.ChargingPeriod, models.ChargingOneTime} {
			p := models.Product{MerchantID: m.ID, ProductID: fmt.Sprintf("P-%s-%d", slug, j), Name: slug, Kind: models.KindSaaS,
				ChargingMode: mode, Supervised: j == 1, Status: models.ProductOnSale, CreatedAt: now, UpdatedAt: now}
			if mode == models.ChargingPeriod {
				p.PeriodType = "month"
			}
			d.Gorm.Create(&p)
			f.products[p.ID] = p
		}
	}
	for i := 0; i < 5; i++ {
		b := models.Buyer{CustomerID: fmt.Sprintf("cust-%d", i), NameMasked: "客*", CreatedAt: now, UpdatedAt: now}
		d.Gorm.Create(&b)
		f.buyers[b.ID] = b
	}
	r := rand.New(rand.NewPCG(1, 2))
	var pids []int64
	for id := range f.products {
		pids = append(pids, id)
	}
	sort.Slice(pids, func(i, j int) bool { return pids[i] < pids[j] })
	for i := 0; i < n; i++ {
		p := f.products[pids[r.IntN(len(pids))]]
		buyer := int64(r.IntN(5) + 1)
		typ := models.OrderTypes[r.IntN(len(models.OrderTypes))]
		status := models.LineStatuses[r.IntN(len(models.LineStatuses))]
		at := now.Add(time.Duration(r.Int64N(int64(span/time.Second))) * time.Second)
		cur := "CNY"
		if r.IntN(10) == 0 {
			cur = "USD"
		}
		o := models.Order{MerchantID: p.MerchantID, OrderID: fmt.Sprintf("ORD-%02d-%05d", i%7, i), OrderType: typ, BuyerID: buyer,
			Status: status, Amount: int64(r.IntN(100000)), Currency: cur, CreatedAt: at, ReceivedAt: at, UpdatedAt: at, RequestHash: "x"}
		d.Gorm.Create(&o)
		l := models.OrderLine{OrderRef: o.ID, MerchantID: p.MerchantID, OrderLineID: o.OrderID + "-1", ProductRef: p.ID,
			ChargingMode: p.ChargingMode, Amount: o.Amount, Currency: cur, Status: status, UpdatedAt: at,
			OrderCode: o.OrderID, OrderType: typ, OrderedAt: at, BuyerRef: buyer, Supervision: models.SupervisionOf(p.Supervised, status)}
		if err := d.Gorm.Create(&l).Error; err != nil {
			t.Fatal(err)
		}
		f.lines = append(f.lines, l)
	}
	return f
}

// expect filters the fixture in Go the way the list must.
func (f *fixture) expect(merchant int64, flt Filter) (ids []int64, count map[string]int64, sum map[string]int64) {
	count, sum = map[string]int64{}, map[string]int64{}
	for _, l := range f.lines {
		p := f.products[l.ProductRef]
		switch {
		case merchant != 0 && l.MerchantID != merchant,
			!flt.From.IsZero() && l.OrderedAt.Before(flt.From),
			!flt.To.IsZero() && !l.OrderedAt.Before(flt.To),
			flt.OrderPrefix != "" && (len(l.OrderCode) < len(flt.OrderPrefix) || l.OrderCode[:len(flt.OrderPrefix)] != flt.OrderPrefix),
			flt.Type != "" && l.OrderType != flt.Type,
			flt.Status != "" && l.Status != flt.Status,
			flt.ChargingMode != "" && l.ChargingMode != flt.ChargingMode,
			flt.Supervision != "" && l.Supervision != flt.Supervision,
			flt.ProductID != "" && p.ProductID != flt.ProductID,
			flt.CustomerID != "" && f.buyers[l.BuyerRef].CustomerID != flt.CustomerID:
			continue
		}
		ids = append(ids, l.ID)
		count[l.Currency]++
		sum[l.Currency] += l.Amount
	}
	return
}

// all pages through the list and returns every line id in order.
func (f *fixture) all(t *testing.T, actor models.Actor, flt Filter) ([]int64, []Total) {
	t.Helper()
	var ids []int64
	var totals []Total
	for page := 0; page < 100; page++ {
		p, err := f.svc.List(context.Background(), actor, flt)
		if err != nil {
			t.Fatal(err)
		}
		totals = p.Totals
		for _, r := range p.Rows {
			ids = append(ids, r.LineID)
		}
		if p.Next == "" {
			return ids, totals
		}
		flt.Cursor = p.Next
	}
	t.Fatal("no end of pages")
	return nil, nil
}

func TestFiltersAloneAndCombinedMatchTheData(t *testing.T) {
	f := newFixture(t, 400)
	owner := models.Actor{UserID: 1, Role: models.RoleOwner, MerchantID: f.acme}
	base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	filters := map[string]Filter{
		"none":          {},
		"from/to":       {From: base.AddDate(0, 0, 5), To: base.AddDate(0, 0, 12)},
		"prefix":        {OrderPrefix: "ORD-03"},
		"exact id":      {OrderPrefix: f.lines[10].OrderCode},
		"type":          {Type: models.OrderRenew},
		"status":        {Status: models.LineCompleted},
		"charging":      {ChargingMode: models.ChargingOneTime},
		"supervision":   {Supervision: models.SupervisionInProgress},
		"product":       {ProductID: "P-acme-0"},
		"customer":      {CustomerID: "cust-2"},
		"combined":      {From: base.AddDate(0, 0, 3), Status: models.LineProcessing, ChargingMode: models.ChargingPeriod, CustomerID: "cust-1"},
		"other product": {ProductID: "P-globex-0"},
	}
	for name, flt := range filters {
		t.Run(name, func(t *testing.T) {
			flt.Limit = 17 // several pages
			wantIDs, wantCount, wantSum := f.expect(f.acme, flt)
			gotIDs, totals := f.all(t, owner, flt)
			if len(gotIDs) != len(wantIDs) {
				t.Fatalf("rows %d, want %d", len(gotIDs), len(wantIDs))
			}
			want := map[int64]bool{}
			for _, id := range wantIDs {
				want[id] = true
			}
			seen := map[int64]bool{}
			for _, id := range gotIDs {
				if !want[id] || seen[id] {
					t.Fatalf("line %d wrongly listed (or twice)", id)
				}
				seen[id] = true
			}
			for _, tot := range totals {
				if tot.Count != wantCount[tot.Currency] || tot.Amount != wantSum[tot.Currency] {
					t.Fatalf("%s totals %d/%d, want %d/%d", tot.Currency, tot.Count, tot.Amount, wantCount[tot.Currency], wantSum[tot.Currency])
				}
			}
		})
	}
}

func TestSortingAndKeysetPaging(t *testing.T) {
	f := newFixture(t, 150)
	owner := models.Actor{UserID: 1, Role: models.RoleOwner, MerchantID: f.acme}
	for _, s := range Sorts {
		ids, _ := f.all(t, owner, Filter{Sort: s, Limit: 11})
		byID := map[int64]models.OrderLine{}
		for _, l := range f.lines {
			byID[l.ID] = l
		}
		for i := 1; i < len(ids); i++ {
			a, b := byID[ids[i-1]], byID[ids[i]]
			var ok bool
			switch s {
			case SortTimeDesc:
				ok = a.OrderedAt.After(b.OrderedAt) || a.OrderedAt.Equal(b.OrderedAt) && a.ID > b.ID
			case SortTimeAsc:
				ok = a.OrderedAt.Before(b.OrderedAt) || a.OrderedAt.Equal(b.OrderedAt) && a.ID < b.ID
			case SortAmountDesc:
				ok = a.Amount > b.Amount || a.Amount == b.Amount && a.ID > b.ID
			case SortAmountAsc:
				ok = a.Amount < b.Amount || a.Amount == b.Amount && a.ID < b.ID
			}
			if !ok {
				t.Fatalf("%s: rows %d and %d out of order", s, a.ID, b.ID)
			}
		}
		want, _, _ := f.expect(f.acme, Filter{})
		if len(ids) != len(want) {
			t.Fatalf("%s: %d rows, want %d", s, len(ids), len(want))
		}
	}
}

func TestTenancyAndPlatformView(t *testing.T) {
	f := newFixture(t, 120)
	globexOwner := models.Actor{UserID: 2, Role: models.RoleOwner, MerchantID: f.globex}
	ids, _ := f.all(t, globexOwner, Filter{Limit: 200})
	want, _, _ := f.expect(f.globex, Filter{})
	if len(ids) != len(want) {
		t.Fatalf("globex sees %d, want %d", len(ids), len(want))
	}
	// A merchant cannot widen its scope with a merchant filter.
	ids, _ = f.all(t, globexOwner, Filter{MerchantID: f.acme, Limit: 200})
	if len(ids) != len(want) {
		t.Fatal("merchant filter widened a merchant's scope")
	}
	ops := models.Actor{UserID: 3, Role: models.RoleOpsManager}
	all, _ := f.all(t, ops, Filter{Limit: 200})
	if len(all) != len(f.lines) {
		t.Fatalf("operations sees %d of %d", len(all), len(f.lines))
	}
	one, _ := f.all(t, ops, Filter{MerchantID: f.acme, Limit: 200})
	wantAcme, _, _ := f.expect(f.acme, Filter{})
	if len(one) != len(wantAcme) {
		t.Fatal("operations merchant filter")
	}
	// Details: another merchant's order is not found.
	var acmeOrder int64
	for _, l := range f.lines {
		if l.MerchantID == f.acme {
			acmeOrder = l.OrderRef
			break
		}
	}
	if _, err := f.svc.Get(context.Background(), globexOwner, acmeOrder); err != models.ErrNotFound {
		t.Fatalf("cross-merchant detail: %v", err)
	}
	if _, err := f.svc.List(context.Background(), models.Actor{Role: models.RoleBuyer}, Filter{}); err != models.ErrForbidden {
		t.Fatalf("buyer listed orders: %v", err)
	}
}

func TestParseFilterRefusesBadInput(t *testing.T) {
	loc := time.UTC
	bad := map[string]string{
		"from=2026-12-01&to=2026-11-01": "to",
		"from=2020-01-01&to=2026-01-01": "to",
		"type=GIFT":                     "type",
		"status=lost":                   "status",
		"charging=FREE":                 "charging",
		"supervision=maybe":             "supervision",
		"sort=random":                   "sort",
		"from=31-12-2026":               "from",
		"order=ORD%25":                  "order",
		"cursor=bm9wZQ":                 "cursor",
		"sort=amount_desc&cursor=" + models.EncodeCursor('t', 5, 5): "cursor",
	}
	for raw, field := range bad {
		q, _ := url.ParseQuery(raw)
		if _, v := ParseFilter(q, loc); v.Fields[field].ID == "" {
			t.Errorf("%s: no message on %s (%v)", raw, field, v.Fields)
		}
	}
	q, _ := url.ParseQuery("from=2026-11-01&to=2026-11-30&type=NEW&sort=amount_asc")
	f, v := ParseFilter(q, loc)
	if v.Err() != nil || f.Type != "NEW" || !f.To.Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("good filter: %+v %v", f, v)
	}
	// The filter round-trips through its URL form (bookmarks, exports).
	back, v2 := ParseFilter(f.Query(loc), loc)
	if v2.Err() != nil || back.From != f.From || back.To != f.To || back.Type != f.Type || back.Sort != f.Sort {
		t.Fatalf("round trip: %+v", back)
	}
}

// 生效时间: the instance's creation for the line that created it; the order
// time for a completed line on an instance it did not create; nothing for a
// line that has not taken effect.
func TestEffectiveTimeOfLines(t *testing.T) {
	f := newFixture(t, 0)
	ctx := context.Background()
	owner := models.Actor{UserID: 1, Role: models.RoleOwner, MerchantID: f.acme}
	var product models.Product
	for _, p := range f.products {
		if p.MerchantID == f.acme && !p.Supervised {
			product = p
		}
	}
	ordered := time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
	created := ordered.Add(90 * time.Second)
	add := func(code string, typ string, st models.LineStatus) models.OrderLine {
		o := models.Order{MerchantID: f.acme, OrderID: code, OrderType: typ, BuyerID: 1, Status: st, Currency: "CNY",
			CreatedAt: ordered, ReceivedAt: ordered, UpdatedAt: ordered, RequestHash: "x"}
		if err := f.svc.db.Create(&o).Error; err != nil {
			t.Fatal(err)
		}
		l := models.OrderLine{OrderRef: o.ID, MerchantID: f.acme, OrderLineID: code + "-1", ProductRef: product.ID,
			ChargingMode: product.ChargingMode, Currency: "CNY", Status: st, UpdatedAt: ordered, OrderCode: code,
			OrderType: typ, OrderedAt: ordered, BuyerRef: 1, Supervision: models.SupervisionOf(false, st)}
		if err := f.svc.db.Create(&l).Error; err != nil {
			t.Fatal(err)
		}
		return l
	}
	newLine := add("EFF-NEW", models.OrderNew, models.LineCompleted)
	inst := models.Instance{MerchantID: f.acme, InstanceID: "inst-1", ProductID: product.ID, Status: models.InstanceNormal,
		CreatingLineRef: newLine.ID, CreatedAt: created, UpdatedAt: created}
	if err := f.svc.db.Create(&inst).Error; err != nil {
		t.Fatal(err)
	}
	renew := add("EFF-RENEW", models.OrderRenew, models.LineCompleted)
	add("EFF-PENDING", models.OrderNew, models.LineProcessing)
	for _, l := range []models.OrderLine{newLine, renew} {
		if err := f.svc.db.Model(&models.OrderLine{}).Where("id = ?", l.ID).Update("instance_ref", inst.ID).Error; err != nil {
			t.Fatal(err)
		}
	}
	page, err := f.svc.List(ctx, owner, Filter{Sort: SortTimeDesc})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]*time.Time{"EFF-NEW": &created, "EFF-RENEW": &ordered, "EFF-PENDING": nil}
	seen := 0
	for _, r := range page.Rows {
		w, ok := want[r.OrderCode]
		if !ok {
			continue
		}
		seen++
		got := r.Effective()
		if (got == nil) != (w == nil) || (got != nil && !got.Equal(*w)) {
			t.Errorf("%s: effective %v, want %v", r.OrderCode, got, w)
		}
	}
	if seen != 3 {
		t.Fatalf("saw %d of the 3 lines", seen)
	}
}
