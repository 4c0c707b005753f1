package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/sellercenter/sellercenter/models/orders/orderseed"
	"github.com/sellercenter/sellercenter/models/stats"
)

// pathList is a repeatable -path flag.
type pathList []string

func (p *pathList) String() string     { return strings.Join(*p, " ") }
func (p *pathList) Set(s string) error { *p = append(*p, s); return nil }

func cmdBenchLoad(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sellercenter bench load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("url", "http://127.0.0.1:8080", "the server's base URL")
	email := fs.String("email", orderseed.LargestOwnerEmail, "login e-mail (the seeded largest merchant's owner by default)")
	password := fs.String("password", orderseed.DefaultPassword, "login password")
	conc := fs.Int("c", 8, "concurrent requests")
	dur := fs.Duration("d", 10*time.Second, "duration of each phase (/healthz, then /orders)")
	var paths pathList
	fs.Var(&paths, "path", "an order-list URL path to request, repeatable (default: first page and a few filters)")
	if code, done := parseFlags(fs, args, stderr); done {
		return code
	}
	u, err := url.Parse(*base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		fmt.Fprintln(stderr, "sellercenter bench load: -url must be an http(s) URL")
		return exitUsage
	}
	if *conc < 1 || *conc > 256 || *dur < time.Second || *dur > time.Hour {
		fmt.Fprintln(stderr, "sellercenter bench load: -c must be 1..256 and -d 1s..1h")
		return exitUsage
	}
	for _, p := range paths {
		if !strings.HasPrefix(p, "/orders") {
			fmt.Fprintf(stderr, "sellercenter bench load: -path %q is not an order-list URL\n", p)
			return exitUsage
		}
	}
	if len(paths) == 0 {
		paths = benchPaths(time.Now(), nil)
	}
	ctx := context.Background()
	base2 := strings.TrimSuffix(u.String(), "/")
	client, err := benchLogin(ctx, base2, *email, *password, *conc)
	if err != nil {
		fmt.Fprintln(stderr, "sellercenter bench load:", err)
		return exitFail
	}
	// Every path once first: a wrong filter fails here, not as a stream of
	// errors, and the server's caches are warm for both phases alike.
	for _, p := range paths {
		if code, err := benchGet(ctx, client, base2+p); err != nil || code != http.StatusOK {
			fmt.Fprintf(stderr, "sellercenter bench load: GET %s: %d %v\n", p, code, err)
			return exitFail
		}
	}
	fmt.Fprintf(stdout, "load %s: %d concurrent, %s per phase, %d order-list URLs\n", base2, *conc, *dur, len(paths))
	health := benchRun(ctx, client, base2, []string{"/healthz"}, *conc, *dur)
	health.print(stdout, "GET /healthz")
	list := benchRun(ctx, client, base2, paths, *conc, *dur)
	list.print(stdout, "GET /orders")
	for _, p := range paths {
		fmt.Fprintf(stdout, "    %-72s %6d req  p50 %7.2f ms  p95 %7.2f ms\n", p, len(list.byPath[p]),
			stats.MS(stats.Percentile(list.byPath[p], 50)), stats.MS(stats.Percentile(list.byPath[p], 95)))
	}
	if health.rps() > 0 {
		fmt.Fprintf(stdout, "ratio: /orders %.1f req/s ÷ /healthz %.1f req/s = %.3f\n", list.rps(), health.rps(), list.rps()/health.rps())
	}
	if health.errors+list.errors > 0 {
		return exitFail
	}
	return exitOK
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// benchLogin signs in through the login form (CSRF token and all) and
// returns a client carrying the session cookie.
func benchLogin(ctx context.Context, base, email, password string, conc int) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		Transport:     &http.Transport{MaxIdleConns: conc * 2, MaxIdleConnsPerHost: conc * 2, IdleConnTimeout: time.Minute},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/login", nil)
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	m := csrfInput.FindSubmatch(body)
	if m == nil {
		return nil, fmt.Errorf("GET /login: %d, no CSRF token in the form", resp.StatusCode)
	}
	form := url.Values{"_csrf": {string(m[1])}, "email": {email}, "password": {password}}
	req, _ = http.NewRequestWithContext(ctx, http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err = client.Do(req)
	if err != nil {
		return nil, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusFound {
		return nil, fmt.Errorf("login as %s: HTTP %d (wrong e-mail or password?)", email, resp.StatusCode)
	}
	return client, nil
}

func benchGet(ctx context.Context, client *http.Client, u string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	// The whole page is read: a list that renders slowly costs its time.
	_, err = io.Copy(io.Discard, bufio.NewReader(resp.Body))
	resp.Body.Close()
	return resp.StatusCode, err
}

// loadResult is one phase: every request's latency, by path.
type loadResult struct {
	took   time.Duration
	all    []time.Duration
	byPath map[string][]time.Duration
	errors int
}

func (r loadResult) rps() float64 { return float64(len(r.all)) / r.took.Seconds() }

func (r loadResult) print(w io.Writer, name string) {
	fmt.Fprintf(w, "%-14s %7d req in %s = %8.1f req/s  p50 %7.2f ms  p95 %7.2f ms  p99 %7.2f ms  errors %d\n", name, len(r.all),
		r.took.Round(time.Millisecond), r.rps(), stats.MS(stats.Percentile(r.all, 50)), stats.MS(stats.Percentile(r.all, 95)), stats.MS(stats.Percentile(r.all, 99)), r.errors)
}

// benchRun requests paths round-robin from conc workers for dur.
func benchRun(ctx context.Context, client *http.Client, base string, paths []string, conc int, dur time.Duration) loadResult {
	var mu sync.Mutex
	res := loadResult{byPath: map[string][]time.Duration{}}
	start := time.Now()
	deadline := start.Add(dur)
	var wg sync.WaitGroup
	for w := range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; time.Now().Before(deadline); i++ {
				p := paths[i%len(paths)]
				t0 := time.Now()
				code, err := benchGet(ctx, client, base+p)
				d := time.Since(t0)
				mu.Lock()
				if err != nil || code != http.StatusOK {
					res.errors++
				} else {
					res.all = append(res.all, d)
					res.byPath[p] = append(res.byPath[p], d)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	res.took = time.Since(start)
	return res
}
