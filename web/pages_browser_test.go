package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/provisioning"
)

// loginAs logs the browser in and waits for the overview.
func (b *browser) loginAs(t *testing.T, base, email string) {
	t.Helper()
	b.do(t,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(tid("login-form")),
		chromedp.SendKeys(tid("login-email"), email),
		chromedp.SendKeys(tid("login-password"), "demo-pass-123"),
		chromedp.Click(tid("login-submit")),
		chromedp.WaitVisible(`[data-testid="page-title"]`),
	)
}

// orderCodes are the order ids on the page, top to bottom.
func (b *browser) orderCodes(t *testing.T) []string {
	t.Helper()
	codes, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll('[data-testid="order-link"]')).map(a => a.textContent.trim())`))
	if err != nil {
		t.Fatal(err)
	}
	return codes
}

func TestBrowserOrderListPagesBothWays(t *testing.T) {
	b := newBrowser(t)
	w := newWorld(t)
	for i := range 45 {
		w.order(fmt.Sprintf("ORD-P%02d", i), "00301-100001-0--0")
		w.clock.Advance(1e9) // a second apart: one order per instant
	}
	b.loginAs(t, w.srv.URL, "owner@acme.test")
	b.do(t, chromedp.Navigate(w.srv.URL+"/orders?size=20"), chromedp.WaitVisible(tid("orders-table")))
	pos := func() string { return b.text(t, `[data-testid="orders-position"]`) }
	if got := pos(); got != "第 1–20 条，共 45 条" {
		t.Fatalf("first page position %q", got)
	}
	first := b.orderCodes(t)
	if len(first) != 20 || first[0] != "ORD-P44" || first[19] != "ORD-P25" {
		t.Fatalf("first page %v", first)
	}
	b.do(t, chromedp.Click(tid("orders-next")), chromedp.WaitVisible(tid("orders-prev")))
	second := b.orderCodes(t)
	if got := pos(); got != "第 21–40 条，共 45 条" || len(second) != 20 || second[0] != "ORD-P24" {
		t.Fatalf("second page %q %v", got, second)
	}
	b.do(t, chromedp.Click(tid("orders-next")), chromedp.WaitVisible(tid("orders-prev")))
	if got, codes := pos(), b.orderCodes(t); got != "第 41–45 条，共 45 条" || len(codes) != 5 || codes[4] != "ORD-P00" {
		t.Fatalf("last page %q %v", got, codes)
	}
	if n, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="orders-next"]').length`)); n != 0 {
		t.Fatal("the last page links a next page")
	}
	b.shot(t, "last-page")
	// Back: the same pages, numbered the same.
	b.do(t, chromedp.Click(tid("orders-prev")), chromedp.WaitVisible(tid("orders-next")))
	if got, codes := pos(), b.orderCodes(t); got != "第 21–40 条，共 45 条" || strings.Join(codes, ",") != strings.Join(second, ",") {
		t.Fatalf("back to the second page: %q %v", got, codes)
	}
	b.do(t, chromedp.Click(tid("orders-prev")), chromedp.WaitVisible(tid("orders-next")))
	if got, codes := pos(), b.orderCodes(t); got != "第 1–20 条，共 45 条" || strings.Join(codes, ",") != strings.Join(first, ",") {
		t.Fatalf("back to the first page: %q %v", got, codes)
	}
	if n, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="orders-prev"]').length`)); n != 0 {
		t.Fatal("the first page links a previous page")
	}
	// Choosing a page size starts over with that many rows.
	b.do(t, chromedp.SetValue(tid("orders-size"), "50"), chromedp.Submit(tid("orders-size")),
		chromedp.WaitNotPresent(tid("orders-next")))
	if got := pos(); got != "第 1–45 条，共 45 条" {
		t.Fatalf("page size 50: %q", got)
	}
}

// headerBox is where a column header is drawn.
type headerBox struct {
	Text                     string
	Left, Right, Top, Bottom float64
}

// At 1366×768, the most common office laptop in China, every column of the
// order list is on screen: the operations manager's (with 商家), in Chinese
// and in English, with rows of the demo's longest values.
func TestBrowserOrderListShowsEveryColumnAt1366x768(t *testing.T) {
	b := newBrowser(t)
	w := newWorld(t)
	for i, p := range []struct{ product, charging, period, amount string }{
		{"00301-100002-0--0", models.ChargingPeriod, "year", "1234567.89"},
		{"00301-100001-0--0", models.ChargingPeriod, "month", "99999.00"},
		{"00302-200001-0--0", models.ChargingPeriod, "month", "12.00"},
		{"00301-100003-0--0", models.ChargingOneTime, "", "880000.00"},
	} {
		id := fmt.Sprintf("CS2611231000TOHQ%d", i) // the marketplace's order id shape
		in := provisioning.OrderInput{OrderID: id, OrderType: models.OrderNew, CreateTime: w.clock.Now().Add(-time.Minute),
			Buyer: provisioning.BuyerInput{CustomerID: "cust-" + id, CustomerName: "欧阳王五"},
			Lines: []provisioning.LineInput{{OrderLineID: id + "-000001", ProductID: p.product, ChargingMode: p.charging,
				PeriodType: p.period, PeriodNumber: map[string]int{"year": 3, "month": 12}[p.period], Amount: p.amount}}}
		if _, _, err := w.core.AcceptOrder(context.Background(), in); err != nil {
			t.Fatal(err)
		}
		w.runDue()
	}
	dir := t.TempDir()
	b.loginAs(t, w.srv.URL, "ops@demo.test")
	b.do(t, chromedp.EmulateViewport(1366, 768))
	for _, lang := range []string{"zh", "en"} {
		if lang == "en" {
			b.do(t, chromedp.Click(tid("lang-en")), chromedp.WaitVisible(tid("lang-zh")))
		}
		b.do(t, chromedp.Navigate(w.srv.URL+"/orders"), chromedp.WaitVisible(tid("orders-table")))
		boxes, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]headerBox](`Array.from(document.querySelectorAll(
			'[data-testid="orders-table"] thead th')).map(th => { const r = th.getBoundingClientRect();
			return {Text: th.innerText.trim(), Left: r.left, Right: r.right, Top: r.top, Bottom: r.bottom} })`))
		if err != nil {
			t.Fatal(err)
		}
		// The screen's width, its height, and the right edge of what the
		// table's scroll box shows (a header past it is cut off even on
		// screen).
		vw, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]float64](`(() => {
			const w = document.querySelector('[data-testid="orders-table"]').closest('.table-wrap');
			const r = w.getBoundingClientRect();
			return [Math.min(document.documentElement.clientWidth, r.left + w.clientWidth + 1), window.innerHeight];
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		shot := filepath.Join(dir, "orders-1366x768-"+lang+".png")
		if err := os.WriteFile(shot, png, 0o644); err != nil {
			t.Fatal(err)
		}
		b.shot(t, lang)
		if len(boxes) != 11 {
			t.Fatalf("%s: %d column headers, want 11 (with 商家)", lang, len(boxes))
		}
		if boxes[1].Text != map[string]string{"zh": "商家", "en": "Merchant"}[lang] {
			t.Fatalf("%s: second column %q", lang, boxes[1].Text)
		}
		for _, h := range boxes {
			if h.Text == "" || h.Left < 0 || h.Right > vw[0] || h.Top < 0 || h.Bottom > vw[1] {
				t.Errorf("%s: header %q at x %.0f–%.0f, y %.0f–%.0f is off the %v×%v screen (see %s)",
					lang, h.Text, h.Left, h.Right, h.Top, h.Bottom, vw[0], vw[1], shot)
			}
		}
		if codes := b.orderCodes(t); len(codes) != 4 {
			t.Fatalf("%s: rows %v", lang, codes)
		}
	}
}
