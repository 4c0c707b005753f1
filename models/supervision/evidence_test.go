package supervision

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
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
