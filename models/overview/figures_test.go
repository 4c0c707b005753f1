package overview_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/dbtest"
	"github.com/sellercenter/sellercenter/models/overview"
)

// The figures against lines seeded around Beijing midnights, month starts
// and the trend's first day, with the clock fixed: every number is also
// counted here in Go from the same lines.
func TestFiguresCountTheLinesInTheReadersDays(t *testing.T) {
	d := dbtest.Open(t)
	sh, _ := time.LoadLocation("Asia/Shanghai")
	now := time.Date(2026, 12, 2, 10, 30, 0, 0, sh) // 02:30 UTC
	clock := bizclock.NewFake(now)
	t0 := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	var merchants []int64
	for _, slug := range []string{"acme", "globex"} {
		m := models.Merchant{Slug: slug, Name: slug, Status: models.MerchantActive, CreatedAt: t0, UpdatedAt: t0}
		if err := d.Gorm.Create(&m).Error; err != nil {
			t.Fatal(err)
		}
		merchants = append(merchants, m.ID)
		p := models.Product{MerchantID: m.ID, ProductID: "P-" + slug, Name: slug, Kind: models.KindSaaS,
			ChargingMode: models.ChargingPeriod, PeriodType: "month", Status: models.ProductOnSale, CreatedAt: t0, UpdatedAt: t0}
		if err := d.Gorm.Create(&p).Error; err != nil {
			t.Fatal(err)
		}
	}
	b := models.Buyer{CustomerID: "c1", NameMasked: "客*", CreatedAt: t0, UpdatedAt: t0}
	d.Gorm.Create(&b)
	type line struct {
		at       time.Time
		amount   int64
		currency string
		status   models.LineStatus
		merchant int64
	}
	// Edges: Beijing midnight today (16:00 UTC yesterday) and a second
	// before it; the first of the month; the trend's first day (Nov 3)
	// and the day before it; then random lines over two months.
	var lines []line
	edges := []time.Time{
		time.Date(2026, 12, 2, 0, 0, 0, 0, sh), time.Date(2026, 12, 1, 23, 59, 59, 0, sh),
		time.Date(2026, 12, 1, 0, 0, 0, 0, sh), time.Date(2026, 11, 30, 23, 59, 59, 0, sh),
		time.Date(2026, 11, 3, 0, 0, 0, 0, sh), time.Date(2026, 11, 2, 23, 59, 59, 0, sh),
		time.Date(2026, 12, 2, 10, 29, 0, 0, sh),
	}
	for i, at := range edges {
		lines = append(lines, line{at, int64(1000 + i), "CNY", models.LineCompleted, merchants[0]})
	}
	r := rand.New(rand.NewPCG(3, 4))
	statuses := []models.LineStatus{models.LineCompleted, models.LineProvisioningFailed, models.LineProcessing, models.LineUnsubscribed, models.LineSupervising}
	for range 400 {
		at := t0.Add(time.Duration(r.Int64N(int64(now.Sub(t0)/time.Second))) * time.Second)
		cur := "CNY"
		if r.IntN(8) == 0 {
			cur = "USD"
		}
		lines = append(lines, line{at, r.Int64N(50000), cur, statuses[r.IntN(len(statuses))], merchants[r.IntN(2)]})
	}
	for i, l := range lines {
		l.at = l.at.UTC() // stored UTC, as intake stores it
		o := models.Order{MerchantID: l.merchant, OrderID: fmt.Sprintf("O%04d", i), OrderType: models.OrderNew, BuyerID: b.ID,
			Status: l.status, Amount: l.amount, Currency: l.currency, CreatedAt: l.at, ReceivedAt: l.at, UpdatedAt: l.at, RequestHash: "x"}
		if err := d.Gorm.Create(&o).Error; err != nil {
			t.Fatal(err)
		}
		ol := models.OrderLine{OrderRef: o.ID, MerchantID: l.merchant, OrderLineID: o.OrderID + "-1", ProductRef: l.merchant,
			ChargingMode: models.ChargingPeriod, Amount: l.amount, Currency: l.currency, Status: l.status, UpdatedAt: l.at,
			OrderCode: o.OrderID, OrderType: models.OrderNew, OrderedAt: l.at, BuyerRef: b.ID, Supervision: models.SupervisionNone}
		if err := d.Gorm.Create(&ol).Error; err != nil {
			t.Fatal(err)
		}
	}
	// What the figures must say, counted from the lines.
	today := time.Date(2026, 12, 2, 0, 0, 0, 0, sh)
	monthStart := time.Date(2026, 12, 1, 0, 0, 0, 0, sh)
	trendStart := today.AddDate(0, 0, -(overview.TrendDays - 1))
	var wantToday, wantMonth, ok, failed int64
	wantTodayCNY, wantMonthAmt := int64(0), map[string]int64{}
	wantDays := map[string][2]int64{}
	for _, l := range lines {
		if l.merchant != merchants[0] || !l.at.Before(today.AddDate(0, 0, 1)) {
			continue
		}
		if !l.at.Before(today) {
			wantToday++
			if l.currency == "CNY" {
				wantTodayCNY += l.amount
			}
		}
		if !l.at.Before(monthStart) {
			wantMonth++
			wantMonthAmt[l.currency] += l.amount
		}
		if !l.at.Before(trendStart) {
			k := l.at.In(sh).Format("2006-01-02")
			v := wantDays[k]
			v[0]++
			if l.currency == "CNY" {
				v[1] += l.amount
			}
			wantDays[k] = v
			switch l.status {
			case models.LineProvisioningFailed:
				failed++
			case models.LineCompleted, models.LineSupervising, models.LineUnsubscribed:
				ok++
			}
		}
	}
	svc := overview.New().WithFigures(d.Gorm, clock, nil)
	owner := models.Actor{UserID: 1, Role: models.RoleOwner, MerchantID: merchants[0]}
	h, err := svc.Home(context.Background(), owner, sh)
	if err != nil {
		t.Fatal(err)
	}
	f := h.Figures
	if f.Today.Count != wantToday || f.Month.Count != wantMonth || wantToday < 2 {
		t.Fatalf("today %d (want %d), month %d (want %d)", f.Today.Count, wantToday, f.Month.Count, wantMonth)
	}
	for _, a := range f.Month.Amounts {
		if a.Amount != wantMonthAmt[a.Currency] {
			t.Fatalf("month %s %d, want %d", a.Currency, a.Amount, wantMonthAmt[a.Currency])
		}
	}
	if len(f.Today.Amounts) == 0 || f.Today.Amounts[0].Currency != "CNY" || f.Today.Amounts[0].Amount != wantTodayCNY {
		t.Fatalf("today's amounts %+v, want CNY %d", f.Today.Amounts, wantTodayCNY)
	}
	if len(f.Trend) != overview.TrendDays || !f.Trend[0].Date.Equal(trendStart) || !f.Trend[overview.TrendDays-1].Date.Equal(today) {
		t.Fatalf("trend spans %d days from %v", len(f.Trend), f.Trend[0].Date)
	}
	for _, day := range f.Trend {
		w := wantDays[day.Date.Format("2006-01-02")]
		if day.Count != w[0] || day.Amount != w[1] {
			t.Fatalf("%s: %d lines %d fen, want %d %d", day.Date.Format("2006-01-02"), day.Count, day.Amount, w[0], w[1])
		}
	}
	if f.Provisioned != ok || f.Failed != failed || ok == 0 || failed == 0 {
		t.Fatalf("provisioned %d failed %d, want %d %d", f.Provisioned, f.Failed, ok, failed)
	}
	if r, known := f.SuccessRate(); !known || r != float64(ok)/float64(ok+failed) {
		t.Fatalf("rate %v", r)
	}
	// Delivery staff keep their board without the figures; a buyer none.
	if h, err := svc.Home(context.Background(), models.Actor{UserID: 2, Role: models.RoleDelivery, MerchantID: merchants[0]}, sh); err != nil || h.Figures != nil {
		t.Fatalf("delivery sees figures: %v", err)
	}
	fin := models.Actor{UserID: 3, Role: models.RoleFinance, MerchantID: merchants[1]}
	var globexMonth int64
	for _, l := range lines {
		if l.merchant == merchants[1] && !l.at.Before(monthStart) {
			globexMonth++
		}
	}
	if h, err := svc.Home(context.Background(), fin, sh); err != nil || h.Figures == nil || h.Figures.Month.Count != globexMonth {
		t.Fatalf("finance of globex: %v, month %d, want %d", err, h.Figures.Month.Count, globexMonth)
	}
}
