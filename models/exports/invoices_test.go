package exports

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
)

// seedInvoices inserts n issued invoices of a merchant, titles cycling
// through dangerous, one second apart before now0.
func (e *tenv) seedInvoices(slug string, n int) {
	e.t.Helper()
	e.exec(`INSERT OR IGNORE INTO buyers (customer_id, name_masked, created_at, updated_at) VALUES ('c-inv', '王*', ?, ?)`, now0, now0)
	for i := range n {
		at := now0.Add(-time.Duration(i+1) * time.Second)
		e.exec(`INSERT INTO invoices (merchant_id, buyer_ref, customer_id, request_id, request_hash, source, title, tax_id, kind,
				email, currency, amount, status, requested_at, overdue_at, invoice_number, invoice_date, issued_at, file_storage,
				created_at, updated_at)
			VALUES (?, (SELECT id FROM buyers WHERE customer_id = 'c-inv'), 'c-inv', ?, '', 'api', ?, '91350100M000100Y43',
				'normal', 'a@b.cn', 'CNY', ?, 'issued', ?, ?, ?, '2026-11-20', ?, 'f', ?, ?)`,
			e.merchantID(slug), fmt.Sprintf("%s-R%d", slug, i), dangerous[i%len(dangerous)], 1000+i, at, at, fmt.Sprintf("N%d", i), at, at, at)
	}
}

func TestInvoiceExportIsLocalizedEscapedAndScoped(t *testing.T) {
	e := newTEnv(t, Config{})
	e.seedInvoices("acme", 20)
	e.seedInvoices("globex", 5)
	x := e.create(e.actor("finance@acme.test"), models.ExportInvoices, models.ExportCSV, "status=issued")
	e.run(x.ID)
	x = e.export(x.ID)
	if x.Status != models.ExportDone || x.RowsWritten != 20 {
		t.Fatalf("export %+v", x)
	}
	b, err := os.ReadFile(e.fileOf(x))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 21 || recs[0][0] != "申请编号" {
		t.Fatalf("%d records, header %v", len(recs), recs[0])
	}
	ti, st, am, rq := colIndex(recs[0], "抬头"), colIndex(recs[0], "发票状态"), colIndex(recs[0], "金额"), colIndex(recs[0], "申请编号")
	seen := map[string]bool{}
	for _, r := range recs[1:] {
		seen[r[ti]] = true
		if r[st] != "已完成" || r[am] == "" || r[am][0] == '\'' || r[rq][:5] != "acme-" {
			t.Fatalf("row %v", r)
		}
	}
	for _, d := range dangerous {
		if !seen[EscapeFormula(d)] {
			t.Errorf("title %q not exported as %q", d, EscapeFormula(d))
		}
	}
	// Operations export every merchant's, with the merchant column first.
	x = e.create(e.actor("ops@demo.test"), models.ExportInvoices, models.ExportXLSX, "")
	e.run(x.ID)
	if x = e.export(x.ID); x.Status != models.ExportDone || x.RowsWritten != 25 {
		t.Fatalf("ops export %+v", x)
	}
}
