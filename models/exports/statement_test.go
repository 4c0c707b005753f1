package exports

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/invoices"
)

// seedStatement settles 30 October lines of a merchant at 5% and returns
// its CNY statement.
func (e *tenv) seedStatement(slug string) models.SettlementStatement {
	e.t.Helper()
	seedLines(e.t, e.db, slug, "ST-"+slug+"-", 30, time.Date(2026, 10, 3, 0, 0, 0, 0, time.UTC))
	inv, err := invoices.New(e.db.Gorm, e.clock, nil, invoices.Config{Dir: e.t.TempDir()})
	if err != nil {
		e.t.Fatal(err)
	}
	ctx, ops := context.Background(), e.actor("ops@demo.test")
	if err := inv.SetCommission(ctx, ops, e.merchantID(slug), nil, 500); err != nil {
		e.t.Fatal(err)
	}
	sts, err := inv.GenerateStatements(ctx, ops, e.merchantID(slug), "2026-10")
	if err != nil || len(sts) != 1 || sts[0].LineCount != 30 {
		e.t.Fatalf("statements %+v %v", sts, err)
	}
	return sts[0]
}

func TestStatementExportHoldsItsLinesAndIsScoped(t *testing.T) {
	e := newTEnv(t, Config{})
	st := e.seedStatement("acme")
	fin := e.actor("finance@acme.test")
	var want []invoices.StatementLineRow
	if _, err := invoices.NewReader(e.db.Gorm, e.clock).EachStatementLine(context.Background(), fin, st.ID,
		func(r invoices.StatementLineRow) error { want = append(want, r); return nil }); err != nil || len(want) != 30 {
		t.Fatalf("%d lines %v", len(want), err)
	}

	x := e.create(fin, models.ExportStatement, models.ExportXLSX, fmt.Sprintf("statement=%d&merchant=globex", st.ID))
	if x.Query != fmt.Sprintf("statement=%d", st.ID) || x.Summary != "2026-10 CNY 结算单" || x.FileName[:20] != "acme-statement-2026-" {
		t.Fatalf("stored %q %q %q", x.Query, x.Summary, x.FileName)
	}
	e.run(x.ID)
	if x = e.export(x.ID); x.Status != models.ExportDone || x.RowsWritten != 30 {
		t.Fatalf("export %+v", x)
	}
	f, err := excelize.OpenFile(e.fileOf(x))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("结算单明细", excelize.Options{RawCellValue: true})
	if err != nil || len(rows) != 31 {
		t.Fatalf("%d rows %v", len(rows), err)
	}
	h := rows[0]
	li, pi, ki, ai, fi, ri := colIndex(h, "订单行号"), colIndex(h, "商品名称"), colIndex(h, "类型"), colIndex(h, "金额"),
		colIndex(h, "平台费"), colIndex(h, "费率")
	for i, r := range rows[1:] {
		w := want[i]
		if r[li] != w.OrderLineID || r[pi] != w.ProductName || w.ProductName == "" || r[ki] != "销售" ||
			r[ai] != fmt.Sprintf("%.2f", float64(w.Gross)/100) && r[ai] != fmt.Sprint(float64(w.Gross)/100) ||
			r[fi] != fmt.Sprint(float64(w.Fee)/100) && r[fi] != fmt.Sprintf("%.2f", float64(w.Fee)/100) || r[ri] != "5%" {
			t.Fatalf("row %d %v, want %+v", i, r, w)
		}
	}

	// Another merchant cannot ask for it, nor can a role without finance's right.
	if _, err := e.svc.Create(context.Background(), e.actor("owner@globex.test"), models.ExportStatement, models.ExportXLSX,
		fmt.Sprintf("statement=%d", st.ID)); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("globex export of acme's statement: %v", err)
	}
	if _, err := e.svc.Create(context.Background(), fin, models.ExportStatement, models.ExportXLSX, "statement=x"); err == nil {
		t.Fatal("a malformed statement id was accepted")
	}
	// Operations export it as the statement's merchant's, without a merchant column.
	x = e.create(e.actor("ops@demo.test"), models.ExportStatement, models.ExportCSV, fmt.Sprintf("statement=%d", st.ID))
	if x.MerchantID == nil || *x.MerchantID != st.MerchantID {
		t.Fatalf("ops export merchant %v", x.MerchantID)
	}
	e.run(x.ID)
	if x = e.export(x.ID); x.Status != models.ExportDone || x.RowsWritten != 30 {
		t.Fatalf("ops export %+v", x)
	}
}
