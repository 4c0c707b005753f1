package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"github.com/sellercenter/sellercenter/models"
)

// newStatementEnv settles Acme's November with 55 more lines than the
// demo's, at 5%, and returns the CNY statement.
func newStatementEnv(t *testing.T) (*apiEnv, models.SettlementStatement) {
	t.Helper()
	a, _ := newInvoicePagesEnv(t)
	a.paidLines("c-stmt", 55, 2000)
	a.clock.Set(time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC))
	ctx, ops := context.Background(), actorOf(a.env, "ops@demo.test")
	if err := a.app.Invoices.SetCommission(ctx, ops, a.acme.ID, nil, 500); err != nil {
		t.Fatal(err)
	}
	sts, err := a.app.Invoices.GenerateStatements(ctx, ops, a.acme.ID, "2026-11")
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range sts {
		if st.Currency == "CNY" && st.LineCount > 55 {
			return a, st
		}
	}
	t.Fatalf("no CNY statement with the lines: %+v", sts)
	return nil, models.SettlementStatement{}
}

// The platform tab links each statement to its page: its figures, then its
// lines page by page (every line once), Acme's only; operations see it too.
func TestStatementPageListsItsLinesByPageAndIsMerchantScoped(t *testing.T) {
	a, st := newStatementEnv(t)
	fin := a.loggedIn("finance@acme.test")
	tab := fin.get("/invoices?tab=platform")
	link := tab.doc.Find(fmt.Sprintf(`[data-testid="statement-row"][data-id="%d"] [data-testid="statement-link"]`, st.ID))
	path := fmt.Sprintf("/invoices/statements/%d", st.ID)
	if link.AttrOr("href", "") != path {
		t.Fatalf("statement link %q, want %q", link.AttrOr("href", ""), path)
	}
	p := fin.get(path)
	d := testid(p, "statement-detail")
	if p.status != http.StatusOK || d.AttrOr("data-id", "") != fmt.Sprint(st.ID) ||
		!strings.Contains(testid(p, "statement-detail-fee").Text(), "5%") ||
		strings.TrimSpace(testid(p, "statement-detail-merchant").Text()) != a.acme.Name {
		t.Fatalf("statement page %d\n%s", p.status, p.body)
	}
	seen := map[string]bool{}
	pages := 0
	for {
		pages++
		rows := testid(p, "statement-line")
		rows.Each(func(_ int, r *goquery.Selection) {
			id := r.AttrOr("data-line", "")
			if seen[id] {
				t.Fatalf("line %s shown twice", id)
			}
			seen[id] = true
		})
		next := testid(p, "statement-lines-next")
		if next.Length() == 0 {
			break
		}
		if rows.Length() != 50 || pages > 3 {
			t.Fatalf("page %d holds %d lines", pages, rows.Length())
		}
		p = fin.get(next.AttrOr("href", ""))
		if p.status != http.StatusOK {
			t.Fatalf("next page: %d", p.status)
		}
	}
	if int64(len(seen)) != st.LineCount || pages != 2 || !seen["PL-c-stmt-55-1"] {
		t.Fatalf("%d lines over %d pages, statement has %d", len(seen), pages, st.LineCount)
	}
	if p := fin.get(path + "?cursor=garbage"); p.status < 400 || p.status >= 500 {
		t.Fatalf("bad cursor: %d", p.status)
	}
	// Another merchant's statement is not found; an unknown id neither.
	if p := a.loggedIn("owner@globex.test").get(path); p.status != http.StatusNotFound {
		t.Fatalf("globex reads acme's statement: %d", p.status)
	}
	if p := fin.get("/invoices/statements/999999"); p.status != http.StatusNotFound {
		t.Fatalf("unknown statement: %d", p.status)
	}
	if p := a.loggedIn("ops@demo.test").get(path); p.status != http.StatusOK || testid(p, "statement-detail").Length() != 1 {
		t.Fatalf("operations read the statement: %d", p.status)
	}
	// Operations staff of the merchant read it but get no export form: that is finance's and the owner's.
	if p := a.loggedIn("staff@acme.test").get(path); p.status != http.StatusOK || testid(p, "export-form").Length() != 0 {
		t.Fatalf("staff: %d, export form %d", p.status, testid(p, "export-form").Length())
	}
}

// Finance exports the statement from its page: the file holds its lines;
// another merchant's export of it is refused.
func TestStatementExportFromItsPage(t *testing.T) {
	a, st := newStatementEnv(t)
	fin := a.loggedIn("finance@acme.test")
	path := fmt.Sprintf("/invoices/statements/%d", st.ID)
	action, form := exportForm(t, fin.get(path))
	if form.Get("kind") != models.ExportStatement || form.Get("query") != fmt.Sprintf("statement=%d", st.ID) {
		t.Fatalf("export form %v", form)
	}
	if p := fin.post(action, form); p.status != http.StatusSeeOther {
		t.Fatalf("export: %d", p.status)
	}
	id := a.lastExportID()
	a.runExports()
	h := fin.get("/exports")
	dl := exportRow(h, id).Find(`[data-testid="export-download"]`)
	status, _, body := fin.download(dl.AttrOr("href", ""))
	if status != http.StatusOK {
		t.Fatalf("download: %d", status)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("结算单明细")
	if err != nil || int64(len(rows)) != st.LineCount+1 {
		t.Fatalf("%d rows (%v), want %d lines", len(rows), err, st.LineCount)
	}
	found := false
	for _, r := range rows[1:] {
		found = found || (r[1] == "PL-c-stmt-01-1" && r[2] == a.product.Name)
	}
	if !found {
		t.Fatalf("the file lacks line PL-c-stmt-01-1: %v", rows[1])
	}
	globex := a.loggedIn("owner@globex.test")
	form.Set("_csrf", "")
	if p := globex.post("/exports", form); p.status != http.StatusNotFound {
		t.Fatalf("globex exports acme's statement: %d", p.status)
	}
	if n := a.count("exports", "kind = 'statement'"); n != 1 {
		t.Fatalf("%d statement exports stored", n)
	}
}
