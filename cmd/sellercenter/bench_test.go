package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models/orders/orderseed"
)

func TestBenchSeedFillsANewDatabaseOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bench.db")
	code, out, errOut := runCLI(t, "", "bench", "seed", "-db", path, "-orders", "3000")
	if code != exitOK || !strings.Contains(out, "seeded 3000 order lines") || !strings.Contains(out, "owner@yunhai.test") ||
		!strings.Contains(out, "ops@bench.test") {
		t.Fatalf("seed: %d %q %q", code, out, errOut)
	}
	a, err := openApp(context.Background(), path, io.Discard, appOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var lines, months, days int64
	q := a.DB.SQL.QueryRow(`SELECT (SELECT count(*) FROM order_lines), (SELECT sum(n) FROM order_totals_month),
		(SELECT sum(n) FROM order_totals_day)`)
	if err := q.Scan(&lines, &months, &days); err != nil {
		t.Fatal(err)
	}
	// The totals the list shows were rebuilt after the bulk load.
	if lines != 3000 || months != 3000 || days != 3000 {
		t.Fatalf("lines %d, month totals %d, day totals %d", lines, months, days)
	}
	if _, err := a.Accounts.UserByEmail(context.Background(), "owner@yunhai.test"); err != nil {
		t.Fatalf("no owner to log in with: %v", err)
	}
	a.Close()
	if code, _, errOut := runCLI(t, "", "bench", "seed", "-db", path, "-orders", "10"); code != exitUsage ||
		!strings.Contains(errOut, "already has orders") {
		t.Fatalf("second seed: %d %q", code, errOut)
	}
}

// fakeApp answers like Seller Center's login form, /healthz and /orders.
func fakeApp(t *testing.T) (*httptest.Server, *atomic.Int64, *atomic.Int64) {
	var health, list atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "sc_csrf", Value: "tok"})
		io.WriteString(w, `<form data-testid="login-form"><input type="hidden" name="_csrf" value="tok"/></form>`)
	})
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie("sc_csrf")
		if err != nil || c.Value != r.FormValue("_csrf") || r.FormValue("password") != "right-password" {
			w.WriteHeader(http.StatusUnprocessableEntity)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "sc_session", Value: "s1"})
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		health.Add(1)
		io.WriteString(w, `{"status":"ok"}`)
	})
	mux.HandleFunc("GET /orders", func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("sc_session"); err != nil || c.Value != "s1" {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		list.Add(1)
		io.WriteString(w, strings.Repeat("<tr></tr>", 100))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, &health, &list
}

func TestBenchLoadLogsInAndComparesOrdersWithHealthz(t *testing.T) {
	srv, health, list := fakeApp(t)
	code, out, errOut := runCLI(t, "", "bench", "load", "-url", srv.URL, "-email", "a@b.test", "-password", "right-password",
		"-c", "2", "-d", "1s", "-path", "/orders", "-path", "/orders?status=completed")
	if code != exitOK {
		t.Fatalf("load: %d %q %q", code, out, errOut)
	}
	count := func(name string) int64 {
		m := regexp.MustCompile(regexp.QuoteMeta(name) + `\s+(\d+) req`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no %s line in %q", name, out)
		}
		n, _ := strconv.ParseInt(m[1], 10, 64)
		return n
	}
	// What is printed is what the server saw (the orders count adds the
	// one check request per path before the phases).
	if h := count("GET /healthz"); h == 0 || h != health.Load() {
		t.Fatalf("healthz: printed %d, served %d", h, health.Load())
	}
	if l := count("GET /orders"); l == 0 || l+2 != list.Load() {
		t.Fatalf("orders: printed %d, served %d", l, list.Load())
	}
	if !strings.Contains(out, "/orders?status=completed") || !regexp.MustCompile(`ratio: .* = \d+\.\d{3}`).MatchString(out) {
		t.Fatalf("no per-path figures or ratio: %q", out)
	}
}

func TestBenchLoadRefusesBadInput(t *testing.T) {
	srv, _, _ := fakeApp(t)
	for name, c := range map[string]struct {
		args []string
		code int
		want string
	}{
		"wrong password": {[]string{"-url", srv.URL, "-password", "nope", "-d", "1s"}, exitFail, "wrong e-mail or password"},
		"not http":       {[]string{"-url", "ftp://x"}, exitUsage, "http(s) URL"},
		"no workers":     {[]string{"-url", srv.URL, "-c", "0"}, exitUsage, "-c must be"},
		"other page":     {[]string{"-url", srv.URL, "-path", "/admin"}, exitUsage, "not an order-list URL"},
		"no subcommand":  {nil, exitUsage, "usage: sellercenter bench"},
	} {
		args := append([]string{"bench", "load"}, c.args...)
		if c.args == nil {
			args = []string{"bench"}
		}
		code, _, errOut := runCLI(t, "", args...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d %q, want %d and %q", name, code, errOut, c.code, c.want)
		}
	}
	if code, _, errOut := runCLI(t, "", "bench", "seed", "-db", filepath.Join(t.TempDir(), "x.db"), "-orders", "0"); code != exitUsage ||
		!strings.Contains(errOut, "-orders must be") {
		t.Errorf("seed -orders 0: %d %q", code, errOut)
	}
}

// The load test's default paths are the ones seeding prints, so a seeded
// database is loaded with the filters it was shown to have.
func TestBenchPathsIncludeTheLast30DaysInTheViewersZone(t *testing.T) {
	now := time.Date(2026, 11, 19, 17, 0, 0, 0, time.UTC) // already the 20th in CST
	want := "/orders?from=2026-10-22&to=2026-11-20"
	if p := benchPaths(now, nil); !slices.Contains(p, want) {
		t.Errorf("without a seed: %q, want %q among them", p, want)
	}
	res := &orderseed.Result{Now: now, TopProduct: "p1", HeavyCustomer: "c1", RecentOrder: "CS2611190000X"}
	if p := benchPaths(res.Now, res); !slices.Contains(p, want) || !slices.Contains(p, "/orders?customer=c1") {
		t.Errorf("with a seed: %q", p)
	}
}
