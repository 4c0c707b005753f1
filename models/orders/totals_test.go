package orders

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
)

// aggregates reads a totals table, or the same grouping computed from the
// rows, as comparable lines.
func aggregates(t *testing.T, f *fixture, q string) []string {
	t.Helper()
	rows, err := f.svc.db.Raw(q).Rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprint(vals...))
	}
	return out
}

func checkAggregates(t *testing.T, f *fixture) {
	t.Helper()
	month := aggregates(t, f, `SELECT merchant_id, month, code6, product_ref, order_type, status, charging_mode, supervision, currency, n, amount
		FROM order_totals_month ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`)
	wantMonth := aggregates(t, f, `SELECT merchant_id, coalesce(substr(ordered_at, 1, 7), ''), substr(order_code, 1, 6), product_ref,
		order_type, status, charging_mode, supervision, currency, count(*), sum(amount) FROM order_lines GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
		ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`)
	day := aggregates(t, f, `SELECT merchant_id, day, code8, product_ref, order_type, status, charging_mode, supervision, currency, n, amount
		FROM order_totals_day ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`)
	wantDay := aggregates(t, f, `SELECT merchant_id, coalesce(substr(ordered_at, 1, 10), ''), substr(order_code, 1, 8), product_ref,
		order_type, status, charging_mode, supervision, currency, count(*), sum(amount) FROM order_lines GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
		ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9`)
	if len(wantMonth) == 0 || !reflect.DeepEqual(month, wantMonth) {
		t.Fatalf("order_totals_month drifted from the rows:\n%v\nwant\n%v", month, wantMonth)
	}
	if !reflect.DeepEqual(day, wantDay) {
		t.Fatalf("order_totals_day drifted from the rows:\n%v\nwant\n%v", day, wantDay)
	}
	// The rollups of 00015, each against the same grouping of the rows.
	for _, r := range []struct{ name, got, want string }{
		{"order_totals_all",
			`SELECT merchant_id, currency, product_ref, order_type, status, charging_mode, supervision, n, amount
			 FROM order_totals_all ORDER BY 1, 2, 3, 4, 5, 6, 7`,
			`SELECT merchant_id, currency, product_ref, order_type, status, charging_mode, supervision, count(*), sum(amount)
			 FROM order_lines GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7`},
		{"order_totals_time",
			`SELECT merchant_id, currency, grain, bucket, n, amount FROM order_totals_time ORDER BY 1, 2, 3, 4`,
			`SELECT * FROM (
			   SELECT merchant_id, currency, 'd', coalesce(substr(ordered_at, 1, 10), ''), count(*), sum(amount) FROM order_lines GROUP BY 1, 2, 4
			   UNION ALL
			   SELECT merchant_id, currency, 'h', coalesce(substr(ordered_at, 1, 13), ''), count(*), sum(amount) FROM order_lines GROUP BY 1, 2, 4)
			 ORDER BY 1, 2, 3, 4`},
		{"order_totals_buyer",
			`SELECT merchant_id, buyer_ref, currency, n, amount FROM order_totals_buyer ORDER BY 1, 2, 3`,
			`SELECT merchant_id, coalesce(buyer_ref, 0), currency, count(*), sum(amount) FROM order_lines GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`},
	} {
		got, want := aggregates(t, f, r.got), aggregates(t, f, r.want)
		if len(want) == 0 || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s drifted from the rows:\n%v\nwant\n%v", r.name, got, want)
		}
	}
	// The totals are read per listed currency: none may be missing.
	if missing := aggregates(t, f, `SELECT DISTINCT merchant_id, currency FROM order_lines
		EXCEPT SELECT merchant_id, currency FROM order_currencies`); len(missing) > 0 {
		t.Fatalf("currencies not listed: %v", missing)
	}
}

func TestTotalsTablesFollowEveryChangeOfTheLines(t *testing.T) {
	f := newFixtureSpan(t, 200, 90*24*time.Hour)
	checkAggregates(t, f) // inserts
	db := f.svc.db
	steps := []struct{ name, sql string }{
		{"status and supervision", `UPDATE order_lines SET status = 'completed', supervision = 'done' WHERE id % 3 = 0`},
		{"amount", `UPDATE order_lines SET amount = amount * 2 - 7 WHERE id % 5 = 1`},
		{"time across months", `UPDATE order_lines SET ordered_at = datetime(ordered_at, '+17 days') WHERE id % 4 = 2`},
		{"order id", `UPDATE order_lines SET order_code = 'XX' || order_code WHERE id % 7 = 3`},
		{"currency and type", `UPDATE order_lines SET currency = 'USD', order_type = 'RENEW' WHERE id % 6 = 5`},
		{"time within the day", `UPDATE order_lines SET ordered_at = datetime(ordered_at, '+3 hours') WHERE id % 8 = 1`},
		{"buyer", `UPDATE order_lines SET buyer_ref = (SELECT min(id) FROM buyers) WHERE id % 10 = 7`},
		{"no buyer", `UPDATE order_lines SET buyer_ref = NULL WHERE id % 11 = 2`},
		{"unrelated column", `UPDATE order_lines SET status_reason = 'x', updated_at = updated_at WHERE id % 2 = 0`},
		{"no time", `UPDATE order_lines SET ordered_at = NULL WHERE id = 9`},
		{"delete", `DELETE FROM order_lines WHERE id % 9 = 4 AND id NOT IN (SELECT creating_line_ref FROM instances)`},
		{"a group emptied", `UPDATE order_lines SET status = 'unsubscribed' WHERE status = 'processing'`},
	}
	for _, s := range steps {
		if err := db.Exec(s.sql).Error; err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		t.Run(s.name, func(t *testing.T) { checkAggregates(t, f) })
	}
	// A group whose last line left is gone, not kept at zero.
	var zero int64
	db.Raw(`SELECT (SELECT count(*) FROM order_totals_month WHERE n = 0) + (SELECT count(*) FROM order_totals_day WHERE n = 0)
		+ (SELECT count(*) FROM order_totals_all WHERE n = 0) + (SELECT count(*) FROM order_totals_time WHERE n = 0)
		+ (SELECT count(*) FROM order_totals_buyer WHERE n = 0)`).Scan(&zero)
	if zero != 0 {
		t.Fatalf("%d empty groups kept", zero)
	}
	// RebuildTotals (bulk loads) gives the same tables.
	sqlDB, _ := db.DB()
	tx, err := sqlDB.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if err := RebuildTotals(context.Background(), tx); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	checkAggregates(t, f)
}

// moveTo puts line i at an instant, in the database and the fixture.
func (f *fixture) moveTo(t *testing.T, i int, at time.Time) {
	t.Helper()
	if err := f.svc.db.Exec(`UPDATE order_lines SET ordered_at = ? WHERE id = ?`, at.UTC(), f.lines[i].ID).Error; err != nil {
		t.Fatal(err)
	}
	f.lines[i].OrderedAt = at.UTC()
}

// zoneFixture has 700 lines over 200 days from 2026-11-01 and lines on the
// instants where days begin in UTC and the test zones, and one second
// either side.
func zoneFixture(t *testing.T) *fixture {
	f := newFixtureSpan(t, 700, 200*24*time.Hour)
	i := 0
	for _, zone := range testZones(t) {
		for _, d := range []time.Time{time.Date(2026, 12, 1, 0, 0, 0, 0, zone), time.Date(2027, 1, 15, 0, 0, 0, 0, zone),
			time.Date(2027, 3, 1, 0, 0, 0, 0, zone)} {
			for _, off := range []time.Duration{-time.Second, 0, time.Second} {
				f.moveTo(t, i, d.Add(off))
				i += 3 // spread over both merchants and all products
			}
		}
	}
	return f
}

func testZones(t *testing.T) []*time.Location {
	var zs []*time.Location
	for _, name := range []string{"UTC", "Asia/Shanghai", "America/St_Johns", "Asia/Kathmandu"} {
		z, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		zs = append(zs, z)
	}
	return zs
}

func (f *fixture) checkTotals(t *testing.T, actor models.Actor, merchant int64, flt Filter) {
	t.Helper()
	_, wantCount, wantSum := f.expect(merchant, flt)
	p, err := f.svc.List(context.Background(), actor, flt)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][2]int64{}
	for _, tot := range p.Totals {
		got[tot.Currency] = [2]int64{tot.Count, tot.Amount}
	}
	want := map[string][2]int64{}
	for c, n := range wantCount {
		want[c] = [2]int64{n, wantSum[c]}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("totals %v, want %v", got, want)
	}
	n, err := f.svc.Count(context.Background(), actor, flt)
	var wantN int64
	for _, c := range wantCount {
		wantN += c
	}
	if err != nil || n != wantN {
		t.Fatalf("Count %d (%v), want %d", n, err, wantN)
	}
}

func TestTotalsAreExactForAnyRangeInAnyZone(t *testing.T) {
	f := zoneFixture(t)
	owner := models.Actor{UserID: 1, Role: models.RoleOwner, MerchantID: f.acme}
	ops := models.Actor{UserID: 3, Role: models.RoleOpsManager}
	for _, zone := range testZones(t) {
		day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, zone) }
		ranges := map[string][2]time.Time{
			"within a day":        {day(2026, 12, 1), day(2026, 12, 2)},
			"two days":            {day(2027, 1, 14), day(2027, 1, 16)},
			"three days":          {day(2026, 11, 30), day(2026, 12, 3)},
			"inside a month":      {day(2027, 1, 3), day(2027, 1, 29)},
			"across months":       {day(2026, 11, 20), day(2027, 3, 2)},
			"whole months":        {day(2026, 12, 1), day(2027, 3, 1)},
			"from only":           {day(2027, 1, 15), {}},
			"to only":             {{}, day(2027, 1, 15)},
			"from a month's edge": {day(2027, 3, 1), {}},
			"to a month's edge":   {{}, day(2026, 12, 1)},
			"beyond the data":     {day(2025, 1, 1), day(2028, 1, 1)},
			"before the data":     {day(2024, 1, 1), day(2024, 6, 1)},
		}
		for name, r := range ranges {
			filters := map[string]Filter{
				"range":           {},
				"with status":     {Status: models.LineCompleted},
				"with dims":       {Type: models.OrderNew, ChargingMode: models.ChargingPeriod, Supervision: models.SupervisionNone},
				"with product":    {ProductID: "P-acme-1"},
				"with customer":   {CustomerID: "cust-3"},
				"prefix 5 chars":  {OrderPrefix: "ORD-0"},
				"prefix 6 chars":  {OrderPrefix: "ORD-03"},
				"prefix 8 chars":  {OrderPrefix: "ORD-03-0"},
				"prefix 9 chars":  {OrderPrefix: "ORD-03-00"},
				"prefix and dims": {OrderPrefix: "ORD-04", Status: models.LineProcessing},
			}
			for fname, flt := range filters {
				flt.From, flt.To = r[0], r[1]
				t.Run(zone.String()+"/"+name+"/"+fname, func(t *testing.T) {
					f.checkTotals(t, owner, f.acme, flt)
					f.checkTotals(t, ops, 0, flt)
					flt.MerchantID = f.globex
					f.checkTotals(t, ops, f.globex, flt)
				})
			}
		}
	}
}

func TestTotalsOfFiltersNamingNothing(t *testing.T) {
	f := newFixture(t, 60)
	owner := models.Actor{UserID: 1, Role: models.RoleOwner, MerchantID: f.acme}
	ops := models.Actor{UserID: 3, Role: models.RoleOpsManager}
	for name, c := range map[string]struct {
		actor models.Actor
		flt   Filter
	}{
		"unknown product":          {owner, Filter{ProductID: "P-none"}},
		"another merchant's":       {owner, Filter{ProductID: "P-globex-0"}},
		"unknown customer":         {owner, Filter{CustomerID: "cust-none"}},
		"operations, wrong pair":   {ops, Filter{MerchantID: f.acme, ProductID: "P-globex-1"}},
		"operations, unknown":      {ops, Filter{CustomerID: "cust-none", Sort: SortAmountDesc}},
		"operations, no merchant":  {ops, Filter{MerchantID: 999}},
		"prefix nothing starts by": {ops, Filter{OrderPrefix: "ZZZ"}},
	} {
		p, err := f.svc.List(context.Background(), c.actor, c.flt)
		if err != nil || len(p.Rows) != 0 || len(p.Totals) != 0 || p.Next != "" {
			t.Errorf("%s: %d rows, totals %v, %v", name, len(p.Rows), p.Totals, err)
		}
	}
	// The operations manager's product filter finds the product's merchant.
	ops2 := Filter{ProductID: "P-globex-1"}
	f.checkTotals(t, ops, f.globex, ops2)
}

// expectOrder sorts the expected ids the way the list must.
func (f *fixture) expectOrder(ids []int64, s string) {
	byID := map[int64]models.OrderLine{}
	for _, l := range f.lines {
		byID[l.ID] = l
	}
	less := func(a, b models.OrderLine) bool {
		switch s {
		case SortTimeAsc:
			return a.OrderedAt.Before(b.OrderedAt) || a.OrderedAt.Equal(b.OrderedAt) && a.ID < b.ID
		case SortAmountDesc:
			return a.Amount > b.Amount || a.Amount == b.Amount && a.ID > b.ID
		case SortAmountAsc:
			return a.Amount < b.Amount || a.Amount == b.Amount && a.ID < b.ID
		}
		return a.OrderedAt.After(b.OrderedAt) || a.OrderedAt.Equal(b.OrderedAt) && a.ID > b.ID
	}
	sort.Slice(ids, func(i, j int) bool { return less(byID[ids[i]], byID[ids[j]]) })
}

// Every way of reading a page (walking the sort's index, walking a
// filter's, collecting and sorting, one merchant at a time for operations,
// within an order-id prefix's days) gives the same pages.
func TestPagesAreTheSameWhicheverWayTheyAreRead(t *testing.T) {
	f := zoneFixture(t)
	owner := models.Actor{UserID: 1, Role: models.RoleOwner, MerchantID: f.acme}
	ops := models.Actor{UserID: 3, Role: models.RoleOpsManager}
	sh, _ := time.LoadLocation("Asia/Shanghai")
	from, to := time.Date(2026, 12, 3, 0, 0, 0, 0, sh), time.Date(2027, 2, 20, 0, 0, 0, 0, sh)
	filters := map[string]Filter{
		"none":              {},
		"range":             {From: from, To: to},
		"status":            {Status: models.LineCompleted},
		"supervision":       {Supervision: models.SupervisionInProgress},
		"type and charging": {Type: models.OrderRenew, ChargingMode: models.ChargingPeriod},
		"product and range": {ProductID: "P-acme-0", From: from, To: to},
		"customer":          {CustomerID: "cust-1"},
		"prefix":            {OrderPrefix: "ORD-02"},
		"prefix 8":          {OrderPrefix: "ORD-02-0"},
		"prefix long":       {OrderPrefix: "ORD-02-00"},
		"prefix and status": {OrderPrefix: "ORD-0", Status: models.LineProvisioningFailed},
		"everything":        {Status: models.LineCompleted, Type: models.OrderNew, CustomerID: "cust-2", From: from},
	}
	defer func(w int64) { walkMin = w }(walkMin)
	for _, walk := range []int64{walkMin, 0, 1 << 40} {
		walkMin = walk
		for name, flt := range filters {
			for _, s := range Sorts {
				for _, who := range []struct {
					name     string
					actor    models.Actor
					merchant int64
					filter   int64
				}{{"owner", owner, f.acme, 0}, {"ops", ops, 0, 0}, {"ops one merchant", ops, f.globex, f.globex}} {
					t.Run(fmt.Sprintf("walk %d/%s/%s/%s", walk, name, s, who.name), func(t *testing.T) {
						flt := flt
						flt.Sort, flt.Limit, flt.MerchantID = s, 13, who.filter
						want, _, _ := f.expect(who.merchant, flt)
						f.expectOrder(want, s)
						got, _ := f.all(t, who.actor, flt)
						if !slices.Equal(got, want) {
							t.Fatalf("pages give %d lines %v\nwant %d %v", len(got), got, len(want), want)
						}
						f.pageBack(t, who.actor, flt, want)
					})
				}
			}
		}
	}
}

// A time range alone is read from order_totals_time by whole days and hours
// and from the rows for the partial hours at its ends: lines on an hour's
// first instant, and a second either side, fall on the side of the edge the
// rows put them, for ranges that start and end on, just off and between
// hours, in zones whose days begin on and off the UTC hour.
func TestTimeRangeTotalsSplitExactlyAtHours(t *testing.T) {
	f := newFixtureSpan(t, 500, 20*24*time.Hour)
	h := func(d, hh, mm, ss int) time.Time { return time.Date(2026, 11, d, hh, mm, ss, 0, time.UTC) }
	edges := []time.Time{h(3, 0, 0, 0), h(3, 7, 0, 0), h(9, 23, 0, 0), h(10, 0, 0, 0), h(12, 18, 15, 0), h(12, 18, 0, 0)}
	i := 0
	for _, e := range edges {
		for _, off := range []time.Duration{-time.Second, 0, time.Second} {
			f.moveTo(t, i, e.Add(off))
			i += 5
		}
	}
	owner := models.Actor{UserID: 1, Role: models.RoleOwner, MerchantID: f.acme}
	ops := models.Actor{UserID: 3, Role: models.RoleOpsManager}
	var bounds []time.Time
	for _, e := range edges {
		bounds = append(bounds, e, e.Add(time.Second), e.Add(-time.Second), e.Add(30*time.Minute))
	}
	for _, from := range append(bounds, time.Time{}) {
		for _, to := range append(bounds, time.Time{}) {
			if !from.IsZero() && !to.IsZero() && !from.Before(to) {
				continue
			}
			flt := Filter{From: from, To: to}
			t.Run(from.Format(time.DateTime)+"/"+to.Format(time.DateTime), func(t *testing.T) {
				f.checkTotals(t, owner, f.acme, flt)
				f.checkTotals(t, ops, 0, flt)
			})
		}
	}
	// The split itself: whole hours inside, the days inside those.
	for _, c := range []struct {
		from, to     time.Time
		lo, hi       string
		dayLo, dayHi string
		rowsOnly     bool
	}{
		{h(3, 0, 0, 0), h(10, 0, 0, 0), "2026-11-03 01", "2026-11-10 00", "2026-11-04", "2026-11-10", false},
		{h(3, 7, 30, 0), h(3, 9, 0, 0), "2026-11-03 08", "2026-11-03 09", "2026-11-04", "2026-11-03", false},
		{h(3, 7, 30, 0), h(3, 8, 59, 0), "2026-11-03 08", "2026-11-03 08", "2026-11-04", "2026-11-03", true},
		{h(2, 23, 0, 0), time.Time{}, "2026-11-03 00", "", "2026-11-03", "", false},
	} {
		s := splitHours(c.from, c.to)
		lo, hi := s.days()
		if s.hourLo != c.lo || s.hourHi != c.hi || lo != c.dayLo || hi != c.dayHi || s.rowsOnly != c.rowsOnly {
			t.Errorf("splitHours(%s, %s) = %+v days [%s, %s), want %s %s [%s, %s) %v", c.from, c.to, s, lo, hi,
				c.lo, c.hi, c.dayLo, c.dayHi, c.rowsOnly)
		}
	}
}

// A customer alone is read from order_totals_buyer, for an owner and across
// merchants.
func TestCustomerTotalsFromTheirRollup(t *testing.T) {
	f := newFixture(t, 300)
	owner := models.Actor{UserID: 1, Role: models.RoleOwner, MerchantID: f.acme}
	ops := models.Actor{UserID: 3, Role: models.RoleOpsManager}
	for _, c := range []string{"cust-0", "cust-3"} {
		f.checkTotals(t, owner, f.acme, Filter{CustomerID: c})
		f.checkTotals(t, ops, 0, Filter{CustomerID: c})
		f.checkTotals(t, ops, f.globex, Filter{CustomerID: c, MerchantID: f.globex})
	}
	// A line moved to another customer moves its totals.
	if err := f.svc.db.Exec(`UPDATE order_lines SET buyer_ref = (SELECT id FROM buyers WHERE customer_id = 'cust-3') WHERE id = ?`,
		f.lines[0].ID).Error; err != nil {
		t.Fatal(err)
	}
	for id, b := range f.buyers {
		if b.CustomerID == "cust-3" {
			f.lines[0].BuyerRef = id
		}
	}
	f.checkTotals(t, owner, f.acme, Filter{CustomerID: "cust-3"})
	f.checkTotals(t, ops, 0, Filter{CustomerID: "cust-3"})
}

// pageBack walks to the last page, then back through every previous page
// to the first: each page holds the lines the forward walk had there, and
// its position says which ones they are (第 x–y 条).
func (f *fixture) pageBack(t *testing.T, actor models.Actor, flt Filter, want []int64) {
	t.Helper()
	var last Page
	for range 100 {
		p, err := f.svc.List(context.Background(), actor, flt)
		if err != nil {
			t.Fatal(err)
		}
		last = p
		if p.Next == "" {
			break
		}
		flt.Cursor = p.Next
	}
	p := last
	for pages := 0; ; pages++ {
		if pages > 100 {
			t.Fatal("no start of pages")
		}
		if len(want) == 0 {
			if len(p.Rows) != 0 || p.Prev != "" {
				t.Fatalf("empty list gives %+v", p.Page)
			}
			return
		}
		got := make([]int64, len(p.Rows))
		for i, r := range p.Rows {
			got[i] = r.LineID
		}
		start := int(p.Start)
		if start < 1 || start-1+len(got) > len(want) || !slices.Equal(got, want[start-1:start-1+len(got)]) {
			t.Fatalf("page numbered from %d holds %v; lines there are %v", start, got, want)
		}
		if p.Prev == "" {
			if start != 1 || len(got) != min(flt.Limit, len(want)) {
				t.Fatalf("first page starts at %d with %d rows", start, len(got))
			}
			return
		}
		flt.Cursor = p.Prev
		var err error
		if p, err = f.svc.List(context.Background(), actor, flt); err != nil {
			t.Fatal(err)
		}
		if p.Next == "" {
			t.Fatal("a page read backwards has no next page")
		}
	}
}
