package web_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/exports"
)

// fakeExportQueue records queued exports; runExports plays the job runner.
type fakeExportQueue struct {
	mu  sync.Mutex
	ids []int64
}

func (q *fakeExportQueue) Enqueue(_ context.Context, _ *sql.Tx, id int64) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.ids = append(q.ids, id)
	return nil
}

// runExportsOnce runs every queued export once; busy ones stay queued.
func (e *env) runExportsOnce() error {
	e.expq.mu.Lock()
	ids := e.expq.ids
	e.expq.ids = nil
	e.expq.mu.Unlock()
	var keep []int64
	for _, id := range ids {
		err := e.exp.Run(context.Background(), id)
		if errors.Is(err, exports.ErrBusy) {
			keep = append(keep, id)
			continue
		}
		if err != nil {
			return fmt.Errorf("export %d: %w", id, err)
		}
	}
	e.expq.mu.Lock()
	e.expq.ids = append(keep, e.expq.ids...)
	e.expq.mu.Unlock()
	return nil
}

func (e *env) runExports() {
	e.t.Helper()
	if err := e.runExportsOnce(); err != nil {
		e.t.Fatal(err)
	}
}

// exportForm reads a list page's export form as a browser would submit it.
func exportForm(t *testing.T, p page) (string, url.Values) {
	t.Helper()
	f := testid(p, "export-form")
	if f.Length() != 1 {
		t.Fatalf("no export form on the page (status %d)", p.status)
	}
	vals := url.Values{}
	f.Find("input[type=hidden]").Each(func(_ int, s *goquery.Selection) {
		if n := s.AttrOr("name", ""); n != "_csrf" {
			vals.Set(n, s.AttrOr("value", ""))
		}
	})
	vals.Set("format", f.Find(`select[name="format"] option`).First().AttrOr("value", ""))
	return f.AttrOr("action", ""), vals
}

func (c *client) download(path string) (int, http.Header, []byte) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.e.srv.URL+path, nil)
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, b
}

func exportRow(p page, id int64) *goquery.Selection {
	return p.doc.Find(fmt.Sprintf(`[data-testid="export-row"][data-id="%d"]`, id))
}

func (e *env) lastExportID() int64 {
	e.t.Helper()
	var id int64
	if err := e.db.SQL.QueryRow(`SELECT max(id) FROM exports`).Scan(&id); err != nil {
		e.t.Fatal(err)
	}
	return id
}

func TestExportOrdersFromTheListToTheDownload(t *testing.T) {
	w := newWorld(t)
	w.order("ORD-X1", "00301-100001-0--0")
	w.order("ORD-X2", "00301-100002-0--0")
	w.order("ORD-G1", "00302-200001-0--0")
	acme := w.loggedIn("owner@acme.test")
	list := acme.get("/orders?" + url.Values{"product": {"00301-100001-0--0"}, "cursor": {""}}.Encode())
	action, form := exportForm(t, list)
	if action != "/exports" || form.Get("kind") != "orders" || form.Get("format") != "xlsx" {
		t.Fatalf("export form: %s %v", action, form)
	}
	p := acme.post(action, form)
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/exports" {
		t.Fatalf("export: %d %s", p.status, p.header.Get("Location"))
	}
	id := w.lastExportID()
	h := acme.get("/exports")
	row := exportRow(h, id)
	if h.status != 200 || row.AttrOr("data-status", "") != "running" || !strings.Contains(row.Text(), "排队中") ||
		testid(h, "exports-table").AttrOr("data-refresh", "none") == "none" || row.Find("progress").Length() != 1 {
		t.Fatalf("history before the run: %d, status %q, %q", h.status, row.AttrOr("data-status", ""), row.Text())
	}
	if testid(h, "flash").Length() != 1 || testid(h, "nav-exports").Length() != 1 {
		t.Fatal("no confirmation or no nav item")
	}
	w.runExports()
	h = acme.get("/exports")
	row = exportRow(h, id)
	link := row.Find(`[data-testid="export-download"]`)
	if row.AttrOr("data-status", "") != "done" || link.Length() != 1 || testid(h, "exports-table").AttrOr("data-refresh", "none") != "none" {
		t.Fatalf("history after the run: %q", row.AttrOr("data-status", ""))
	}
	status, hdr, body := acme.download(link.AttrOr("href", ""))
	if status != 200 || !strings.Contains(hdr.Get("Content-Type"), "spreadsheetml") ||
		!strings.Contains(hdr.Get("Content-Disposition"), "acme-orders-") {
		t.Fatalf("download: %d %v", status, hdr)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("订单", excelize.Options{RawCellValue: true})
	if err != nil || len(rows) != 2 || rows[0][0] != "订单号" || rows[1][0] != "ORD-X1" {
		t.Fatalf("file rows %v (%v)", rows, err)
	}
	if amt, _ := strconv.ParseFloat(rows[1][12], 64); math.Abs(amt-99) > 1e-9 {
		t.Fatalf("amount cell %q", rows[1][12])
	}
	if shown, _ := f.GetCellValue("订单", "K2"); shown != "2026-11-23 09:59:00" {
		t.Fatalf("order time shows %q, want Shanghai time", shown)
	}
	if w.count("audit_log", "action = ? AND target_id = ?", models.AuditExportDownloaded, strconv.FormatInt(id, 10)) != 1 {
		t.Fatal("download not audited")
	}
	// Another merchant: 404 on download and retry, nothing listed.
	globex := w.loggedIn("owner@globex.test")
	if s, _, _ := globex.download(link.AttrOr("href", "")); s != http.StatusNotFound {
		t.Fatalf("globex downloads acme's export: %d", s)
	}
	if p := globex.post(fmt.Sprintf("/exports/%d/retry", id), nil); p.status != http.StatusNotFound {
		t.Fatalf("globex retries acme's export: %d", p.status)
	}
	if p := globex.get("/exports"); exportRow(p, id).Length() != 0 {
		t.Fatal("globex lists acme's export")
	}
	// A colleague with the export right shares the merchant's exports.
	if p := w.loggedIn("staff@acme.test").get("/exports"); p.status != 200 || exportRow(p, id).Length() != 1 {
		t.Fatalf("operations staff's history: %d", p.status)
	}
	// Expired: the purge removes the file, the download answers 410 in the user's language.
	w.clock.Advance(8 * 24 * time.Hour)
	if _, _, err := w.exp.Purge(context.Background()); err != nil {
		t.Fatal(err)
	}
	acme = w.loggedIn("owner@acme.test") // the old session has expired too
	gone := acme.get(link.AttrOr("href", ""))
	if gone.status != http.StatusGone || testid(gone, "error-page").AttrOr("data-status", "") != "410" || !strings.Contains(gone.body, "过期") {
		t.Fatalf("expired download: %d", gone.status)
	}
	h = acme.get("/exports")
	if row := exportRow(h, id); row.AttrOr("data-status", "") != "expired" || row.Find(`[data-testid="export-download"]`).Length() != 0 {
		t.Fatalf("expired row: %q", row.AttrOr("data-status", ""))
	}
}

func TestExportRequestsWithBadInputAre422AndStoreNothing(t *testing.T) {
	e := newEnv(t)
	acme := e.loggedIn("owner@acme.test")
	for _, form := range []url.Values{
		{"kind": {"settlements"}, "format": {"xlsx"}},
		{"kind": {"orders"}, "format": {"pdf"}},
		{"kind": {"orders"}, "format": {"xlsx"}, "query": {"status=bogus"}},
		{"kind": {"orders"}, "format": {"xlsx"}, "query": {"from=2026-02-31"}},
		{"kind": {"interface_messages"}, "format": {"csv"}, "query": {"state=sleeping"}},
	} {
		p := acme.post("/exports", form)
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(testid(p, "form-error").Text(), "导出请求有误") ||
			testid(p, "field-error").Length() == 0 {
			t.Fatalf("%v: %d %q", form, p.status, testid(p, "form-error").Text())
		}
	}
	if _, err := e.db.SQL.Exec(`UPDATE users SET lang = 'en' WHERE email = 'owner@acme.test'`); err != nil {
		t.Fatal(err)
	}
	p := acme.post("/exports", url.Values{"kind": {"orders"}, "format": {"doc"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "Unknown export format") {
		t.Fatalf("English: %d", p.status)
	}
	if e.count("exports", "") != 0 {
		t.Fatal("a refused request was stored")
	}
	// Finance may export orders but not the message log; tech may not export.
	if p := e.loggedIn("finance@acme.test").post("/exports", url.Values{"kind": {"interface_messages"}, "format": {"xlsx"}}); p.status != http.StatusForbidden {
		t.Fatalf("finance exporting messages: %d", p.status)
	}
	if _, err := e.db.SQL.Exec(`UPDATE users SET role = 'tech' WHERE email = 'staff@acme.test'`); err != nil {
		t.Fatal(err)
	}
	tech := e.loggedIn("staff@acme.test")
	if p := tech.post("/exports", url.Values{"kind": {"orders"}, "format": {"xlsx"}}); p.status != http.StatusForbidden {
		t.Fatalf("tech exporting: %d", p.status)
	}
	if p := tech.get("/exports"); p.status != http.StatusForbidden {
		t.Fatalf("tech sees the export history: %d", p.status)
	}
}

func TestExportMessagesAndRetryAFailedExport(t *testing.T) {
	w := newWorld(t)
	w.order("ORD-GM", "00302-200001-0--0")
	globex := w.loggedIn("owner@globex.test")
	list := globex.get("/interface-messages?class=business_code")
	action, form := exportForm(t, list)
	if form.Get("kind") != "interface_messages" || !strings.Contains(form.Get("query"), "class=business_code") {
		t.Fatalf("message-log export form: %v", form)
	}
	form.Set("format", "csv")
	if p := globex.post(action, form); p.status != http.StatusSeeOther {
		t.Fatalf("export: %d", p.status)
	}
	id := w.lastExportID()
	// The exporting user loses the right before the job runs: it fails with a reason.
	if _, err := w.db.SQL.Exec(`UPDATE users SET role = 'delivery' WHERE email = 'owner@globex.test'`); err != nil {
		t.Fatal(err)
	}
	w.runExports()
	if _, err := w.db.SQL.Exec(`UPDATE users SET role = 'owner' WHERE email = 'owner@globex.test'`); err != nil {
		t.Fatal(err)
	}
	h := globex.get("/exports")
	row := exportRow(h, id)
	if row.AttrOr("data-status", "") != "failed" || row.Find(`[data-testid="export-error"]`).Length() != 1 ||
		row.Find(`[data-testid="export-retry"]`).Length() != 1 {
		t.Fatalf("failed row: %q %q", row.AttrOr("data-status", ""), row.Text())
	}
	if p := globex.post(fmt.Sprintf("/exports/%d/retry", id), nil); p.status != http.StatusSeeOther {
		t.Fatalf("retry: %d", p.status)
	}
	if p := globex.post(fmt.Sprintf("/exports/%d/retry", id), nil); p.status != http.StatusSeeOther || w.count("exports", "status = 'queued'") != 1 {
		t.Fatalf("second retry: %d", p.status)
	}
	w.runExports()
	h = globex.get("/exports")
	row = exportRow(h, id)
	link := row.Find(`[data-testid="export-download"]`)
	if row.AttrOr("data-status", "") != "done" || link.Length() != 1 {
		t.Fatalf("after retry: %q", row.AttrOr("data-status", ""))
	}
	status, hdr, body := globex.download(link.AttrOr("href", ""))
	if status != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/csv") || !bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("csv download: %d %s", status, hdr.Get("Content-Type"))
	}
	if !strings.Contains(string(body), "ORD-GM") || strings.Count(string(body), "\n") < 2 {
		t.Fatalf("csv body: %q", body)
	}
}

// The whole flow in a browser: filter the order list, press 导出, land on
// 导出记录, watch the row turn done (the page refreshes itself), and open
// the downloaded file.
func TestBrowserExportsTheFilteredOrderList(t *testing.T) {
	b := newBrowser(t)
	w := newWorld(t)
	w.order("ORD-B1", "00301-100001-0--0")
	w.order("ORD-B2", "00301-100002-0--0")
	// The job runner, as River would be: runs queued exports in the background.
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(300 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if err := w.runExportsOnce(); err != nil {
					t.Error(err)
					return
				}
			}
		}
	}()
	t.Cleanup(func() { close(stop); <-done })
	b.do(t,
		chromedp.Navigate(w.srv.URL+"/login"),
		chromedp.WaitVisible(tid("login-form")),
		chromedp.SendKeys(tid("login-email"), "finance@acme.test"),
		chromedp.SendKeys(tid("login-password"), "demo-pass-123"),
		chromedp.Click(tid("login-submit")),
		chromedp.WaitVisible(tid("todo-board")),
		chromedp.Navigate(w.srv.URL+"/orders"),
		chromedp.WaitVisible(tid("order-filter")),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="order-filter"] input[name="product"]`), "00301-100002-0--0"),
		chromedp.Click(tid("order-filter-submit")),
		chromedp.WaitNotPresent(chromedp.CSS(`[data-testid="order-row"][data-order="ORD-B1"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="order-row"][data-order="ORD-B2"]`)),
		chromedp.Click(tid("export-submit")),
		chromedp.WaitVisible(tid("exports-table")),
	)
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil || !strings.HasSuffix(loc, "/exports") {
		t.Fatalf("after 导出 at %q (%v)", loc, err)
	}
	b.shot(t, "exports-queued")
	b.do(t, chromedp.WaitVisible(chromedp.CSS(`[data-testid="export-row"][data-status="done"] [data-testid="export-download"]`)))
	b.shot(t, "exports-done")
	href, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](
		`document.querySelector('[data-testid="export-download"]').getAttribute('href')`))
	if err != nil {
		t.Fatal(err)
	}
	// Fetch the file with the browser's own cookies.
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
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("订单")
	if len(rows) != 2 || rows[1][0] != "ORD-B2" {
		t.Fatalf("downloaded file rows %v", rows)
	}
}
