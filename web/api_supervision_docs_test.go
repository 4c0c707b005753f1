package web_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/sellercenter/sellercenter/models"
	ms "github.com/sellercenter/sellercenter/models/supervision"
)

// supEvent is an events body with documents (name → bytes, in order).
func supEvent(t *testing.T, eventID, event, text string, docs ...[2]string) string {
	t.Helper()
	body := map[string]any{"eventId": eventID, "event": event}
	if text != "" {
		body["text"] = text
	}
	if len(docs) > 0 {
		var ds []map[string]string
		for _, d := range docs {
			ds = append(ds, map[string]string{"name": d[0], "contentBase64": base64.StdEncoding.EncodeToString([]byte(d[1]))})
		}
		body["documents"] = ds
	}
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const pdfDoc = "%PDF-1.4\n% a document\n"

// The buyer's documents ride on the forwarded events: stored under the
// pages' limits, shown on the flow's timeline under the event that carried
// them, never stored twice by a repeat or at all by a refused event.
func TestSupervisionAPIEventsCarryDocuments(t *testing.T) {
	a := newAPIEnv(t)
	flowID := a.buyerSupOrder("CS-DOC")
	url := "/api/v1/supervision/CS-DOC-1/events"
	docs := func() int64 { return a.count("supervision_documents", "1 = 1") }
	files := func() int {
		es, err := os.ReadDir(a.sup.Dir())
		if err != nil {
			t.Fatal(err)
		}
		return len(es)
	}
	fieldOf := func(body string, want string) {
		t.Helper()
		e := a.authed(http.MethodPost, url, body).apiError(t, http.StatusUnprocessableEntity)
		if e.Error.Fields[want] == "" {
			t.Fatalf("422 without field %s: %+v", want, e.Error)
		}
		if docs() != 0 || files() != 0 {
			t.Fatalf("a refused event kept %d documents, %d files", docs(), files())
		}
	}
	// Refusals: bad base64, a type the pages refuse, too many, too large,
	// documents on an event that takes none.
	bad := `{"eventId":"b1","event":"submit_requirements","text":"x","documents":[{"name":"a.pdf","contentBase64":"%%%not base64"}]}`
	fieldOf(bad, "documents[0].contentBase64")
	fieldOf(supEvent(t, "b2", ms.EvSubmitRequirements, "x", [2]string{"需求.pdf", "<html><script>1</script></html>"}), "documents")
	var many [][2]string
	for i := range 11 {
		many = append(many, [2]string{"d" + strconv.Itoa(i) + ".txt", "text"})
	}
	fieldOf(supEvent(t, "b3", ms.EvSubmitRequirements, "x", many...), "documents")
	fieldOf(supEvent(t, "b4", ms.EvSubmitRequirements, "x", [2]string{"big.txt", strings.Repeat("x", int(a.sup.MaxFile())+1)}), "documents")
	fieldOf(supEvent(t, "b5", ms.EvAccept, "", [2]string{"a.pdf", pdfDoc}), "documents")
	fieldOf(`{"eventId":"b6","event":"submit_requirements","documents":[{"name":"","contentBase64":"eA=="}]}`, "documents[0].name")

	// Submitted with two documents: 201, both on the submission's event.
	sub := supEvent(t, "s1", ms.EvSubmitRequirements, "两个机房", [2]string{"需求说明.pdf", pdfDoc}, [2]string{"清单.txt", "机房 A、机房 B"})
	if r := a.authed(http.MethodPost, url, sub); r.status != http.StatusCreated {
		t.Fatalf("submit %d %s", r.status, r.body)
	}
	if docs() != 2 || files() != 2 {
		t.Fatalf("stored %d documents, %d files", docs(), files())
	}
	// The repeat answers 200 and stores nothing.
	if r := a.authed(http.MethodPost, url, sub); r.status != http.StatusOK || docs() != 2 || files() != 2 {
		t.Fatalf("repeat %d: %d documents, %d files", r.status, docs(), files())
	}
	owner := a.loggedIn("owner@acme.test")
	flowPage := "/supervision/" + strconv.FormatInt(flowID, 10)
	onTimeline := func(p page, kind string) []string {
		var names []string
		p.doc.Find(`[data-testid="sup-event"][data-kind="` + kind + `"] [data-testid="sup-event-doc"] a`).
			Each(func(_ int, s *goquery.Selection) { names = append(names, s.Text()) })
		return names
	}
	p := owner.get(flowPage)
	if got := onTimeline(p, models.SupEvSubmitted); len(got) != 2 || got[0] != "需求说明.pdf" || got[1] != "清单.txt" {
		t.Fatalf("submitted event's documents %v", got)
	}
	href := p.doc.Find(`[data-testid="sup-event"][data-kind="submitted"] [data-testid="sup-event-doc"] a`).Last().AttrOr("href", "")
	if s, _, b := owner.download(href); s != http.StatusOK || string(b) != "机房 A、机房 B" {
		t.Fatalf("download %d %q", s, b)
	}

	// Walk to acceptance; the buyer rejects with evidence, then appeals with more.
	ctx, staff := t.Context(), actorOf(a.env, "owner@acme.test")
	if err := a.sup.Act(ctx, staff, flowID, ms.MerchantInput{Action: models.SupConfirmReq}); err != nil {
		t.Fatal(err)
	}
	if err := a.sup.Act(ctx, staff, flowID, ms.MerchantInput{Action: models.SupDeliver, Text: "完成",
		Files: []ms.Upload{{Name: "验收.pdf", R: bytes.NewReader([]byte(pdfDoc))}}}); err != nil {
		t.Fatal(err)
	}
	if r := a.authed(http.MethodPost, url, supEvent(t, "r1", ms.EvReject, "机房 B 未部署完成",
		[2]string{"截图.png", "\x89PNG\r\n\x1a\n" + strings.Repeat("\x07", 64)})); r.status != http.StatusCreated {
		t.Fatalf("reject %d %s", r.status, r.body)
	}
	if r := a.authed(http.MethodPost, url, supEvent(t, "a1", ms.EvAppeal, "商家多次未按需求交付",
		[2]string{"沟通记录.txt", "记录"})); r.status != http.StatusCreated {
		t.Fatalf("appeal %d %s", r.status, r.body)
	}
	p = owner.get(flowPage)
	if got := onTimeline(p, models.SupEvRefused); len(got) != 1 || got[0] != "截图.png" {
		t.Fatalf("refused event's documents %v", got)
	}
	if got := onTimeline(p, models.SupEvAppealed); len(got) != 1 || got[0] != "沟通记录.txt" {
		t.Fatalf("appealed event's documents %v", got)
	}
	// The buyer's own page shows them on its timeline too.
	bp := a.loggedIn("buyer@demo.test").get("/buyer" + flowPage)
	if got := onTimeline(bp, models.SupEvRefused); len(got) != 1 || got[0] != "截图.png" {
		t.Fatalf("buyer's timeline: refused event's documents %v", got)
	}
	if got := onTimeline(bp, models.SupEvSubmitted); len(got) != 2 {
		t.Fatalf("buyer's timeline: submitted event's documents %v", got)
	}
	// While the appeal is open a buyer event with documents is a 409 and keeps nothing.
	n, f := docs(), files()
	a.authed(http.MethodPost, url, supEvent(t, "r2", ms.EvReject, "再次驳回验收",
		[2]string{"b.pdf", pdfDoc})).apiError(t, http.StatusConflict)
	if docs() != n || files() != f {
		t.Fatal("a refused event kept its documents")
	}
	// An unknown line: 404, nothing kept.
	a.authed(http.MethodPost, "/api/v1/supervision/NOPE-1/events", supEvent(t, "n1", ms.EvSubmitRequirements, "x",
		[2]string{"a.pdf", pdfDoc})).apiError(t, http.StatusNotFound)
	if docs() != n || files() != f {
		t.Fatal("an unknown line's event kept its documents")
	}
}
