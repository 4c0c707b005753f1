package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/audit"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/calendars"
	"github.com/sellercenter/sellercenter/models/catalog"
	"github.com/sellercenter/sellercenter/models/db"
	"github.com/sellercenter/sellercenter/models/dbtest"
	"github.com/sellercenter/sellercenter/models/debugger"
	"github.com/sellercenter/sellercenter/models/demands"
	"github.com/sellercenter/sellercenter/models/demo"
	"github.com/sellercenter/sellercenter/models/exports"
	"github.com/sellercenter/sellercenter/models/interfacelog"
	"github.com/sellercenter/sellercenter/models/notify"
	"github.com/sellercenter/sellercenter/models/orders"
	"github.com/sellercenter/sellercenter/models/overview"
	"github.com/sellercenter/sellercenter/models/provisioning"
	"github.com/sellercenter/sellercenter/models/tickets"
	"github.com/sellercenter/sellercenter/models/vault"
	"github.com/sellercenter/sellercenter/web"
)

// env is the real router over a migrated temp-file database with the demo
// accounts, and a clock the test moves.
type env struct {
	t     *testing.T
	srv   *httptest.Server
	db    *db.DB
	acc   *accounts.Service
	clock *bizclock.Fake
	cat   *catalog.Service
	core  *provisioning.Service
	sched *fakeScheduler
	dbg   *debugger.Service
	exp   *exports.Service
	expq  *fakeExportQueue
	dem   *demands.Service
	demq  *demands.TimerLog
	cals  *calendars.Service
	tk    *tickets.Service
}

func newEnv(t *testing.T) *env {
	t.Helper()
	d := dbtest.Open(t)
	clock := bizclock.NewFake(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
	acc := accounts.New(d.Gorm, clock, accounts.TestHashParams, accounts.DefaultLimits)
	if err := demo.Seed(context.Background(), acc); err != nil {
		t.Fatal(err)
	}
	v, err := vault.New(make([]byte, vault.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	cat := catalog.New(d.Gorm, clock, v, catalog.URLPolicy{AllowPrivate: true})
	core := provisioning.New(d.Gorm, clock, v, cat, provisioning.Config{AllowPrivate: true})
	sched := &fakeScheduler{}
	core.SetScheduler(sched)
	dbg := debugger.New(d.Gorm, clock, cat, debugger.Config{AllowPrivate: true})
	exp, err := exports.New(d.Gorm, clock, exports.Config{Dir: filepath.Join(t.TempDir(), "exports")})
	if err != nil {
		t.Fatal(err)
	}
	expq := &fakeExportQueue{}
	exp.SetQueue(expq)
	cals := calendars.New(d.Gorm, clock)
	tk, err := tickets.New(d.Gorm, clock, cals, v, tickets.Config{Dir: filepath.Join(t.TempDir(), "tickets")})
	if err != nil {
		t.Fatal(err)
	}
	cals.OnReceptionChange(tk.ReceptionHook(cals))
	cals.OnHolidaysChange(tk.HolidaysHook(cals))
	dem := demands.New(d.Gorm, clock, nil)
	demq := &demands.TimerLog{}
	dem.SetQueue(demq)
	cals.OnHolidaysChange(dem.HolidaysHook(calendars.HolidaysTx))
	h := web.New(web.Deps{
		Clock:     clock,
		Health:    d.Ping,
		Accounts:  acc,
		Audit:     audit.Reader{DB: d.Gorm},
		Overview:  overview.New().AddClocks(overview.ClockSource{Perm: models.PermTickets, List: tk.OverviewClocks}),
		Catalog:   cat,
		Core:      core,
		Notify:    notify.Service{DB: d.Gorm, Clock: clock},
		ILog:      interfacelog.Service{DB: d.Gorm, Clock: clock},
		Debugger:  dbg,
		Orders:    orders.Service{DB: d.Gorm},
		Reveal:    orders.Revealer{DB: d.Gorm, Vault: v, Clock: clock},
		Exports:   exp,
		Demands:   dem,
		Calendars: cals,
		Tickets:   tk,
		Logger:    quietLogger(),
	})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv, db: d, acc: acc, clock: clock, cat: cat, core: core, sched: sched, dbg: dbg,
		exp: exp, expq: expq, dem: dem, demq: demq, cals: cals, tk: tk}
}

// client is one browser: its own cookie jar, no automatic redirects.
type client struct {
	t    *testing.T
	e    *env
	http *http.Client
	lang string // Accept-Language to send, if any
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: e.t, e: e, http: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       10 * time.Second,
	}}
}

type page struct {
	status int
	header http.Header
	body   string
	doc    *goquery.Document
}

func (c *client) do(req *http.Request) page {
	c.t.Helper()
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(string(b)))
	return page{status: res.StatusCode, header: res.Header, body: string(b), doc: doc}
}

func (c *client) get(path string) page {
	req, _ := http.NewRequest(http.MethodGet, c.e.srv.URL+path, nil)
	return c.do(req)
}

// csrf reads the token the way a browser form would: from a rendered page.
func (c *client) csrf() string {
	c.t.Helper()
	p := c.get("/login")
	tok, ok := p.doc.Find(`input[name="_csrf"]`).First().Attr("value")
	if !ok || tok == "" {
		// Signed-in users are redirected away from /login; any page has a token.
		p = c.get("/settings/profile")
		tok, _ = p.doc.Find(`input[name="_csrf"]`).First().Attr("value")
	}
	if tok == "" {
		c.t.Fatal("no CSRF token on the page")
	}
	return tok
}

// post submits a form with a valid CSRF token.
func (c *client) post(path string, form url.Values) page {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", c.csrf())
	return c.postRaw(path, form)
}

// postRaw submits exactly the given form (no token added).
func (c *client) postRaw(path string, form url.Values) page {
	req, _ := http.NewRequest(http.MethodPost, c.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

func (c *client) login(email, password string) page {
	c.t.Helper()
	return c.post("/login", url.Values{"email": {email}, "password": {password}})
}

// loggedIn returns a client signed in as email with the demo password.
func (e *env) loggedIn(email string) *client {
	e.t.Helper()
	c := e.client()
	if p := c.login(email, demo.Password); p.status != http.StatusSeeOther {
		e.t.Fatalf("login %s: status %d\n%s", email, p.status, p.body)
	}
	return c
}

func (c *client) sessionCookie() *http.Cookie {
	u, _ := url.Parse(c.e.srv.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == "sc_session" {
			return ck
		}
	}
	return nil
}

func (e *env) user(email string) models.User {
	e.t.Helper()
	u, err := e.acc.UserByEmail(context.Background(), email)
	if err != nil {
		e.t.Fatalf("user %s: %v", email, err)
	}
	return *u
}

func (e *env) count(table, where string, args ...any) int64 {
	e.t.Helper()
	return dbtest.Count(e.t, e.db, table, where, args...)
}

func testid(p page, id string) *goquery.Selection {
	return p.doc.Find(`[data-testid="` + id + `"]`)
}
