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
	"github.com/sellercenter/sellercenter/models/app"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/calendars"
	"github.com/sellercenter/sellercenter/models/catalog"
	"github.com/sellercenter/sellercenter/models/db"
	"github.com/sellercenter/sellercenter/models/dbtest"
	"github.com/sellercenter/sellercenter/models/debugger"
	"github.com/sellercenter/sellercenter/models/demands"
	"github.com/sellercenter/sellercenter/models/demo"
	"github.com/sellercenter/sellercenter/models/exports"
	"github.com/sellercenter/sellercenter/models/provisioning"
	"github.com/sellercenter/sellercenter/models/supervision"
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
	app   *app.App
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
	sup   *supervision.Service
	supq  *supervision.TimerLog
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvOn(t, dbtest.Open(t))
}

// newEnvOn builds the app and its server on a migrated database d.
func newEnvOn(t *testing.T, d *db.DB) *env {
	t.Helper()
	clock := bizclock.NewFake(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
	v, err := vault.New(make([]byte, vault.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.Build(context.Background(), d, app.Config{Vault: v, Clock: clock, Hash: accounts.TestHashParams,
		AllowPrivate: true, ExportDir: filepath.Join(t.TempDir(), "exports"), TicketDir: filepath.Join(t.TempDir(), "tickets"),
		SupervisionDir: filepath.Join(t.TempDir(), "supervision"), InvoiceDir: filepath.Join(t.TempDir(), "invoices")})
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Seed(context.Background(), a.Accounts); err != nil {
		t.Fatal(err)
	}
	// The job runner is the one piece replaced: tests run due work on the
	// fake clock themselves instead of River's real-time polling.
	sched := &fakeScheduler{}
	a.Core.SetScheduler(sched)
	expq := &fakeExportQueue{}
	a.Exports.SetQueue(expq)
	demq := &demands.TimerLog{}
	a.Demands.SetQueue(demq)
	supq := &supervision.TimerLog{}
	a.Supervision.SetQueue(supq)
	srv := httptest.NewServer(web.New(a, web.Options{Logger: quietLogger()}))
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv, db: d, app: a, acc: a.Accounts, clock: clock, cat: a.Catalog, core: a.Core, sched: sched,
		dbg: a.Debugger, exp: a.Exports, expq: expq, dem: a.Demands, demq: demq, cals: a.Calendars, tk: a.Tickets,
		sup: a.Supervision, supq: supq}
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
