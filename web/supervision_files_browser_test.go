package web_test

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// fetchBytes downloads a link with the browser's own cookies.
func (b *browser) fetchBytes(t *testing.T, href string) []byte {
	t.Helper()
	b64, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`fetch(`+strconv.Quote(href)+`, {credentials: "same-origin"})
		.then(r => r.ok ? r.arrayBuffer() : Promise.reject(new Error("HTTP " + r.status)))
		.then(buf => { let s = ""; const a = new Uint8Array(buf); for (let i = 0; i < a.length; i++) s += String.fromCharCode(a[i]); return btoa(s); })`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	data, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// The merchant filters 服务监管 by node, presses 导出, and the file it
// downloads holds the rows the filtered list showed.
func TestBrowserSupervisionExportsTheFilteredList(t *testing.T) {
	b := newBrowser(t)
	a := newAPIEnv(t)
	a.buyerSupOrder("CS-BX-1")
	a.buyerSupOrder("CS-BX-2")
	a.buyerSupOrder("CS-BX-3")
	if r := a.authed(http.MethodPost, "/api/v1/supervision/CS-BX-2-1/events",
		`{"eventId":"bx","event":"submit_requirements","text":"two sites"}`); r.status != http.StatusCreated {
		t.Fatalf("submit %d", r.status)
	}
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(300 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if err := a.runExportsOnce(); err != nil {
					t.Error(err)
					return
				}
			}
		}
	}()
	t.Cleanup(func() { close(stop); <-done })

	b.login(t, a.srv.URL, "owner@acme.test")
	b.do(t,
		chromedp.Navigate(a.srv.URL+"/supervision"),
		chromedp.WaitVisible(tid("sup-filter")),
		chromedp.SetValue(tid("sup-filter-node"), "requirements"),
		chromedp.Submit(tid("sup-filter")),
		chromedp.WaitNotPresent(chromedp.CSS(`[data-testid="sup-row"][data-order="CS-BX-2"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="sup-row"][data-order="CS-BX-3"]`)),
	)
	listed, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('[data-testid="sup-row"]')].map(r => r.dataset.order)`))
	if err != nil || len(listed) != 2 {
		t.Fatalf("filtered list %v (%v)", listed, err)
	}
	b.do(t,
		chromedp.Click(tid("export-submit")),
		chromedp.WaitVisible(tid("exports-table")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="export-row"][data-status="done"] [data-testid="export-download"]`)),
	)
	b.shot(t, "supervision-export-done")
	href, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](
		`document.querySelector('[data-testid="export-download"]').getAttribute('href')`))
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b.fetchBytes(t, href)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("服务监管")
	var exported []string
	for _, r := range rows[1:] {
		exported = append(exported, r[0])
	}
	if !slices.Equal(exported, listed) || rows[1][5] != "用户提交需求" {
		t.Fatalf("exported %v, the list showed %v", rows, listed)
	}
}

// The merchant uploads the requirement template on the product's settings;
// the buyer finds it on its flow, where it submits requirements, and
// downloads it.
func TestBrowserBuyerDownloadsTheRequirementTemplate(t *testing.T) {
	b := newBrowser(t)
	a := newAPIEnv(t)
	a.db.Gorm.Model(&a.product).Update("supervised", true)
	id := a.buyerSupOrder("CS-BT")
	tpl := []byte("需求模板：部署地址、账号数量、联系人")
	path := filepath.Join(t.TempDir(), "需求模板.txt")
	if err := os.WriteFile(path, tpl, 0o600); err != nil {
		t.Fatal(err)
	}
	b.login(t, a.srv.URL, "owner@acme.test")
	b.do(t,
		chromedp.Navigate(a.srv.URL+"/settings/products"),
		chromedp.Click(tid("product-sup-settings")),
		chromedp.WaitVisible(tid("sup-settings")),
		chromedp.WaitVisible(tid("sup-template-none")),
		chromedp.SetUploadFiles(tid("sup-settings-template"), []string{path}),
		chromedp.Click(tid("sup-settings-save")),
		chromedp.WaitVisible(tid("sup-template-link")),
		chromedp.Click(tid("logout")),
		chromedp.WaitVisible(tid("login-form")),
	)
	b.login(t, a.srv.URL, "buyer@demo.test")
	b.do(t,
		chromedp.Navigate(a.srv.URL+"/buyer/supervision/"+strconv.FormatInt(id, 10)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="sup-detail"][data-node="requirements"]`)),
		chromedp.WaitVisible(tid("sup-action-submit")),
		chromedp.WaitVisible(tid("sup-template-link")),
	)
	b.shot(t, "buyer-template")
	name := b.text(t, `[data-testid="sup-template-link"]`)
	href, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](
		`document.querySelector('[data-testid="sup-template-link"]').getAttribute('href')`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(name) != "需求模板.txt" || !bytes.Equal(b.fetchBytes(t, href), tpl) {
		t.Fatalf("template %q at %s", name, href)
	}
}
