package exports

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/i18n"
	"github.com/sellercenter/sellercenter/models/supervision"
)

// seedFlows gives every seeded line of a prefix a supervision flow: nodes
// cycle through the open ones, every third flow has been rejected, every
// fifth has an open appeal (its SLA clock paused), every seventh missed
// its SLA.
func (e *tenv) seedFlows(prefix string) {
	e.t.Helper()
	e.exec(`INSERT INTO supervision_flows (merchant_id, line_ref, order_ref, product_ref, buyer_ref, variant, acceptance_mode,
			sla_days, node, appeal, node_entered_at, started_at, reject_count, sla_due_at, sla_left_s, sla_overdue_at, paused_at,
			created_at, updated_at)
		SELECT l.merchant_id, l.id, l.order_ref, l.product_ref, l.buyer_ref, 'manual',
			CASE WHEN l.id % 2 = 0 THEN 'auto' ELSE 'manual' END, 30,
			CASE l.id % 4 WHEN 0 THEN 'requirements' WHEN 1 THEN 'confirm' WHEN 2 THEN 'delivery' ELSE 'acceptance' END,
			CASE WHEN l.id % 5 = 0 THEN 'open' ELSE 'none' END,
			?, l.ordered_at, CASE WHEN l.id % 3 = 0 THEN l.id % 4 ELSE 0 END,
			CASE WHEN l.id % 4 = 2 AND l.id % 5 <> 0 THEN datetime(?, '+' || (l.id % 50) || ' hours') END,
			CASE WHEN l.id % 4 = 2 AND l.id % 5 = 0 THEN 3600 * 30 END,
			CASE WHEN l.id % 7 = 0 THEN ? END,
			CASE WHEN l.id % 5 = 0 THEN ? END, ?, ?
		FROM order_lines l WHERE l.order_code >= ? AND l.order_code < ?`,
		now0.Add(-time.Hour), now0.Add(-5*time.Hour), now0, now0, now0, now0, prefix, prefix+"\U0010FFFF")
}

// The 服务监管 export holds exactly the rows of the filtered list, in its
// order, with its localized words, in the exporting merchant's scope.
func TestSupervisionExportEqualsTheFilteredList(t *testing.T) {
	e := newTEnv(t, Config{})
	seedLines(t, e.db, "acme", "SUP-A", 60, now0.Add(-48*time.Hour))
	seedLines(t, e.db, "globex", "SUP-G", 20, now0.Add(-48*time.Hour))
	e.seedFlows("SUP-A")
	e.seedFlows("SUP-G")
	sup, err := supervision.New(e.db.Gorm, e.clock, nil, supervision.Config{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	owner := e.actor("owner@acme.test")
	l := i18n.For(i18n.ZH)
	for _, query := range []string{"", "node=delivery", "appeal=open", "overdue=1", "turn=merchant&from=2026-11-20&to=2026-11-23"} {
		t.Run(query, func(t *testing.T) {
			vals, _ := url.ParseQuery(query)
			f, v := supervision.ParseFilter(vals, shanghai)
			if v.Err() != nil {
				t.Fatal(v)
			}
			var want []supervision.Row
			for {
				p, err := sup.List(context.Background(), owner, f)
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, p.Rows...)
				if p.NextID == 0 {
					break
				}
				f.BeforeID, f.BeforeAt = p.NextID, p.NextAt
			}
			if len(want) == 0 {
				t.Fatal("the filter keeps nothing: the test would prove nothing")
			}
			x := e.create(owner, models.ExportSupervision, models.ExportXLSX, query)
			e.run(x.ID)
			x = e.export(x.ID)
			if x.RowsWritten != int64(len(want)) {
				t.Fatalf("%d rows written, the list has %d", x.RowsWritten, len(want))
			}
			f2, err := excelize.OpenFile(e.fileOf(x))
			if err != nil {
				t.Fatal(err)
			}
			defer f2.Close()
			rows, err := f2.GetRows("服务监管")
			if err != nil {
				t.Fatal(err)
			}
			head := []string{"订单号", "商品", "商品ID", "客户", "客户ID", "当前节点", "节点进入时间", "剩余时间", "驳回次数", "申诉状态", "验收方式"}
			if !slices.Equal(rows[0], head) {
				t.Fatalf("header %v", rows[0])
			}
			if len(rows)-1 != len(want) {
				t.Fatalf("%d data rows, the list has %d", len(rows)-1, len(want))
			}
			for i, r := range want {
				got := rows[i+1]
				node := l.T(r.Node.MsgID())
				if r.Overdue() {
					node += " · " + l.T("supervision.overdue")
				}
				left := ""
				if d, ok := r.Left(now0); ok {
					days, hours, over := supervision.LeftParts(d)
					left = l.T("supervision.left_dh", "D", days, "H", hours)
					if over {
						left = l.T("supervision.overdue_by", "Left", left)
					}
				}
				exp := []string{r.OrderCode, r.ProductName, r.ProductID, r.CustomerName, r.CustomerID, node,
					r.NodeEnteredAt.In(shanghai).Format("2006-01-02 15:04:05"), left, strconv.Itoa(r.RejectCount),
					l.T(r.SupFlow.Appeal.MsgID()), l.T("supervision.accept_mode." + r.AcceptanceMode)}
				for len(got) < len(exp) {
					got = append(got, "")
				}
				if !slices.Equal(got, exp) {
					t.Fatalf("row %d\n got %q\nwant %q", i, got, exp)
				}
				for _, internal := range []string{"delivery", "manual", "auto", "none", "open", "requirements"} {
					if slices.Contains(got, internal) {
						t.Fatalf("row %d shows the internal value %q: %q", i, internal, got)
					}
				}
			}
		})
	}
	// Another merchant's export never holds Acme's flows.
	x := e.create(e.actor("owner@globex.test"), models.ExportSupervision, models.ExportCSV, "")
	e.run(x.ID)
	if x = e.export(x.ID); x.RowsWritten != 20 {
		t.Fatalf("globex export: %d rows, want its 20", x.RowsWritten)
	}
	// Operations export one merchant's flows, or every merchant's with the
	// merchant column first.
	ops := e.actor("ops@demo.test")
	x = e.create(ops, models.ExportSupervision, models.ExportCSV, "merchant=globex")
	e.run(x.ID)
	if x = e.export(x.ID); x.RowsWritten != 20 {
		t.Fatalf("ops export of globex: %d rows", x.RowsWritten)
	}
	x = e.create(ops, models.ExportSupervision, models.ExportXLSX, "")
	e.run(x.ID)
	if x = e.export(x.ID); x.RowsWritten != 80 {
		t.Fatalf("ops export of all: %d rows", x.RowsWritten)
	}
	all, err := excelize.OpenFile(e.fileOf(x))
	if err != nil {
		t.Fatal(err)
	}
	defer all.Close()
	if rows, _ := all.GetRows("服务监管"); len(rows) != 81 || rows[0][0] != "商家" || rows[0][1] != "订单号" {
		t.Fatalf("ops file: %d rows, header %v", len(rows), rows[0])
	}
	// A bad filter is refused with the list's own field, nothing stored.
	before := e.count("exports", "1 = 1")
	_, err = e.svc.Create(context.Background(), owner, models.ExportSupervision, models.ExportXLSX, "node=dancing")
	if v, ok := err.(*models.ValidationError); !ok || v.Fields["node"].ID == "" {
		t.Fatalf("bad node: %v", err)
	}
	if e.count("exports", "1 = 1") != before {
		t.Fatal("a refused export was stored")
	}
}
