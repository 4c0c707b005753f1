package overview

import (
	"strconv"
	"strings"

	mov "github.com/sellercenter/sellercenter/models/overview"
)

// Chart is the trend drawn as SVG: a bar per day for the order lines and a
// line through the days' amounts, each scaled to its own maximum.
type Chart struct {
	W, H   int
	Bars   []Bar
	Points string // the amount line's polyline points, "x,y x,y …"
	Dots   []Dot
	// Axis labels: the first, middle and last day, and each series' top.
	Labels   []Label
	MaxCount int64
	MaxAmt   int64
}

// Bar is one day's order lines.
type Bar struct {
	X, Y, W, H int
	Day        mov.Day
}

// Dot marks one day's amount on the line.
type Dot struct {
	X, Y int
	Day  mov.Day
}

// Label is an axis text.
type Label struct {
	X, Y int
	Text string
}

// Chart geometry: the plot sits inside the margins.
const (
	chartW, chartH         = 720, 200
	padL, padR, padT, padB = 8, 8, 12, 24
	plotW, plotH           = chartW - padL - padR, chartH - padT - padB
	barGap                 = 2
	dateLabel              = "01-02"
)

// BuildChart lays the days out: day i's slot is plotW/len(days) wide; its
// bar rises from the baseline by count/maxCount of the plot's height and
// its dot sits at the slot's middle, amount/maxAmount up. A series that is
// all zero lies on the baseline.
func BuildChart(days []mov.Day) Chart {
	c := Chart{W: chartW, H: chartH}
	if len(days) == 0 {
		return c
	}
	for _, d := range days {
		c.MaxCount = max(c.MaxCount, d.Count)
		c.MaxAmt = max(c.MaxAmt, d.Amount)
	}
	slot := plotW / len(days)
	base := padT + plotH
	scale := func(v, top int64) int {
		if top <= 0 || v <= 0 {
			return 0
		}
		return int(v * int64(plotH) / top)
	}
	pts := make([]string, 0, len(days))
	for i, d := range days {
		x := padL + i*slot
		h := scale(d.Count, c.MaxCount)
		c.Bars = append(c.Bars, Bar{X: x + barGap/2, Y: base - h, W: slot - barGap, H: h, Day: d})
		dx, dy := x+slot/2, base-scale(d.Amount, c.MaxAmt)
		c.Dots = append(c.Dots, Dot{X: dx, Y: dy, Day: d})
		pts = append(pts, strconv.Itoa(dx)+","+strconv.Itoa(dy))
	}
	c.Points = strings.Join(pts, " ")
	for _, i := range []int{0, len(days) / 2, len(days) - 1} {
		c.Labels = append(c.Labels, Label{X: padL + i*slot + slot/2, Y: chartH - 6, Text: days[i].Date.Format(dateLabel)})
	}
	return c
}

func itoa(n int) string { return strconv.Itoa(n) }
