package supervision

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/sellercenter/sellercenter/models"
)

// The pack holds the timeline, every document and a manifest whose hashes
// match the bytes; another merchant cannot build it.
func TestEvidencePack(t *testing.T) {
	e := newTEnv(t)
	lineID, f := e.acmeLine()
	e.mustBuyer(lineID, EvSubmitRequirements, "<script>需求</script>", pdf("需求.pdf"))
	a, err := e.svc.Appeal(context.Background(), e.acme, f.ID, AppealInput{Reason: "客户需求超出合同范围",
		Files: []Upload{pdf("合同.pdf")}})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := e.svc.EvidencePack(context.Background(), e.globex, a.ID, &buf); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("globex pack: %v", err)
	}
	if err := e.svc.EvidencePack(context.Background(), e.ops, a.ID, &buf); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, zf := range zr.File {
		r, _ := zf.Open()
		b, _ := io.ReadAll(r)
		files[zf.Name] = b
	}
	var man []ManifestEntry
	if err := json.Unmarshal(files["manifest.json"], &man); err != nil || len(man) != 3 {
		t.Fatalf("manifest %s: %v", files["manifest.json"], err)
	}
	for _, m := range man {
		sum := sha256.Sum256(files[m.Path])
		if hex.EncodeToString(sum[:]) != m.SHA256 {
			t.Errorf("%s: hash mismatch", m.Path)
		}
	}
	html := string(files["timeline.html"])
	if !strings.Contains(html, "发起申诉") || strings.Contains(html, "<script>") {
		t.Fatalf("timeline: %s", html)
	}
}

// The related tickets (this buyer, this product, this merchant) travel in
// the pack as their pages show them: the customer masked, internal notes
// only in the merchant's own pack.
func TestEvidencePackTickets(t *testing.T) {
	e := newTEnv(t)
	_, f := e.acmeLine()
	ts := e.clock.Now().Format("2006-01-02 15:04:05") + "+00:00"
	ticket := func(code, product string) int64 {
		return e.exec(`INSERT INTO tickets (merchant_id, ticket_id, product_ref, buyer_ref, customer_name_enc, title, content,
				state, source, created_at, received_at, updated_at, clock_start_at)
			SELECT ?, ?, p.id, ?, 'sealed', '报表无法导出', '导出按钮无反应', 'processing', 'api', ?, ?, ?, ?
			FROM products p WHERE p.product_id = ?`, f.MerchantID, code, f.BuyerRef, ts, ts, ts, ts, product)
	}
	msg := func(tid int64, kind, author, body string) {
		e.exec(`INSERT INTO ticket_messages (ticket_ref, merchant_id, kind, author_name, body, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, tid, f.MerchantID, kind, author, body, ts)
	}
	tid := ticket("TK-1", "00301-100003-0--0")
	msg(tid, models.TicketMsgBuyer, "王小明", "还是不行")
	msg(tid, models.TicketMsgReply, "客服小李", "已修复，请重试")
	msg(tid, models.TicketMsgNote, "客服小李", "内部：客户环境是旧版浏览器")
	other := ticket("TK-2", "00301-100004-0--0")
	msg(other, models.TicketMsgBuyer, "王小明", "另一个产品的问题")
	a, err := e.svc.Appeal(context.Background(), e.buyer, f.ID, AppealInput{Reason: "商家长时间未修复问题"})
	if err != nil {
		t.Fatal(err)
	}
	pack := func(actor models.Actor) map[string]string {
		t.Helper()
		var buf bytes.Buffer
		if err := e.svc.EvidencePack(context.Background(), actor, a.ID, &buf); err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, zf := range zr.File {
			if strings.HasPrefix(zf.Name, "tickets/") {
				r, _ := zf.Open()
				b, _ := io.ReadAll(r)
				out[zf.Name] = string(b)
			}
		}
		return out
	}
	for _, c := range []struct {
		who   models.Actor
		notes bool
	}{{e.ops, false}, {e.buyer, false}, {e.acme, true}} {
		got := pack(c.who)
		body, ok := got[fmt.Sprintf("tickets/%d-TK-1.txt", tid)]
		if len(got) != 1 || !ok {
			t.Fatalf("ticket files %v", got)
		}
		for _, want := range []string{"报表无法导出", "导出按钮无反应", "还是不行", "已修复，请重试", "王*", "客服小李"} {
			if !strings.Contains(body, want) {
				t.Errorf("missing %q in\n%s", want, body)
			}
		}
		if strings.Contains(body, "王小明") || strings.Contains(body, "sealed") {
			t.Errorf("unmasked customer in\n%s", body)
		}
		if strings.Contains(body, "旧版浏览器") != c.notes {
			t.Errorf("internal note shown: %v, want %v", !c.notes, c.notes)
		}
	}
}
