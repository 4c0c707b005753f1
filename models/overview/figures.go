package overview

import (
	"context"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
)

// TrendDays is how many days the overview's trend covers, today included.
const TrendDays = 30

// Amount is a sum in one currency (minor units).
type Amount struct {
	Currency string
	Amount   int64
}

// Period is what was ordered in a span: order lines and their sums.
type Period struct {
	Count   int64
	Amounts []Amount // by currency, CNY first
}

// Day is one day of the trend, in the reader's zone.
type Day struct {
	Date   time.Time // local midnight
	Count  int64
	Amount int64 // in the trend's currency
}

// Money is what finance watches, per currency: invoices issued this month,
// requested and not yet issued (待开票), and issued ones to be returned
// (需退票).
type Money struct {
	Currency                         string
	Invoiced, ToInvoice, NeedsReturn int64
}

// Figures are the owner's and finance's numbers on the overview.
type Figures struct {
	Now           time.Time // in the reader's zone
	Today, Month  Period
	Trend         []Day // TrendDays days, oldest first
	TrendCurrency string
	// Provisioning over the trend's days: order lines that provisioned
	// (completed, supervising or since unsubscribed) and that failed.
	Provisioned, Failed int64
	Money               []Money
}

// SuccessRate is Provisioned over Provisioned + Failed; ok is false when
// no line was decided in the window.
func (f Figures) SuccessRate() (rate float64, ok bool) {
	if f.Provisioned+f.Failed == 0 {
		return 0, false
	}
	return float64(f.Provisioned) / float64(f.Provisioned+f.Failed), true
}

// MoneySource reads finance's figures for the actor's merchant; monthStart
// is the first instant of the reader's month.
type MoneySource func(ctx context.Context, actor models.Actor, monthStart time.Time) ([]Money, error)

// FigureSource computes the figures; it reads the order rollups of
// migration 00015, so their cost does not grow with the merchant's history.
type FigureSource struct {
	db    *gorm.DB
	clock interface{ Now() time.Time }
	money MoneySource
}

// WithFigures adds the owner's and finance's figures to the overview.
func (s *Service) WithFigures(db *gorm.DB, clock interface{ Now() time.Time }, money MoneySource) *Service {
	s.figures = &FigureSource{db: db, clock: clock, money: money}
	return s
}

// hourKey is order_totals_time's hourly bucket: the first 13 characters of
// ordered_at's stored form, a UTC hour.
const hourKey = "2006-01-02 15"

// Figures computes the actor's merchant's figures in loc's days. The
// rollup's buckets are UTC hours, so days are exact in every zone whose
// offset is whole hours (Beijing time among them).
func (f *FigureSource) Figures(ctx context.Context, actor models.Actor, loc *time.Location) (*Figures, error) {
	if !actor.Can(models.PermOverviewFigures) || actor.MerchantID == 0 {
		return nil, models.ErrForbidden
	}
	now := f.clock.Now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	tomorrow := today.AddDate(0, 0, 1)
	trendStart := today.AddDate(0, 0, -(TrendDays - 1))
	monthStart := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc)
	from := trendStart
	if monthStart.Before(from) {
		from = monthStart
	}
	var rows []struct {
		Currency string
		Bucket   string
		N        int64
		Amount   int64
	}
	db := f.db.WithContext(ctx)
	if err := db.Raw(`SELECT currency, bucket, n, amount FROM order_totals_time
		WHERE merchant_id = ? AND grain = 'h' AND bucket >= ? AND bucket < ?`,
		actor.MerchantID, from.UTC().Format(hourKey), tomorrow.UTC().Format(hourKey)).Scan(&rows).Error; err != nil {
		return nil, err
	}
	fig := &Figures{Now: now, TrendCurrency: "CNY"}
	byDay := map[time.Time]*Day{}
	for i := range TrendDays {
		d := trendStart.AddDate(0, 0, i)
		fig.Trend = append(fig.Trend, Day{Date: d})
	}
	for i := range fig.Trend {
		byDay[fig.Trend[i].Date] = &fig.Trend[i]
	}
	todayAmt, monthAmt := map[string]int64{}, map[string]int64{}
	for _, r := range rows {
		h, err := time.ParseInLocation(hourKey, r.Bucket, time.UTC)
		if err != nil {
			continue
		}
		lt := h.In(loc)
		day := time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, loc)
		if !day.Before(monthStart) {
			fig.Month.Count += r.N
			monthAmt[r.Currency] += r.Amount
		}
		if day.Equal(today) {
			fig.Today.Count += r.N
			todayAmt[r.Currency] += r.Amount
		}
		if d, ok := byDay[day]; ok {
			d.Count += r.N
			if r.Currency == fig.TrendCurrency {
				d.Amount += r.Amount
			}
		}
	}
	fig.Today.Amounts, fig.Month.Amounts = amounts(todayAmt), amounts(monthAmt)
	var st []struct {
		Status models.LineStatus
		N      int64
	}
	// order_lines_list_status serves each status as one index range.
	if err := db.Raw(`SELECT status, count(*) AS n FROM order_lines WHERE merchant_id = ? AND status IN ? AND ordered_at >= ? AND ordered_at < ?
		GROUP BY status`, actor.MerchantID, []models.LineStatus{models.LineCompleted, models.LineSupervising, models.LineUnsubscribed,
		models.LineProvisioningFailed}, trendStart.UTC(), tomorrow.UTC()).Scan(&st).Error; err != nil {
		return nil, err
	}
	for _, s := range st {
		if s.Status == models.LineProvisioningFailed {
			fig.Failed += s.N
		} else {
			fig.Provisioned += s.N
		}
	}
	if f.money != nil && actor.Can(models.PermInvoicesView) {
		m, err := f.money(ctx, actor, monthStart)
		if err != nil {
			return nil, err
		}
		fig.Money = m
	}
	return fig, nil
}

func amounts(m map[string]int64) []Amount {
	out := make([]Amount, 0, len(m))
	for c, a := range m {
		out = append(out, Amount{Currency: c, Amount: a})
	}
	slices.SortFunc(out, func(a, b Amount) int {
		switch {
		case a.Currency == b.Currency:
			return 0
		case a.Currency == "CNY":
			return -1
		case b.Currency == "CNY":
			return 1
		case a.Currency < b.Currency:
			return -1
		}
		return 1
	})
	return out
}

// Home is the overview page: the figures for those who read them (nil
// otherwise), the to-do board and the live clocks.
type Home struct {
	Figures *Figures
	Board   []Item
	Clocks  []Clock
}

// Home assembles the overview for the actor in its zone.
func (s *Service) Home(ctx context.Context, actor models.Actor, loc *time.Location) (*Home, error) {
	var h Home
	var err error
	if s.figures != nil && actor.Can(models.PermOverviewFigures) && actor.MerchantID != 0 {
		if h.Figures, err = s.figures.Figures(ctx, actor, loc); err != nil {
			return nil, err
		}
	}
	if h.Board, err = s.Board(ctx, actor); err != nil {
		return nil, err
	}
	if h.Clocks, err = s.Clocks(ctx, actor); err != nil {
		return nil, err
	}
	return &h, nil
}
