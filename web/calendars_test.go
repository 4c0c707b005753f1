package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models/bizclock"
)

// acmeForm is the reception form with DESIGN's Acme hours.
func acmeForm() url.Values {
	f := url.Values{"receiving": {"1"}, "tz": {"Asia/Shanghai"}, "follows_holidays": {"1"}}
	for _, wd := range []string{"1", "2", "3", "4", "5"} {
		f.Set("open_"+wd, "1")
		f["from_"+wd] = []string{"09:00", "13:30", ""}
		f["to_"+wd] = []string{"12:00", "18:30", ""}
	}
	return f
}

func (e *env) receptionWeek(merchantSlug string) string {
	e.t.Helper()
	var week string
	err := e.db.SQL.QueryRow(`SELECT week FROM reception_settings r JOIN merchants m ON m.id = r.merchant_id WHERE m.slug = ?`, merchantSlug).Scan(&week)
	if err != nil {
		return ""
	}
	return week
}

func TestReceptionSettingsPage(t *testing.T) {
	e := newEnv(t)
	owner := e.loggedIn("owner@acme.test")
	p := owner.get("/settings/reception")
	if p.status != 200 || testid(p, "reception-not-set").Length() != 1 || testid(p, "reception-day").Length() != 7 {
		t.Fatalf("first visit: %d", p.status)
	}
	if testid(p, "nav-reception").Length() != 1 {
		t.Fatal("no nav entry for the owner")
	}
	if got := testid(p, "reception-week-total").AttrOr("data-minutes", ""); got != "2400" {
		t.Fatalf("suggested week total %s", got)
	}

	if r := owner.post("/settings/reception", acmeForm()); r.status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", r.status, testid(r, "field-error").Text())
	}
	p = owner.get("/settings/reception")
	if testid(p, "flash").Length() != 1 || testid(p, "reception-updated").Length() != 1 || testid(p, "reception-not-set").Length() != 0 {
		t.Fatal("saved page")
	}
	tue := p.doc.Find(`[data-testid="reception-day"][data-weekday="2"]`)
	if tue.Find(`[data-testid="reception-day-total"]`).AttrOr("data-minutes", "") != "480" ||
		tue.Find(`input[name="from_2"]`).First().AttrOr("value", "") != "09:00" {
		t.Fatal("Tuesday not shown as saved")
	}
	saved := e.receptionWeek("acme")
	mid := actorOf(e, "owner@acme.test").MerchantID
	cal, ok, err := e.cals.ForMerchant(context.Background(), mid)
	if !ok || err != nil {
		t.Fatalf("calendar: %v %v", ok, err)
	}
	sh, _ := time.LoadLocation("Asia/Shanghai")
	if due, _ := cal.AddBusiness(time.Date(2026, 11, 23, 11, 50, 0, 0, sh), 15*time.Minute); !due.Equal(time.Date(2026, 11, 23, 13, 35, 0, 0, sh)) {
		t.Fatalf("deadline from the saved hours: %v", due)
	}

	// Bad input: 422, the message next to its field, the typed values kept, nothing saved.
	bad := func(name string, edit func(url.Values), field string, want string) {
		t.Helper()
		f := acmeForm()
		edit(f)
		r := owner.post("/settings/reception", f)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("%s: status %d", name, r.status)
		}
		var where string
		if field == "tz" {
			where = testid(r, "reception-tz").Parent().Find(`[data-testid="field-error"]`).Text()
		} else if field == "week" {
			where = testid(r, "reception-week-total").Find(`[data-testid="field-error"]`).Text()
		} else {
			where = r.doc.Find(`[data-testid="reception-day"][data-weekday="` + field + `"] [data-testid="field-error"]`).Text()
		}
		if !strings.Contains(where, want) {
			t.Fatalf("%s: message %q, want %q", name, where, want)
		}
		if e.receptionWeek("acme") != saved {
			t.Fatalf("%s: a refused form changed the stored hours", name)
		}
	}
	bad("four days", func(f url.Values) { f.Del("open_5") }, "week", "5×8")
	bad("overlap", func(f url.Values) { f["to_2"] = []string{"14:00", "18:30", ""} }, "2", "重叠")
	bad("inverted", func(f url.Values) { f["from_3"] = []string{"12:00", "13:30", ""} }, "3", "晚于")
	bad("unknown zone", func(f url.Values) { f.Set("tz", "Asia/Atlantis") }, "tz", "Asia/Atlantis")
	bad("bad time", func(f url.Values) { f["to_4"] = []string{"12:60", "18:30", ""} }, "4", "12:60")
	r := owner.post("/settings/reception", func() url.Values { f := acmeForm(); f["to_2"] = []string{"14:00", "18:30"}; return f }())
	if r.doc.Find(`input[name="to_2"]`).First().AttrOr("value", "") != "14:00" {
		t.Fatal("the typed value was not kept")
	}
	owner.post("/lang", url.Values{"lang": {"en"}})
	r = owner.post("/settings/reception", func() url.Values { f := acmeForm(); f.Set("tz", "Mars/Base"); return f }())
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(testid(r, "field-error").Text(), "Unknown time zone") {
		t.Fatalf("English message: %q", testid(r, "field-error").Text())
	}
	if r := owner.postRaw("/settings/reception", acmeForm()); r.status != http.StatusForbidden {
		t.Fatalf("no CSRF token: %d", r.status)
	}

	// Roles: operations staff may edit, finance and the operations manager may not.
	if p := e.loggedIn("staff@acme.test").get("/settings/reception"); p.status != 200 {
		t.Fatalf("staff: %d", p.status)
	}
	fin := e.loggedIn("finance@acme.test")
	if p := fin.get("/settings/reception"); p.status != http.StatusForbidden || testid(p, "nav-reception").Length() != 0 {
		t.Fatalf("finance: %d", p.status)
	}
	if p := fin.post("/settings/reception", acmeForm()); p.status != http.StatusForbidden {
		t.Fatalf("finance saved: %d", p.status)
	}
	if p := e.loggedIn("ops@demo.test").get("/settings/reception"); p.status != http.StatusForbidden {
		t.Fatalf("operations manager: %d", p.status)
	}

	// Tenancy: Globex saves its own hours; Acme's stay and Acme sees its own.
	globex := e.loggedIn("owner@globex.test")
	g := url.Values{"receiving": {"1"}, "tz": {"Asia/Shanghai"}}
	for _, wd := range []string{"0", "1", "2", "3", "4", "5", "6"} {
		g.Set("open_"+wd, "1")
		g.Set("from_"+wd, "08:00")
		g.Set("to_"+wd, "20:00")
	}
	if r := globex.post("/settings/reception", g); r.status != http.StatusSeeOther {
		t.Fatalf("globex save: %d", r.status)
	}
	if e.receptionWeek("acme") != saved || e.receptionWeek("globex") == "" {
		t.Fatal("tenancy")
	}
	if p := owner.get("/settings/reception"); testid(p, "reception-week-total").AttrOr("data-minutes", "") != "2400" {
		t.Fatal("Acme sees another merchant's hours")
	}
	if n := e.count("audit_log", "action = 'reception.changed'"); n != 2 {
		t.Fatalf("%d audit rows", n)
	}
}

// postFile submits a multipart form with one file and a valid CSRF token.
func (c *client) postFile(path, field, name string, content []byte) page {
	c.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("_csrf", c.csrf())
	if content != nil {
		fw, _ := w.CreateFormFile(field, name)
		_, _ = fw.Write(content)
	}
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

func TestHolidaysAdminPage(t *testing.T) {
	e := newEnv(t)
	ops := e.loggedIn("ops@demo.test")
	p := ops.get("/admin/holidays?year=2026")
	if p.status != 200 || testid(p, "holiday-row").Length() != 39 || testid(p, "nav-admin-holidays").Length() != 1 {
		t.Fatalf("2026: %d, %d rows", p.status, testid(p, "holiday-row").Length())
	}
	if testid(p, "holiday-unconfirmed").Length() != 0 || !strings.HasPrefix(testid(p, "holiday-source").AttrOr("href", ""), "https://") {
		t.Fatal("2026 is confirmed, with its source")
	}
	if row := p.doc.Find(`[data-testid="holiday-row"][data-date="2026-10-10"]`); row.AttrOr("data-kind", "") != bizclock.KindWorkday {
		t.Fatal("make-up Saturday of 国庆 2026")
	}
	if p := ops.get("/admin/holidays?year=2027"); testid(p, "holiday-unconfirmed").Length() != 1 {
		t.Fatal("2027 is a prediction and must say so")
	}
	if p := ops.get("/admin/holidays"); testid(p, "holiday-year-panel").AttrOr("data-year", "") != "2026" {
		t.Fatal("default year is the current one")
	}
	if p := ops.get("/admin/holidays?year=1999"); p.status != http.StatusUnprocessableEntity {
		t.Fatalf("year 1999: %d", p.status)
	}

	rows := func() int64 { return e.count("holidays", "") }
	n := rows()
	if r := ops.post("/admin/holidays", url.Values{"date": {"2026-12-31"}, "kind": {"off"}, "name": {"跨年"}}); r.status != http.StatusSeeOther {
		t.Fatalf("add: %d", r.status)
	}
	if rows() != n+1 {
		t.Fatal("day not added")
	}
	hs, _ := e.cals.Holidays(context.Background())
	if !hs.IsOff(bizclock.Date{Year: 2026, Month: time.December, Day: 31}) {
		t.Fatal("the engine does not see the added day")
	}
	for _, f := range []url.Values{
		{"date": {"2026-02-30"}, "kind": {"off"}},
		{"date": {"2026-12-31"}, "kind": {"off"}},
		{"date": {"2026-12-29"}, "kind": {"workday"}},
		{"date": {"2026-12-30"}, "kind": {"holiday"}},
	} {
		r := ops.post("/admin/holidays", f)
		if r.status != http.StatusUnprocessableEntity || testid(r, "field-error").Length() == 0 || rows() != n+1 {
			t.Fatalf("%v: %d", f, r.status)
		}
	}
	if r := ops.post("/admin/holidays/remove", url.Values{"date": {"2026-12-31"}}); r.status != http.StatusSeeOther || rows() != n {
		t.Fatalf("remove: %d", r.status)
	}
	if r := ops.post("/admin/holidays/remove", url.Values{"date": {"2026-12-30"}}); r.status != http.StatusNotFound {
		t.Fatalf("remove unlisted: %d", r.status)
	}

	// Import: a bad line refuses the file whole, naming the line.
	badCSV := []byte("date,kind,name\n2027-10-01,off,国庆节\n2027-10-32,off,国庆节\n")
	r := ops.postFile("/admin/holidays/import", "file", "2027.csv", badCSV)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(testid(r, "form-error").Text(), "第 3 行") || rows() != n {
		t.Fatalf("bad import: %d %q", r.status, testid(r, "form-error").Text())
	}
	if r := ops.postFile("/admin/holidays/import", "file", "", nil); r.status != http.StatusUnprocessableEntity {
		t.Fatalf("no file: %d", r.status)
	}
	good := []byte("date,kind,name\n2027-10-01,off,国庆节\n2027-10-02,off,国庆节\n2027-10-03,off,国庆节\n")
	if r := ops.postFile("/admin/holidays/import", "file", "2027.csv", good); r.status != http.StatusSeeOther {
		t.Fatalf("import: %d %s", r.status, testid(r, "form-error").Text())
	}
	p = ops.get("/admin/holidays?year=2027")
	if testid(p, "holiday-row").Length() != 3 || testid(p, "holiday-unconfirmed").Length() != 0 || testid(p, "flash").Length() != 1 {
		t.Fatalf("after import: %d rows", testid(p, "holiday-row").Length())
	}
	if e.count("audit_log", "action IN ('holiday.added', 'holiday.removed', 'holidays.imported')") != 3 {
		t.Fatal("edits not audited")
	}

	// Only the operations manager: merchants get 403 and change nothing.
	owner := e.loggedIn("owner@acme.test")
	if p := owner.get("/admin/holidays"); p.status != http.StatusForbidden || testid(p, "nav-admin-holidays").Length() != 0 {
		t.Fatalf("owner: %d", p.status)
	}
	before := rows()
	if r := owner.post("/admin/holidays", url.Values{"date": {"2027-12-31"}, "kind": {"off"}}); r.status != http.StatusForbidden || rows() != before {
		t.Fatalf("owner add: %d", r.status)
	}
	if r := owner.postFile("/admin/holidays/import", "file", "x.csv", good); r.status != http.StatusForbidden {
		t.Fatalf("owner import: %d", r.status)
	}
}
