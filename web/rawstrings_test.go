package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/demo"
	"github.com/sellercenter/sellercenter/web"
)

var rawPendingPages []*regexp.Regexp

// tabs are list pages behind a query the plain route does not show.
var tabs = []string{"/invoices?tab=platform"}

// skippedRoutes answer files, redirects or machines, not pages; a password
// reset page needs the single-use token a mail carries.
var skippedRoutes = regexp.MustCompile(`/template$|^/password/reset$|^/(api/|static/|healthz|metrics|favicon)|/(attachments|documents)/:|/(download|file)$|evidence\.zip$|^/logout$|^/lang$|/\*$`)

// Visible text only: what a person reads on the page, not markup, scripts
// or attribute values.
func visibleText(doc *goquery.Document) []string {
	var out []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "noscript", "template":
				return
			case "pre", "code":
				// a protocol exchange or name shown on purpose, as sent
				return
			}
		}
		if n.Type == html.TextNode {
			if s := strings.TrimSpace(n.Data); s != "" {
				out = append(out, s)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range doc.Nodes {
		walk(n)
	}
	return out
}

// catalogNamespaces are the first segments of every catalog key and audit
// action ("tickets", "err", "buyer_pii"): a dotted word starting with one
// of them is a key or action shown raw.
func catalogNamespaces(t *testing.T) map[string]bool {
	ns := map[string]bool{}
	files, _ := filepath.Glob("../models/i18n/locales/*.json")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		for k := range m {
			ns[strings.SplitN(k, ".", 2)[0]] = true
		}
	}
	for _, a := range models.AuditActions {
		ns[strings.SplitN(a, ".", 2)[0]] = true
	}
	return ns
}

var (
	keyShape = regexp.MustCompile(`\b[a-z][a-z0-9_]*(\.[a-z0-9_]+)+\b`)
	// Tokens a dotted word may legitimately sit in: e-mail addresses,
	// URLs, host names and file names.
	notAKey = regexp.MustCompile(`@|://|^/|\.(txt|png|jpe?g|gif|webp|pdf|xlsx|csv|zip|json|xml|ofd|db|test|invalid|example|com|cn|io)\b`)
	// E-mail addresses and URLs are data, whatever words they hold.
	addresses = regexp.MustCompile(`[^\s()（）<>]+@[^\s()（）<>]+|[a-z]+://\S+`)
	// Enum values that are never words of the page in either language.
	enumAny = regexp.MustCompile(`\b(NEW|RENEW|UNSUBSCRIBE|UPGRADE|DOWNGRADE|NORMAL|FROZEN|RELEASED|FREEZE|UNFREEZE|provisioning_failed|awaiting_customer|timed_out|auto_unsubscribed|window_natural|window_working)\b`)
	// Lower-case enum values: words in English, raw in a Chinese page.
	enumZH = regexp.MustCompile(`\b(pending|processing|retrying|polling|succeeded|failed|recovered|completed|supervising|unsubscribed|revoked|accepted|rejected|closed|active|suspended|running|warning|breached|paused|owner|operations|delivery|finance|readonly|opsmanager|buyer|merchant|ops|system)\b`)
	// Protocol activity names (newInstance): pages name them in words.
	activityWords = regexp.MustCompile(`\b(` + strings.Join(models.Activities, "|") + `)\b`)
	// Go errors in a Chinese page.
	goErrZH = regexp.MustCompile(`(?i)(no such|not allowed|is not configured|failed to|cannot |invalid |unexpected|connection refused|deadline exceeded|record not found|i/o timeout|\bEOF\b|transition .* →|sql: |no rows)`)
)

// rawStrings lists what a page shows that a person should never read.
func rawStrings(texts []string, zh bool, ns map[string]bool) []string {
	var bad []string
	for _, s := range texts {
		s := addresses.ReplaceAllString(s, " ")
		if strings.Contains(s, "system:") {
			bad = append(bad, "system: "+s)
		}
		for _, tok := range strings.Fields(s) {
			for _, k := range keyShape.FindAllString(tok, -1) {
				if ns[strings.SplitN(k, ".", 2)[0]] && !notAKey.MatchString(tok) {
					bad = append(bad, "key "+k+" in "+s)
				}
			}
		}
		if m := activityWords.FindString(s); m != "" {
			bad = append(bad, "activity "+m+" in "+s)
		}
		if m := enumAny.FindString(s); m != "" {
			bad = append(bad, "enum "+m+" in "+s)
		}
		if zh {
			if m := enumZH.FindString(s); m != "" {
				bad = append(bad, "enum "+m+" in "+s)
			}
			if m := goErrZH.FindString(s); m != "" {
				bad = append(bad, "error "+m+" in "+s)
			}
		}
	}
	return bad
}

func TestRawStringsCheckerFindsKeysEnumsAndErrors(t *testing.T) {
	ns := map[string]bool{"buyer_pii": true, "orders": true}
	for _, c := range []struct {
		text string
		zh   bool
		bad  bool
	}{
		{"buyer_pii.revealed", false, true},
		{"收到NEW订单", false, true},
		{"收到 NEW 订单", true, true},
		{"操作人 ops@demo.test", true, false},
		{"操作人 system:demands", true, true},
		{"dial tcp: connection refused", true, true},
		{"owner@acme.test", true, false},
		{"orders.xlsx", true, false},
		{"状态：pending", true, true},
		{"3 pending demands", false, false},
		{"查看客户信息", true, false},
	} {
		if got := len(rawStrings([]string{c.text}, c.zh, ns)) > 0; got != c.bad {
			t.Errorf("%q (zh=%v): flagged %v, want %v", c.text, c.zh, got, c.bad)
		}
	}
}

// TestNoInternalStringsOnAnyPage walks every GET page route, for every demo
// role that may see it, with ids taken from the links of the demo data's
// own pages, in both languages, and fails on a raw catalog key, an enum
// value, a system: actor or (in Chinese) an English Go error.
func TestNoInternalStringsOnAnyPage(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds the whole demo")
	}
	e := newEnv(t)
	// The demo's history is stamped from the wall clock, as a new install
	// shows it; its statements and platform-fee request need the app's
	// clock to agree.
	e.clock.Set(time.Now())
	ctx := context.Background()
	if _, err := e.app.SeedDemo(ctx, web.DemoSandboxes(filepath.Join(e.t.TempDir(), "demo"), slog.New(slog.NewTextHandler(io.Discard, nil)))); err != nil {
		t.Fatal(err)
	}
	ns := catalogNamespaces(t)
	var plain, params []string
	for _, r := range web.New(e.app, web.Options{Logger: quietLogger()}).Routes() {
		if r.Method != http.MethodGet || skippedRoutes.MatchString(r.Path) {
			continue
		}
		if strings.Contains(r.Path, ":") {
			params = append(params, r.Path)
		} else {
			plain = append(plain, r.Path)
		}
	}
	sort.Strings(plain)
	sort.Strings(params)
	pending := func(p string) bool {
		for _, re := range rawPendingPages {
			if re.MatchString(p) {
				return true
			}
		}
		return false
	}
	seen := map[string]bool{} // route patterns some role rendered
	check := func(c *client, who, lang, path string) (*goquery.Document, bool) {
		p := c.get(path)
		if p.status != http.StatusOK {
			return nil, false
		}
		doc := p.doc
		bad := rawStrings(append(visibleText(doc), doc.Find("title").Text()), lang == "zh-CN", ns)
		for _, b := range bad {
			if pending(strings.SplitN(path, "?", 2)[0]) {
				t.Logf("PENDING %s %s %s: %s", who, lang, path, b)
			} else {
				t.Errorf("%s %s %s: %s", who, lang, path, b)
			}
		}
		return doc, true
	}
	for _, lang := range []string{"zh-CN", "en"} {
		anon := e.client()
		if p := anon.post("/lang", url.Values{"lang": {lang}, "next": {"/login"}}); p.status != http.StatusSeeOther {
			t.Fatalf("lang %s: %d", lang, p.status)
		}
		if _, ok := check(anon, "anonymous", lang, "/login"); ok {
			seen["/login"] = true
		}
		for _, l := range demo.Logins {
			c := e.loggedIn(l.Email)
			if p := c.post("/lang", url.Values{"lang": {lang}, "next": {"/"}}); p.status != http.StatusSeeOther {
				t.Fatalf("lang %s: %d", lang, p.status)
			}
			var hrefs []string
			collect := func(doc *goquery.Document) {
				doc.Find("a[href]").Each(func(_ int, s *goquery.Selection) { hrefs = append(hrefs, s.AttrOr("href", "")) })
			}
			for _, path := range plain {
				if doc, ok := check(c, l.Email, lang, path); ok {
					seen[path] = true
					collect(doc)
				}
			}
			// Tabs are pages of their own that the plain route does not show.
			for _, path := range tabs {
				if doc, ok := check(c, l.Email, lang, path); ok {
					collect(doc)
				}
			}
			// Two rounds: details link to further details (an appeal from
			// its flow, a platform fee from the invoices).
			done := map[string]bool{}
			for range 2 {
				for _, pat := range params {
					if done[pat] {
						continue
					}
					re := regexp.MustCompile("^" + regexp.MustCompile(`:[a-z]+`).ReplaceAllString(regexp.QuoteMeta(pat), `[^/?#]+`) + `(\?.*)?$`)
					for _, h := range hrefs {
						if re.MatchString(h) {
							if doc, ok := check(c, l.Email, lang, h); ok {
								seen[pat], done[pat] = true, true
								collect(doc)
							}
							break
						}
					}
				}
			}
		}
	}
	for _, p := range append(plain, params...) {
		if !seen[p] {
			t.Errorf("no demo role reached %s: the walk does not cover it", p)
		}
	}
}
