package overview

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	mov "github.com/sellercenter/sellercenter/models/overview"
)

// The trend's geometry: 720×200 with 8/8/12/24 margins gives a 704×164
// plot; four days make 176-wide slots; the busiest day's bar and the
// largest amount's dot reach the plot's top (y 12), a zero day lies on the
// baseline (y 176).
func TestTrendChartPoints(t *testing.T) {
	d0 := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	days := []mov.Day{{Date: d0, Count: 4, Amount: 1000}, {Date: d0.AddDate(0, 0, 1), Count: 2, Amount: 0},
		{Date: d0.AddDate(0, 0, 2), Count: 0, Amount: 4000}, {Date: d0.AddDate(0, 0, 3), Count: 1, Amount: 2000}}
	c := BuildChart(days)
	if c.Points != "96,135 272,176 448,12 624,94" {
		t.Fatalf("amount line %q", c.Points)
	}
	wantBars := [][4]int{{9, 12, 174, 164}, {185, 94, 174, 82}, {361, 176, 174, 0}, {537, 135, 174, 41}}
	for i, b := range c.Bars {
		if [4]int{b.X, b.Y, b.W, b.H} != wantBars[i] {
			t.Fatalf("bar %d: %+v, want %v", i, b, wantBars[i])
		}
	}
	if len(c.Labels) != 3 || c.Labels[0].Text != "11-29" || c.Labels[2].Text != "12-02" {
		t.Fatalf("labels %+v", c.Labels)
	}
	// Rendered: the polyline carries the points, one bar and dot a day.
	var b strings.Builder
	if err := trendChart(c, "CNY").Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.Find("polyline").AttrOr("points", ""); got != c.Points || doc.Find("rect.bar").Length() != 4 || doc.Find("circle").Length() != 4 {
		t.Fatalf("svg: %s", b.String())
	}
	if strings.Contains(b.String(), "<script") {
		t.Fatal("the chart needs no script")
	}
	// No data: an empty chart, not a division by zero.
	if e := BuildChart([]mov.Day{{Date: d0}, {Date: d0}}); e.Points != "184,176 536,176" {
		t.Fatalf("all-zero line %q", e.Points)
	}
}
