package tickets

import (
	"fmt"
	"math"
	"strings"
	"time"

	mt "github.com/sellercenter/sellercenter/models/tickets"
)

// Chart is the SLA report's figure, laid out in Go so the template only
// draws: per week a bar of the median first response and a tick at the
// 90th percentile (left axis, minutes), the target as a dashed line, and the
// breach rate as a line (right axis, percent).
type Chart struct {
	W, H       int
	Left, Top  int // plot area origin
	PW, PH     int // plot area size
	Bars       []ChartBar
	TargetY    float64
	YTicks     []ChartTick
	RateTicks  []ChartTick
	RatePoints string
	RateDots   []ChartDot
}

// ChartBar is one week's bar.
type ChartBar struct {
	X, Y, Width, Height float64
	P90Y                float64
	HasP90              bool
	Label               string // the week's Monday, MM-DD
	LabelX              float64
	Title               []any // the tooltip's figures (catalog ops.tickets.chart_bar)
}

// ChartTick is an axis label.
type ChartTick struct {
	Y     float64
	Label string
}

// ChartDot is a breach-rate point.
type ChartDot struct{ X, Y float64 }

// BuildChart lays out the weeks of a report.
func BuildChart(weeks []mt.ReportRow, target time.Duration) Chart {
	c := Chart{W: 760, H: 280, Left: 48, Top: 16, PW: 660, PH: 220}
	maxMin := target.Minutes() * 1.25
	for _, w := range weeks {
		maxMin = math.Max(maxMin, w.P90.Minutes()*1.1)
	}
	maxMin = math.Ceil(maxMin/5) * 5
	y := func(min float64) float64 { return float64(c.Top) + float64(c.PH)*(1-min/maxMin) }
	rateY := func(r float64) float64 { return float64(c.Top) + float64(c.PH)*(1-r) }
	c.TargetY = y(target.Minutes())
	for i := 0; i <= 4; i++ {
		m := maxMin * float64(i) / 4
		c.YTicks = append(c.YTicks, ChartTick{Y: y(m), Label: fmt.Sprintf("%.0f", m)})
		c.RateTicks = append(c.RateTicks, ChartTick{Y: rateY(float64(i) / 4), Label: fmt.Sprintf("%d%%", i*25)})
	}
	n := max(len(weeks), 1)
	slot := float64(c.PW) / float64(n)
	var pts []string
	for i, w := range weeks {
		x := float64(c.Left) + slot*float64(i)
		b := ChartBar{X: x + slot*0.2, Width: slot * 0.6, Label: w.Week.Format("01-02"), LabelX: x + slot/2,
			Title: []any{"Week", w.Week.Format("2006-01-02"), "Median", Minutes(w.Median), "P90", Minutes(w.P90),
				"Breached", w.Breached, "Decided", w.Decided()}}
		b.Y = y(w.Median.Minutes())
		b.Height = float64(c.Top+c.PH) - b.Y
		if w.Answered > 0 {
			b.P90Y, b.HasP90 = y(w.P90.Minutes()), true
		}
		c.Bars = append(c.Bars, b)
		if w.Decided() > 0 {
			d := ChartDot{X: x + slot/2, Y: rateY(w.BreachRate())}
			c.RateDots = append(c.RateDots, d)
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", d.X, d.Y))
		}
	}
	c.RatePoints = strings.Join(pts, " ")
	return c
}

func f1(v float64) string { return fmt.Sprintf("%.1f", v) }

func itoa(v int) string { return fmt.Sprint(v) }

// orDash shows s when there is something behind it (n > 0), else a dash.
func orDash(n int, s string) string {
	if n == 0 {
		return "—"
	}
	return s
}
