package web_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
)

// writeAudit appends an entry as a service would.
func (e *env) writeAudit(at time.Time, actor models.Actor, ev audit.Event) {
	e.t.Helper()
	if err := audit.Write(e.db.Gorm, at, actor, ev); err != nil {
		e.t.Fatal(err)
	}
}

func TestAuditLogReadsAsSentencesAndFilters(t *testing.T) {
	e := newEnv(t)
	owner, staff := e.user("owner@acme.test"), e.user("staff@acme.test")
	oa, sa := models.ActorOf(&owner, "10.0.0.1"), models.ActorOf(&staff, "10.0.0.2")
	day := e.clock.Now().Add(-48 * time.Hour)
	e.writeAudit(day, oa, audit.Event{Action: models.AuditBuyerPIIView, TargetType: "order", TargetID: 999,
		Detail: map[string]any{"customer": "hw-cust-1001"}})
	e.writeAudit(day.Add(time.Hour), oa, audit.Event{Action: models.AuditUserRoleChanged, TargetType: "user", TargetID: staff.ID,
		Detail: map[string]any{"role": "finance", "four_eyes_return": true}})
	e.writeAudit(e.clock.Now(), sa, audit.Event{Action: models.AuditCallRestarted, TargetType: "call", TargetID: 7})
	globex := e.user("owner@globex.test")
	e.writeAudit(e.clock.Now(), models.ActorOf(&globex, ""), audit.Event{Action: models.AuditBuyerPIIView, TargetType: "order", TargetID: 1})

	c := e.loggedIn("owner@acme.test")
	p := c.get("/settings/audit")
	rows := testid(p, "audit-row")
	if p.status != 200 || rows.Length() < 3 || strings.Contains(p.body, "owner@globex.test") {
		t.Fatalf("acme's log: %d, %d rows", p.status, rows.Length())
	}
	role := rows.Filter(`[data-action="user.role_changed"]`)
	if got := strings.Join(strings.Fields(role.Find(`[data-testid="audit-target"]`).Text()), " "); got != "用户 staff@acme.test" {
		t.Fatalf("object %q", got)
	}
	dl := role.Find(`[data-testid="audit-detail"]`)
	if dl.Find("dt").Eq(0).Text() != "退票需双人复核" || dl.Find("dd").Eq(0).Text() != "是" ||
		dl.Find("dt").Eq(1).Text() != "角色" || dl.Find("dd").Eq(1).Text() != "财务" {
		t.Fatalf("details %q", dl.Text())
	}
	if got := strings.TrimSpace(rows.Filter(`[data-action="buyer_pii.revealed"]`).Find(`[data-testid="audit-action"]`).Text()); got != "查看客户信息" {
		t.Fatalf("action %q", got)
	}
	// No catalog id or action key reaches the reader, in either language.
	for _, lang := range []string{"zh", "en"} {
		if lang == "en" {
			c.post("/lang", url.Values{"lang": {"en"}})
		}
		p := c.get("/settings/audit")
		text := p.doc.Find("main, .content").Text()
		for _, raw := range []string{"buyer_pii", "role_changed", "pages.audit", "audit.action", "four_eyes", "call.restarted"} {
			if strings.Contains(text, raw) {
				t.Fatalf("%s: page shows %q", lang, raw)
			}
		}
		if lang == "en" && !strings.Contains(text, "Returns need a second approver") {
			t.Fatal("English detail labels")
		}
	}
	c.post("/lang", url.Values{"lang": {"zh-CN"}})

	// Filters: who, action, object (by name), time range.
	for q, want := range map[string][]string{
		"actor=staff@":                          {"call.restarted"},
		"action=user.role_changed":              {"user.role_changed"},
		"target=user&target_id=staff@acme.test": {"user.created", "user.role_changed"},
		"target=order":                          {"buyer_pii.revealed"},
		"from=" + day.Format("2006-01-02") + "&to=" + day.Format("2006-01-02"): {"buyer_pii.revealed", "user.role_changed"},
	} {
		p := c.get("/settings/audit?" + q)
		var got []string
		for i := range testid(p, "audit-row").Length() {
			if a := testid(p, "audit-row").Eq(i).AttrOr("data-action", ""); a != "login" {
				got = append(got, a)
			}
		}
		if strings.Join(got, ",") != strings.Join(reverse(want), ",") {
			t.Errorf("%s: %v, want %v", q, got, reverse(want))
		}
	}
	for _, q := range []string{"action=nope", "target=planet", "from=2026-13-01", "actor=a%25b", "cursor=abc"} {
		if p := c.get("/settings/audit?" + q); p.status != http.StatusUnprocessableEntity || testid(p, "audit-table").Length() == 0 {
			t.Errorf("%s: %d", q, p.status)
		}
	}
	// Operations read every merchant's entries, named, and filter by merchant.
	ops := e.loggedIn("ops@demo.test")
	op := ops.get("/admin/audit?action=buyer_pii.revealed")
	names := testid(op, "audit-merchant").Text()
	if !strings.Contains(names, "Acme 云服务") || !strings.Contains(names, "Globex 软件") {
		t.Fatalf("merchants %q", names)
	}
	if op := ops.get("/admin/audit?action=buyer_pii.revealed&merchant=globex"); testid(op, "audit-row").Length() != 1 {
		t.Fatalf("merchant filter: %d rows", testid(op, "audit-row").Length())
	}

	// Export: the filtered log as a file, through the export engine.
	action, form := exportForm(t, c.get("/settings/audit?action=user.role_changed"))
	if form.Get("kind") != "audit" {
		t.Fatalf("export kind %q", form.Get("kind"))
	}
	form.Set("format", "csv")
	if r := c.post(action, form); r.status != http.StatusSeeOther {
		t.Fatalf("export: %d", r.status)
	}
	e.runExports()
	link := exportRow(c.get("/exports"), e.lastExportID()).Find(`[data-testid="export-download"]`)
	status, _, body := c.download(link.AttrOr("href", ""))
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xEF\xBB\xBF")))).ReadAll()
	if status != 200 || err != nil || len(recs) != 2 {
		t.Fatalf("export file: %d %v %v", status, err, recs)
	}
	if recs[0][3] != "操作" || recs[1][3] != "修改角色" || recs[1][5] != "staff@acme.test" ||
		!strings.Contains(recs[1][6], "角色: 财务") {
		t.Fatalf("export rows %v", recs)
	}
}

func reverse(s []string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[len(s)-1-i] = x
	}
	return out
}

func TestAuditLogPagesBothWays(t *testing.T) {
	e := newEnv(t)
	owner := e.user("owner@acme.test")
	oa := models.ActorOf(&owner, "")
	for i := range 120 {
		e.writeAudit(e.clock.Now().Add(time.Duration(i)*time.Second), oa, audit.Event{Action: models.AuditProfileChanged,
			TargetType: "user", TargetID: owner.ID, Detail: map[string]any{"name": fmt.Sprint(i)}})
	}
	c := e.loggedIn("owner@acme.test")
	ids := func(p page) string {
		var s []string
		for i := range testid(p, "audit-row").Length() {
			s = append(s, testid(p, "audit-row").Eq(i).Find("dd").Text())
		}
		return strings.Join(s, ",")
	}
	first := c.get("/settings/audit?action=user.profile_changed")
	next := testid(first, "audit-next").AttrOr("href", "")
	second := c.get(next)
	if testid(second, "audit-row").Length() != 50 || testid(second, "audit-position").AttrOr("data-from", "") != "51" {
		t.Fatalf("second page: %d rows from %s", testid(second, "audit-row").Length(), testid(second, "audit-position").AttrOr("data-from", ""))
	}
	third := c.get(testid(second, "audit-next").AttrOr("href", ""))
	if testid(third, "audit-row").Length() != 20 || testid(third, "audit-next").Length() != 0 {
		t.Fatalf("third page: %d rows", testid(third, "audit-row").Length())
	}
	back := c.get(testid(third, "audit-prev").AttrOr("href", ""))
	if ids(back) != ids(second) {
		t.Fatal("back from the third page is not the second")
	}
	start := c.get(testid(back, "audit-prev").AttrOr("href", ""))
	if ids(start) != ids(first) || testid(start, "audit-prev").Length() != 0 || testid(start, "audit-position").AttrOr("data-from", "") != "1" {
		t.Fatal("back to the start is not the first page")
	}
}
