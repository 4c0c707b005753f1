package supervision

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
)

// The buyer follows its flow on BuyerDetail: every node change and the
// ruling, with nothing merchant-internal and no staff identity.
func TestBuyerDetail(t *testing.T) {
	e := newTEnv(t)
	ctx := context.Background()
	lineID, f := e.acmeLine()
	e.toDelivery(lineID, f.ID)
	e.clock.Advance(31 * 24 * time.Hour)
	e.sweep() // SLA overdue: the merchant's flag, not the buyer's
	e.act(e.acme, f.ID, MerchantInput{Action: models.SupDeliver, Files: []Upload{pdf("交付验收文档.pdf")}})
	e.mustBuyer(lineID, EvReject, "报表模块缺失")
	a, err := e.svc.Appeal(ctx, e.acme, f.ID, AppealInput{Reason: "报表不在合同范围内", Outcome: models.SupOutcomeAccept,
		Files: []Upload{pdf("合同.pdf")}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Rule(ctx, e.ops, a.ID, models.SupRuleAccept, "合同未约定报表模块"); err != nil {
		t.Fatal(err)
	}
	d, err := e.svc.BuyerDetail(ctx, e.buyer, f.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Node != models.SupDone || d.Appeal != models.SupAppealRuled || len(d.Appeals) != 1 ||
		d.Appeals[0].Ruling != models.SupRuleAccept || d.Appeals[0].RulingReason != "合同未约定报表模块" {
		t.Fatalf("node %s appeal %s appeals %+v", d.Node, d.Appeal, d.Appeals)
	}
	var kinds []string
	var ruled bool
	for _, ev := range d.Events {
		kinds = append(kinds, ev.Kind)
		ruled = ruled || (ev.Kind == models.SupEvRuled && ev.Ruling == models.SupRuleAccept && ev.Party == models.SupPartyOps)
	}
	got := strings.Join(kinds, ",")
	for _, want := range []string{"started", "submitted", "confirmed", "delivered", "refused", "appealed", "ruled", "accepted"} {
		if !strings.Contains(got, want) {
			t.Errorf("timeline %s lacks %s", got, want)
		}
	}
	if !ruled || strings.Contains(got, models.SupEvSLAOverdue) {
		t.Fatalf("timeline %s", got)
	}
	// Every node change the flow made is on the buyer's timeline.
	var changes int
	for _, ev := range d.Events {
		if ev.NodeTo != "" && ev.NodeTo != ev.NodeFrom {
			changes++
		}
	}
	if n := e.count("supervision_events", "flow_ref = ? AND node_to <> '' AND node_to <> node_from", f.ID); int64(changes) != n {
		t.Fatalf("%d node changes shown of %d", changes, n)
	}
	for _, doc := range d.Documents {
		if doc.Kind == models.SupDocEvidence && doc.Party == models.SupPartyMerchant {
			t.Fatalf("merchant evidence shown: %+v", doc)
		}
	}
	b, _ := json.Marshal(d)
	for _, leak := range []string{"owner@acme.test", "ops@demo.test", "marketplace", "sla_overdue"} {
		if strings.Contains(string(b), leak) {
			t.Errorf("buyer detail shows %q: %s", leak, b)
		}
	}
	var evidence int64
	e.db.SQL.QueryRow(`SELECT id FROM supervision_documents WHERE kind = 'evidence' AND party = 'merchant'`).Scan(&evidence)
	if _, _, err := e.svc.OpenDocument(ctx, e.buyer, evidence); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("buyer opened the merchant's evidence: %v", err)
	}
	if _, err := e.svc.BuyerDetail(ctx, e.acme, f.ID); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("merchant on the buyer read model: %v", err)
	}
}
