package supervision

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"maps"
	"slices"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/i18n"
)

// ManifestEntry is one file of an evidence pack.
type ManifestEntry struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

var timelineHTML = template.Must(template.New("t").Parse(`<!doctype html>
<html lang="zh-CN"><meta charset="utf-8"><title>{{.Title}} {{.D.OrderCode}}</title>
<h1>{{.Title}}</h1>
<p>{{.D.OrderCode}} · {{.D.LineCode}} · {{.D.ProductName}} · {{.D.CustomerName}} · {{.Node}}</p>
<h2>验收标准 / Acceptance criteria</h2><pre>{{.D.Criteria}}</pre>
<h2>需求 / Requirements</h2><pre>{{.D.Requirements}}</pre>
<table border="1" cellpadding="4"><tr><th>#</th><th>时间 (北京)</th><th>事件</th><th>参与方</th><th>操作人</th><th>说明</th></tr>
{{range .Events}}<tr><td>{{.ID}}</td><td>{{.At}}</td><td>{{.Kind}}</td><td>{{.Party}}</td><td>{{.Actor}}</td><td>{{.Text}}</td></tr>
{{end}}</table>
<h2>申诉 / Appeals</h2>
{{range .D.Appeals}}<p>#{{.ID}} {{.Party}} · {{.Outcome}} · {{.Reason}} · {{.State}} {{.Ruling}} {{.RulingReason}}</p>
{{end}}</html>
`))

// EvidencePack writes an appeal's evidence pack as a ZIP to w: the
// timeline as a readable HTML page, every document of the flow, the related
// tickets' messages, and a manifest with each file's SHA-256. Operations
// sees any appeal, each party its own; audited.
func (s *Service) EvidencePack(ctx context.Context, actor models.Actor, appealID int64, w io.Writer) error {
	var a models.SupAppealRow
	if err := s.db.WithContext(ctx).Take(&a, appealID).Error; err != nil {
		return notFound(err)
	}
	d, err := s.Detail(ctx, actor, a.FlowRef)
	if err != nil {
		return err
	}
	loc := i18n.For(i18n.ZH)
	type ev struct {
		models.SupEvent
		At, Kind, Party string
	}
	evs := make([]ev, 0, len(d.Events))
	for _, e := range d.Events {
		evs = append(evs, ev{SupEvent: e, At: e.At.In(bizclock.Shanghai).Format(time.DateTime),
			Kind: loc.T("supervision.event." + e.Kind), Party: loc.T("supervision.party." + string(e.Party))})
	}
	var page bytes.Buffer
	if err := timelineHTML.Execute(&page, map[string]any{"Title": loc.T("supervision.evidence.title"), "D": d,
		"Node": loc.T(d.Node.MsgID()), "Events": evs}); err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	var manifest []ManifestEntry
	add := func(path string, r io.Reader) error {
		fw, err := zw.Create(path)
		if err != nil {
			return err
		}
		h := sha256.New()
		n, err := io.Copy(io.MultiWriter(fw, h), r)
		if err != nil {
			return err
		}
		manifest = append(manifest, ManifestEntry{path, n, hex.EncodeToString(h.Sum(nil))})
		return nil
	}
	if err := add("timeline.html", &page); err != nil {
		return err
	}
	for _, doc := range d.Documents {
		fh, err := s.dir().Open(doc.StorageName)
		if err != nil {
			return fmt.Errorf("document %d: %w", doc.ID, err)
		}
		err = add(fmt.Sprintf("documents/%d-%s", doc.ID, doc.FileName), fh)
		_ = fh.Close()
		if err != nil {
			return err
		}
	}
	tickets, err := relatedTickets(s.db.WithContext(ctx), &d.SupFlow, d.Party, loc)
	if err != nil {
		return err
	}
	for _, path := range slices.Sorted(maps.Keys(tickets)) {
		if err := add(path, bytes.NewReader(tickets[path])); err != nil {
			return err
		}
	}
	b, err := json.MarshalIndent(manifest, "", " ")
	if err != nil {
		return err
	}
	fw, err := zw.Create("manifest.json")
	if err != nil {
		return err
	}
	if _, err := fw.Write(b); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return audit.Write(s.db.WithContext(ctx), s.now(), actor, audit.Event{Action: models.AuditSupEvidenceExport,
		MerchantID: d.MerchantID, TargetType: "supervision_appeal", TargetID: a.ID, Detail: map[string]any{"files": len(manifest)}})
}
