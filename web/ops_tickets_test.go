package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestOpsReadTicketsAcrossMerchantsReadOnly(t *testing.T) {
	e := newTicketEnv(t)
	id := e.ticket("TK-OPS-1", time.Minute)
	owner := e.loggedIn("owner@acme.test")
	if p := owner.postMultipart("/tickets/"+itoa(id)+"/reply", url.Values{"kind": {"reply"}, "body": {"您好，我们正在处理。"}},
		upload{"log.txt", []byte("trace")}); p.status != http.StatusSeeOther {
		t.Fatalf("owner reply: %d", p.status)
	}
	ops := e.loggedIn("ops@demo.test")
	p := ops.get("/tickets")
	if p.status != http.StatusOK {
		t.Fatalf("ops ticket list: %d", p.status)
	}
	if testid(p, "nav-admin-tickets").Length() != 1 || p.doc.Find(".sidenav a.active").Length() != 1 {
		t.Error("ops navigation: no single active tickets item")
	}
	row := p.doc.Find(`[data-testid="ticket-row"][data-ticket="TK-OPS-1"]`)
	if row.Length() != 1 || strings.TrimSpace(row.Find(`[data-testid="ticket-merchant"]`).Text()) == "" {
		t.Fatalf("ops list row: %q", row.Text())
	}
	if name := strings.TrimSpace(row.Find(`[data-testid="ticket-merchant"]`).Text()); name == "acme" {
		t.Errorf("merchant shown by slug %q, want its name", name)
	}
	if p.doc.Find(`select[name="merchant"]`).Length() != 1 || testid(p, "ticket-report-link").Length() != 0 {
		t.Error("ops list: merchant filter missing or report link shown")
	}
	if p := ops.get("/tickets?merchant=globex"); testid(p, "ticket-row").Length() != 0 {
		t.Errorf("merchant filter globex still lists acme's ticket")
	}
	if p := ops.get("/tickets?merchant=nope"); p.status != http.StatusUnprocessableEntity {
		t.Errorf("unknown merchant filter: %d", p.status)
	}
	d := ops.get("/tickets/" + itoa(id))
	if d.status != http.StatusOK || testid(d, "ticket-read-only").Length() != 1 {
		t.Fatalf("ops detail: %d", d.status)
	}
	for _, tid := range []string{"reply-form", "ticket-actions", "ticket-assign"} {
		if testid(d, tid).Length() != 0 {
			t.Errorf("ops detail shows %s", tid)
		}
	}
	if !strings.Contains(d.body, "您好，我们正在处理。") || testid(d, "ticket-history").Find("li").Length() == 0 {
		t.Error("ops detail lacks the conversation or the history")
	}
	file, _ := testid(d, "ticket-file").Attr("href")
	if file == "" || ops.get(file).status != http.StatusOK {
		t.Errorf("ops cannot download the attachment %q", file)
	}
	// Every write is refused.
	for path, form := range map[string]url.Values{
		"/tickets/" + itoa(id) + "/action": {"action": {"start"}},
		"/tickets/" + itoa(id) + "/assign": {"assignee": {"0"}},
	} {
		if p := ops.post(path, form); p.status != http.StatusForbidden {
			t.Errorf("ops POST %s: %d", path, p.status)
		}
	}
	if p := ops.postMultipart("/tickets/"+itoa(id)+"/reply", url.Values{"kind": {"reply"}, "body": {"x"}}); p.status != http.StatusForbidden {
		t.Errorf("ops reply: %d", p.status)
	}
	if p := ops.get("/tickets/report"); p.status != http.StatusForbidden {
		t.Errorf("ops report: %d", p.status)
	}
	if n := e.count("ticket_messages", "ticket_ref = ?", id); n != 1 {
		t.Errorf("messages after refused writes: %d", n)
	}
	// A merchant still sees only its own tickets.
	if p := e.loggedIn("owner@globex.test").get("/tickets/" + itoa(id)); p.status != http.StatusNotFound {
		t.Errorf("globex on acme's ticket: %d", p.status)
	}
}
