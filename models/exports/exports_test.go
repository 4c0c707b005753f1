package exports

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/i18n"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

// fileOf returns the finished export's path after checking its row.
func (e *tenv) fileOf(x models.Export) string {
	e.t.Helper()
	if x.Status != models.ExportDone || x.FilePath == "" {
		e.t.Fatalf("export %d: status %s file %q error %q", x.ID, x.Status, x.FilePath, x.Error)
	}
	return filepath.Join(e.dir, x.FilePath)
}

// dbLine is what the database says about one exported line.
type dbLine struct {
	code     string
	amount   int64
	ordered  time.Time
	customer string
}

func (e *tenv) lines(where string, args ...any) []dbLine {
	e.t.Helper()
	rows, err := e.db.SQL.Query(`SELECT l.order_code, l.amount, l.ordered_at, b.name_masked FROM order_lines l
		JOIN buyers b ON b.id = l.buyer_ref WHERE `+where+` ORDER BY l.ordered_at DESC, l.id DESC`, args...)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var out []dbLine
	for rows.Next() {
		var l dbLine
		if err := rows.Scan(&l.code, &l.amount, &l.ordered, &l.customer); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, l)
	}
	return out
}

func colIndex(header []string, name string) int {
	for i, h := range header {
		if h == name {
			return i
		}
	}
	return -1
}

func numFmtOf(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	sid, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(sid)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt != nil {
		return *st.CustomNumFmt
	}
	return strconv.Itoa(st.NumFmt)
}

func TestXLSXMatchesTheDatabase(t *testing.T) {
	e := newTEnv(t, Config{ProgressEvery: 1000})
	start := time.Date(2026, 10, 31, 15, 30, 0, 0, time.UTC) // straddles 1 November in Shanghai
	seedLines(t, e.db, "acme", "A", 2345, start)
	seedLines(t, e.db, "globex", "G", 50, start)
	owner := e.actor("owner@acme.test")
	x := e.create(owner, models.ExportOrders, models.ExportXLSX, "from=2026-11-01&to=2026-11-30&cursor=abc")
	if x.Status != models.ExportQueued || e.q.len() != 1 || strings.Contains(x.Query, "cursor") {
		t.Fatalf("created %+v, %d jobs", x, e.q.len())
	}
	if x.FileName != "acme-orders-2026-11-01_2026-11-30-20261123-1000.xlsx" {
		t.Fatalf("file name %q", x.FileName)
	}
	e.run(x.ID)
	x = e.export(x.ID)
	path := e.fileOf(x)

	from := time.Date(2026, 11, 1, 0, 0, 0, 0, shanghai)
	want := e.lines("l.merchant_id = ? AND l.ordered_at >= ? AND l.ordered_at < ?", e.merchantID("acme"), from.UTC(), from.AddDate(0, 1, 0).UTC())
	if len(want) == 0 || len(want) == 2345 || x.RowsWritten != int64(len(want)) || x.RowsTotal != int64(len(want)) {
		t.Fatalf("rows: file %d/%d, database %d", x.RowsWritten, x.RowsTotal, len(want))
	}
	if x.ExpiresAt == nil || !x.ExpiresAt.Equal(now0.Add(7*24*time.Hour)) || x.FinishedAt == nil {
		t.Fatalf("expiry %v", x.ExpiresAt)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if x.SHA256 != hex.EncodeToString(sum[:]) || x.Size != int64(len(b)) {
		t.Fatalf("recorded sha256/size do not match the file")
	}

	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheets := f.GetSheetList(); len(sheets) != 1 || sheets[0] != "订单" {
		t.Fatalf("sheets %v", sheets)
	}
	rows, err := f.GetRows("订单", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	zh := i18n.For(i18n.ZH)
	header := rows[0]
	for i, c := range orderColumns {
		if header[i] != zh.T(c.id) {
			t.Fatalf("header %d = %q, want %q", i, header[i], zh.T(c.id))
		}
	}
	if len(rows)-1 != len(want) {
		t.Fatalf("file has %d data rows, database %d", len(rows)-1, len(want))
	}
	panes, err := f.GetPanes("订单")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Fatalf("header row not frozen: %+v %v", panes, err)
	}
	if w, _ := f.GetColWidth("订单", "A"); w != orderColumns[0].width {
		t.Fatalf("column A width %v", w)
	}
	ci, ai, ti, cu := colIndex(header, "订单号"), colIndex(header, "金额"), colIndex(header, "下单时间"), colIndex(header, "客户")
	negative := 0
	for i, w := range want {
		r := rows[i+1]
		if r[ci] != w.code || r[cu] != w.customer {
			t.Fatalf("row %d: %q %q, want %q %q", i+1, r[ci], r[cu], w.code, w.customer)
		}
		amt, err := strconv.ParseFloat(r[ai], 64)
		if err != nil || math.Round(amt*100) != float64(w.amount) {
			t.Fatalf("row %d amount %q, want %d fen", i+1, r[ai], w.amount)
		}
		if w.amount < 0 {
			negative++
		}
		serial, err := strconv.ParseFloat(r[ti], 64)
		if err != nil {
			t.Fatalf("row %d time %q is not a date serial", i+1, r[ti])
		}
		got := excelEpoch.Add(time.Duration(math.Round(serial*86400)) * time.Second)
		local := w.ordered.In(shanghai)
		if got.Format("2006-01-02 15:04:05") != local.Format("2006-01-02 15:04:05") {
			t.Fatalf("row %d time %s, want %s (Shanghai)", i+1, got.Format(time.DateTime), local.Format(time.DateTime))
		}
	}
	if negative == 0 {
		t.Fatal("no negative amount among the rows; the seed is wrong")
	}
	// Cell types and formats: numbers are numbers, money has two decimals,
	// times are dates (and read back formatted in the user's zone).
	amtCell, _ := excelize.CoordinatesToCellName(ai+1, 2)
	timeCell, _ := excelize.CoordinatesToCellName(ti+1, 2)
	codeCell, _ := excelize.CoordinatesToCellName(ci+1, 2)
	for _, c := range []string{amtCell, timeCell} {
		if ty, _ := f.GetCellType("订单", c); ty != excelize.CellTypeUnset && ty != excelize.CellTypeNumber {
			t.Fatalf("%s has type %v, want a number", c, ty)
		}
	}
	if ty, _ := f.GetCellType("订单", codeCell); ty != excelize.CellTypeInlineString && ty != excelize.CellTypeSharedString {
		t.Fatalf("order code has type %v", ty)
	}
	if got := numFmtOf(t, f, "订单", amtCell); got != "0.00" {
		t.Fatalf("amount format %q", got)
	}
	if got := numFmtOf(t, f, "订单", timeCell); got != "yyyy-mm-dd hh:mm:ss" {
		t.Fatalf("time format %q", got)
	}
	shown, _ := f.GetCellValue("订单", timeCell)
	if shown != want[0].ordered.In(shanghai).Format("2006-01-02 15:04:05") {
		t.Fatalf("time shows %q, want %s", shown, want[0].ordered.In(shanghai).Format(time.DateTime))
	}
	shownAmt, _ := f.GetCellValue("订单", amtCell)
	if shownAmt != formatMoney(want[0].amount) {
		t.Fatalf("amount shows %q, want %s", shownAmt, formatMoney(want[0].amount))
	}

	// An English user gets English headers and sheet name.
	e.exec(`UPDATE users SET lang = 'en' WHERE email = 'owner@acme.test'`)
	x2 := e.create(owner, models.ExportOrders, models.ExportXLSX, "status=completed&to=2026-11-05")
	e.run(x2.ID)
	f2, err := excelize.OpenFile(e.fileOf(e.export(x2.ID)))
	if err != nil {
		t.Fatal(err)
	}
	defer f2.Close()
	h2, _ := f2.GetRows("Orders")
	if len(h2) == 0 || h2[0][0] != "Order ID" {
		t.Fatalf("English export: sheets %v", f2.GetSheetList())
	}
	if x2f := e.export(x2.ID).FileName; x2f != "acme-orders-begin_2026-11-05-20261123-1000.xlsx" {
		t.Fatalf("file name %q", x2f)
	}
}

func TestCSVIsUTF8WithBOMAndEscapesFormulas(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+1": "'+1", "-1": "'-1", "@x": "'@x", "\tx": "'\tx",
		"\rx": "'\rx", "x=1": "x=1", "": "", "王": "王", " =1": " =1"} {
		if got := EscapeFormula(in); got != want {
			t.Errorf("EscapeFormula(%q) = %q, want %q", in, got, want)
		}
	}
	e := newTEnv(t, Config{})
	seedLines(t, e.db, "acme", "A", 200, time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC))
	x := e.create(e.actor("finance@acme.test"), models.ExportOrders, models.ExportCSV, "")
	e.run(x.ID)
	x = e.export(x.ID)
	if !strings.HasSuffix(x.FileName, ".csv") {
		t.Fatalf("file name %q", x.FileName)
	}
	b, err := os.ReadFile(e.fileOf(x))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
		t.Fatal("no UTF-8 BOM")
	}
	recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 201 || recs[0][0] != "订单号" {
		t.Fatalf("%d records, header %v", len(recs), recs[0])
	}
	cu, am := colIndex(recs[0], "客户"), colIndex(recs[0], "金额")
	seen := map[string]bool{}
	negatives := 0
	for _, r := range recs[1:] {
		seen[r[cu]] = true
		if c := r[cu]; c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			t.Fatalf("unescaped cell %q", c)
		}
		if strings.HasPrefix(r[am], "-") {
			negatives++ // our own numbers are numbers, not escaped text
		} else if strings.HasPrefix(r[am], "'") {
			t.Fatalf("amount escaped: %q", r[am])
		}
	}
	for _, d := range dangerous {
		if !seen[EscapeFormula(d)] {
			t.Errorf("customer %q not exported as %q", d, EscapeFormula(d))
		}
	}
	if negatives == 0 {
		t.Fatal("no negative amount exported")
	}
}

func TestTheThirdExportOfAMerchantWaitsForTheFirstTwo(t *testing.T) {
	e := newTEnv(t, Config{})
	seedLines(t, e.db, "acme", "A", 50, now0.Add(-48*time.Hour))
	seedLines(t, e.db, "globex", "G", 50, now0.Add(-48*time.Hour))
	owner := e.actor("owner@acme.test")
	a1 := e.create(owner, models.ExportOrders, models.ExportXLSX, "")
	a2 := e.create(e.actor("finance@acme.test"), models.ExportOrders, models.ExportCSV, "")
	a3 := e.create(owner, models.ExportOrders, models.ExportXLSX, "status=completed")
	g1 := e.create(e.actor("owner@globex.test"), models.ExportOrders, models.ExportXLSX, "")

	release := make(chan struct{})
	var claimed sync.WaitGroup
	claimed.Add(2)
	e.svc.afterClaim = func(id int64) {
		if id == a1.ID || id == a2.ID {
			claimed.Done()
			<-release
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, id := range []int64{a1.ID, a2.ID} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = e.svc.Run(context.Background(), id)
		}()
	}
	claimed.Wait()
	if s := e.export(a1.ID).Status; s != models.ExportRunning {
		t.Fatalf("first export %s", s)
	}
	if err := e.svc.Run(context.Background(), a3.ID); !errors.Is(err, ErrBusy) {
		t.Fatalf("third export of acme: %v, want ErrBusy", err)
	}
	if s := e.export(a3.ID).Status; s != models.ExportQueued {
		t.Fatalf("third export %s, want queued (waiting, not refused)", s)
	}
	// Another merchant is not held up by acme's two.
	e.run(g1.ID)
	if s := e.export(g1.ID).Status; s != models.ExportDone {
		t.Fatalf("globex export %s", s)
	}
	close(release)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	e.run(a3.ID)
	for _, id := range []int64{a1.ID, a2.ID, a3.ID} {
		if x := e.export(id); x.Status != models.ExportDone || x.RowsWritten != 50 {
			t.Fatalf("export %d: %s, %d rows", id, x.Status, x.RowsWritten)
		}
	}
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	return out
}

func TestAKilledRunStartsOverAndLeavesNoPartialFile(t *testing.T) {
	for _, format := range models.ExportFormats {
		t.Run(format, func(t *testing.T) {
			e := newTEnv(t, Config{ProgressEvery: 1000})
			seedLines(t, e.db, "acme", "A", 2500, now0.Add(-72*time.Hour))
			x := e.create(e.actor("owner@acme.test"), models.ExportOrders, format, "")
			e.svc.killAfter = 1500
			if err := e.svc.Run(context.Background(), x.ID); !errors.Is(err, errKilled) {
				t.Fatalf("killed run: %v", err)
			}
			mid := e.export(x.ID)
			files := listDir(t, e.dir)
			if mid.Status != models.ExportRunning || mid.RowsWritten != 1000 || mid.RowsTotal != 2500 ||
				len(files) != 1 || !strings.HasSuffix(files[0], ".part") {
				t.Fatalf("after the kill: %s %d/%d, files %v", mid.Status, mid.RowsWritten, mid.RowsTotal, files)
			}
			// River re-delivers the job after rescue: the run starts over.
			e.svc.killAfter = 0
			e.run(x.ID)
			x = e.export(x.ID)
			files = listDir(t, e.dir)
			if x.Status != models.ExportDone || x.RowsWritten != 2500 || x.RunNo != 2 || len(files) != 1 || files[0] != x.FilePath {
				t.Fatalf("after the re-run: %s %d rows run %d, files %v", x.Status, x.RowsWritten, x.RunNo, files)
			}
			n := 0
			if format == models.ExportXLSX {
				f, err := excelize.OpenFile(e.fileOf(x))
				if err != nil {
					t.Fatal(err)
				}
				rows, _ := f.GetRows("订单")
				n = len(rows)
				f.Close()
			} else {
				b, _ := os.ReadFile(e.fileOf(x))
				recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				n = len(recs)
			}
			if n != 2501 {
				t.Fatalf("file has %d rows with the header, want 2501", n)
			}
			// A duplicate job of a finished export does nothing.
			e.run(x.ID)
			if again := e.export(x.ID); again.RunNo != 2 || again.FilePath != x.FilePath {
				t.Fatal("a stale job re-ran a finished export")
			}
		})
	}
}

func TestPurgeExpiresFilesAndDownloadsAreGone(t *testing.T) {
	e := newTEnv(t, Config{})
	seedLines(t, e.db, "acme", "A", 20, now0.Add(-24*time.Hour))
	owner := e.actor("owner@acme.test")
	x := e.create(owner, models.ExportOrders, models.ExportXLSX, "")
	e.run(x.ID)
	path := e.fileOf(e.export(x.ID))
	_, f, err := e.svc.Open(context.Background(), owner, x.ID)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if n := e.count("audit_log", "action = ? AND target_id = ?", models.AuditExportDownloaded, strconv.FormatInt(x.ID, 10)); n != 1 {
		t.Fatalf("download audited %d times", n)
	}
	e.clock.Advance(6 * 24 * time.Hour)
	if exp, _, err := e.svc.Purge(context.Background()); err != nil || exp != 0 {
		t.Fatalf("early purge: %d %v", exp, err)
	}
	e.clock.Advance(24*time.Hour + time.Second)
	// Past its expiry the file is gone for downloads even before the purge runs.
	if _, _, err := e.svc.Open(context.Background(), owner, x.ID); !errors.Is(err, ErrGone) {
		t.Fatalf("expired download before purge: %v", err)
	}
	exp, stuck, err := e.svc.Purge(context.Background())
	if err != nil || exp != 1 || stuck != 0 {
		t.Fatalf("purge: %d %d %v", exp, stuck, err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("expired file still there: %v", err)
	}
	if x := e.export(x.ID); x.Status != models.ExportExpired || x.FilePath != "" {
		t.Fatalf("row after purge: %s %q", x.Status, x.FilePath)
	}
	if _, _, err := e.svc.Open(context.Background(), owner, x.ID); !errors.Is(err, ErrGone) {
		t.Fatalf("download after purge: %v", err)
	}
}

func TestPurgeFailsRunsLostWithTheirProcess(t *testing.T) {
	e := newTEnv(t, Config{})
	seedLines(t, e.db, "acme", "A", 20, now0.Add(-24*time.Hour))
	x := e.create(e.actor("owner@acme.test"), models.ExportOrders, models.ExportXLSX, "")
	e.svc.killAfter = 5
	if err := e.svc.Run(context.Background(), x.ID); !errors.Is(err, errKilled) {
		t.Fatal(err)
	}
	e.clock.Advance(2 * time.Hour)
	if _, stuck, err := e.svc.Purge(context.Background()); err != nil || stuck != 1 {
		t.Fatalf("stuck %d %v", stuck, err)
	}
	if x := e.export(x.ID); x.Status != models.ExportFailed || x.Error != reasonInterrupted || len(listDir(t, e.dir)) != 0 {
		t.Fatalf("lost run: %s %q, files %v", x.Status, x.Error, listDir(t, e.dir))
	}
}

func TestZeroRowsGiveAHeaderOnlyFile(t *testing.T) {
	e := newTEnv(t, Config{})
	x := e.create(e.actor("owner@acme.test"), models.ExportOrders, models.ExportXLSX, "from=2020-01-01&to=2020-01-31")
	e.run(x.ID)
	x = e.export(x.ID)
	f, err := excelize.OpenFile(e.fileOf(x))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("订单")
	if x.RowsWritten != 0 || len(rows) != 1 || rows[0][0] != "订单号" {
		t.Fatalf("zero-row export: %d rows written, file rows %v", x.RowsWritten, rows)
	}
}

func TestBadRequestsAreRefusedAndStoreNothing(t *testing.T) {
	e := newTEnv(t, Config{})
	owner := e.actor("owner@acme.test")
	cases := []struct {
		kind, format, query, field string
	}{
		{"payments", "xlsx", "", "kind"},
		{"orders", "pdf", "", "format"},
		{"orders", "xlsx", "status=bogus", "status"},
		{"orders", "xlsx", "from=2026-13-01", "from"},
		{"orders", "xlsx", "%zz", "query"},
		{"interface_messages", "csv", "class=nope", "class"},
		{"orders", "xlsx", strings.Repeat("order=x&", 300), "query"},
	}
	for _, c := range cases {
		_, err := e.svc.Create(context.Background(), owner, c.kind, c.format, c.query)
		var v *models.ValidationError
		if !errors.As(err, &v) {
			t.Fatalf("%+v: %v, want a validation error", c, err)
		}
		if _, ok := v.Fields[c.field]; !ok {
			t.Fatalf("%+v: fields %v", c, v.Fields)
		}
	}
	// An operations manager naming an unknown merchant.
	if _, err := e.svc.Create(context.Background(), e.actor("ops@demo.test"), "orders", "xlsx", "merchant=nobody"); err == nil {
		t.Fatal("unknown merchant accepted")
	}
	// Finance may export orders, not the message log.
	if _, err := e.svc.Create(context.Background(), e.actor("finance@acme.test"), "interface_messages", "xlsx", ""); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("finance exporting messages: %v", err)
	}
	if _, err := e.svc.Create(context.Background(), e.actor("staff@acme.test"), "orders", "xlsx", ""); err != nil {
		t.Fatalf("operations staff exporting orders: %v", err)
	}
	if n := e.count("exports", "user_id <> ?", e.user("staff@acme.test").ID); n != 0 || e.q.len() != 1 {
		t.Fatalf("refused requests stored %d rows, queued %d jobs", n, e.q.len())
	}
}

func TestExportsAreScopedToTheMerchantAndTheRole(t *testing.T) {
	e := newTEnv(t, Config{})
	seedLines(t, e.db, "acme", "A", 30, now0.Add(-24*time.Hour))
	seedLines(t, e.db, "globex", "G", 40, now0.Add(-24*time.Hour))
	seedMessages(t, e.db, "acme", 30, now0.Add(-24*time.Hour))
	ctx := context.Background()
	owner, globex, fin, ops := e.actor("owner@acme.test"), e.actor("owner@globex.test"), e.actor("finance@acme.test"), e.actor("ops@demo.test")
	x := e.create(owner, models.ExportOrders, models.ExportXLSX, "merchant=globex") // ignored: acme's own
	m := e.create(owner, models.ExportInterfaceMessages, models.ExportCSV, "")
	all := e.create(ops, models.ExportOrders, models.ExportCSV, "")
	one := e.create(ops, models.ExportOrders, models.ExportCSV, "merchant=globex")
	for _, id := range []int64{x.ID, m.ID, all.ID, one.ID} {
		e.run(id)
	}
	if got := e.export(x.ID); got.RowsWritten != 30 || *got.MerchantID != e.merchantID("acme") {
		t.Fatalf("acme's export has %d rows", got.RowsWritten)
	}
	if got := e.export(all.ID); got.RowsWritten != 70 || got.MerchantID != nil || !strings.HasPrefix(got.FileName, "all-orders-") {
		t.Fatalf("all-merchant export: %d rows, merchant %v, %q", got.RowsWritten, got.MerchantID, got.FileName)
	}
	if got := e.export(one.ID); got.RowsWritten != 40 || !strings.HasPrefix(got.FileName, "globex-orders-") {
		t.Fatalf("ops export of globex: %d rows %q", got.RowsWritten, got.FileName)
	}
	// The all-merchant export names each line's merchant as people know
	// it (its name), not by its slug.
	b, err := os.ReadFile(e.fileOf(e.export(all.ID)))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]int{}
	for _, r := range recs[1:] {
		names[r[0]]++
	}
	var acmeName, globexName string
	e.db.SQL.QueryRow(`SELECT (SELECT name FROM merchants WHERE slug = 'acme'), (SELECT name FROM merchants WHERE slug = 'globex')`).Scan(&acmeName, &globexName)
	if recs[0][0] != "商家" || names[acmeName] != 30 || names[globexName] != 40 || acmeName == "acme" {
		t.Fatalf("merchant column %q: %v (names %q, %q)", recs[0][0], names, acmeName, globexName)
	}
	for _, id := range []int64{x.ID, m.ID, all.ID} {
		if _, _, err := e.svc.Open(ctx, globex, id); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("globex opens %d: %v", id, err)
		}
		if err := e.svc.Retry(ctx, globex, id); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("globex retries %d: %v", id, err)
		}
	}
	// Finance shares acme's order exports but not the message log's.
	if _, f, err := e.svc.Open(ctx, fin, x.ID); err != nil {
		t.Fatalf("finance downloads acme's orders: %v", err)
	} else {
		f.Close()
	}
	if _, _, err := e.svc.Open(ctx, fin, m.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("finance downloads the message log: %v", err)
	}
	if _, _, err := e.svc.Open(ctx, owner, all.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("a merchant downloads the all-merchant export: %v", err)
	}
	// An operations manager's export of one merchant is that merchant's too.
	if _, _, err := e.svc.Open(ctx, owner, one.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("acme opens globex's export: %v", err)
	}
	if _, f, err := e.svc.Open(ctx, globex, one.ID); err != nil {
		t.Fatalf("globex opens the export of its orders: %v", err)
	} else {
		f.Close()
	}
	for _, who := range []models.Actor{owner, fin} {
		p, err := e.svc.List(ctx, who, Filter{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range p.Rows {
			if it.MerchantID == nil || *it.MerchantID != e.merchantID("acme") || (who == fin && it.Kind != models.ExportOrders) {
				t.Fatalf("%s lists export %d (%s)", who.Email, it.ID, it.Kind)
			}
		}
	}
	if p, _ := e.svc.List(ctx, ops, Filter{Limit: 50}); len(p.Rows) != 4 {
		t.Fatalf("operations manager lists %d exports", len(p.Rows))
	}
}

func TestMessageLogExport(t *testing.T) {
	e := newTEnv(t, Config{})
	seedMessages(t, e.db, "acme", 90, now0.Add(-5*time.Hour))
	seedMessages(t, e.db, "globex", 10, now0.Add(-5*time.Hour))
	x := e.create(e.actor("owner@acme.test"), models.ExportInterfaceMessages, models.ExportCSV, "class=http_status")
	e.run(x.ID)
	x = e.export(x.ID)
	b, _ := os.ReadFile(e.fileOf(x))
	recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 31 || x.RowsWritten != 30 {
		t.Fatalf("%d records, %d written", len(recs), x.RowsWritten)
	}
	h := recs[0]
	r := recs[1]
	if got, want := r[colIndex(h, "错误类型")], i18n.For(i18n.ZH).T("errclass.http_status"); got != want {
		t.Fatalf("error class %q, want %q", got, want)
	}
	if r[colIndex(h, "错误详情")] != "'=1+1 HTTP 500" || r[colIndex(h, "HTTP 状态码")] != "500" ||
		r[colIndex(h, "最多次数")] != "61" || r[colIndex(h, "调用状态")] != "重试中" {
		t.Fatalf("row %v", r)
	}
	if !strings.Contains(x.Summary, "HTTP") && !strings.Contains(x.Summary, "http") {
		t.Fatalf("summary %q", x.Summary)
	}
}

func TestFailedExportsKeepAReasonAndCanBeRetried(t *testing.T) {
	e := newTEnv(t, Config{})
	seedLines(t, e.db, "acme", "A", 10, now0.Add(-24*time.Hour))
	fin := e.actor("finance@acme.test")
	x := e.create(fin, models.ExportOrders, models.ExportXLSX, "")
	e.exec(`UPDATE users SET disabled = 1 WHERE email = 'finance@acme.test'`)
	e.run(x.ID)
	got := e.export(x.ID)
	if got.Status != models.ExportFailed || got.Error != reasonUser || len(listDir(t, e.dir)) != 0 {
		t.Fatalf("export of a disabled user: %s %q", got.Status, got.Error)
	}
	if ReasonText(i18n.For(i18n.ZH), got.Error) == got.Error {
		t.Fatal("reason not localized")
	}
	owner := e.actor("owner@acme.test")
	if err := e.svc.Retry(context.Background(), owner, x.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Retry(context.Background(), owner, x.ID); err == nil {
		t.Fatal("a queued export retried again")
	}
	e.exec(`UPDATE users SET disabled = 0 WHERE email = 'finance@acme.test'`)
	e.run(x.ID)
	if got := e.export(x.ID); got.Status != models.ExportDone || got.RowsWritten != 10 || e.q.len() != 2 {
		t.Fatalf("after retry: %s %d rows, %d jobs", got.Status, got.RowsWritten, e.q.len())
	}
}

func TestLongXLSXContinuesOnTheNextSheet(t *testing.T) {
	e := newTEnv(t, Config{RowsPerSheet: 1000})
	seedLines(t, e.db, "acme", "A", 2345, now0.Add(-72*time.Hour))
	x := e.create(e.actor("owner@acme.test"), models.ExportOrders, models.ExportXLSX, "")
	e.run(x.ID)
	f, err := excelize.OpenFile(e.fileOf(e.export(x.ID)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 3 {
		t.Fatalf("sheets %v", sheets)
	}
	total := 0
	for _, s := range sheets {
		rows, _ := f.GetRows(s)
		if rows[0][0] != "订单号" {
			t.Fatalf("sheet %s has no header", s)
		}
		total += len(rows) - 1
	}
	if total != 2345 {
		t.Fatalf("%d rows over the sheets", total)
	}
}

func TestColumnHeadersAreTranslated(t *testing.T) {
	cols := append(append([]column{merchantColumn}, orderColumns...), ilogColumns...)
	ids := []string{"exports.sheet.orders", "exports.sheet.interface_messages", "exports.yes", "exports.no",
		reasonTimeout, reasonUser, reasonForbidden, reasonFilter, reasonInterrupted, "exports.summary.all_time"}
	for _, c := range cols {
		ids = append(ids, c.id)
	}
	for _, k := range models.ExportKinds {
		ids = append(ids, "exports.kind."+k)
	}
	for _, s := range models.ExportStatuses {
		ids = append(ids, "exports.status."+string(s))
	}
	for _, l := range i18n.Langs {
		for _, id := range ids {
			if !i18n.For(l).Has(id) {
				t.Errorf("%s: %q has no translation", l, id)
			}
		}
	}
}

// Each walks keyset pages of 1000 rows in the list's order: an amount sort
// and the message log across page boundaries lose and repeat nothing.
func TestExportsWalkEveryPageInOrder(t *testing.T) {
	e := newTEnv(t, Config{})
	seedLines(t, e.db, "acme", "A", 2600, now0.Add(-72*time.Hour))
	seedMessages(t, e.db, "acme", 2100, now0.Add(-72*time.Hour))
	owner := e.actor("owner@acme.test")
	x := e.create(owner, models.ExportOrders, models.ExportCSV, "sort=amount_asc")
	m := e.create(owner, models.ExportInterfaceMessages, models.ExportCSV, "")
	e.run(x.ID)
	e.run(m.ID)
	read := func(id int64) [][]string {
		b, err := os.ReadFile(e.fileOf(e.export(id)))
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	recs := read(x.ID)
	am, code := colIndex(recs[0], "金额"), colIndex(recs[0], "订单号")
	seen := map[string]bool{}
	prev := math.Inf(-1)
	for _, r := range recs[1:] {
		v, err := strconv.ParseFloat(r[am], 64)
		if err != nil || v < prev {
			t.Fatalf("amounts out of order: %v after %v", r[am], prev)
		}
		prev = v
		if seen[r[code]] {
			t.Fatalf("%s exported twice", r[code])
		}
		seen[r[code]] = true
	}
	if len(seen) != 2600 {
		t.Fatalf("%d distinct lines, want 2600", len(seen))
	}
	recs = read(m.ID)
	at := colIndex(recs[0], "时间")
	if len(recs) != 2101 {
		t.Fatalf("%d messages", len(recs)-1)
	}
	for i := 2; i < len(recs); i++ {
		if recs[i][at] > recs[i-1][at] {
			t.Fatalf("messages not newest first at %d", i)
		}
	}
}
