package exports

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// cellKind is how a column's values are typed in the file.
type cellKind int

const (
	cellText  cellKind = iota
	cellInt            // int64, a number
	cellMoney          // int64 minor units: a number with two decimals
	cellTime           // time.Time (zero: empty): a date cell in the user's zone
)

// column is one column of an export: its header's catalog id, type and width.
type column struct {
	id    string
	kind  cellKind
	width float64
}

// tableWriter writes one table: a header, then rows of values typed by the
// columns (string, int64, time.Time; nil is an empty cell).
type tableWriter interface {
	header(names []string) error
	row(vals []any) error
	// close finishes the file on out.
	close() error
}

// ---- XLSX (excelize StreamWriter) ----

type xlsxWriter struct {
	out       io.Writer
	f         *excelize.File
	sw        *excelize.StreamWriter
	cols      []column
	sheet     string // base sheet name
	sheets    int
	perSheet  int
	rowInSh   int // data rows on the current sheet
	loc       *time.Location
	hdrStyle  int
	money     int
	date      int
	cells     []any
	headerRow []any
}

// newXLSX starts a workbook; excelize spills the sheet XML past 16 MB to
// temporary files in tmpDir (the exports directory: same storage, and the
// purge clears what a killed process left).
func newXLSX(out io.Writer, sheet string, cols []column, loc *time.Location, perSheet int, tmpDir string) (*xlsxWriter, error) {
	f := excelize.NewFile(excelize.Options{TmpDir: tmpDir})
	w := &xlsxWriter{out: out, f: f, cols: cols, sheet: sheetName(sheet), loc: loc, perSheet: perSheet}
	var err error
	if w.hdrStyle, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F3F5"}},
		Border: []excelize.Border{{Type: "bottom", Color: "C9CDD4", Style: 1}}}); err != nil {
		return nil, err
	}
	money, date := "0.00", "yyyy-mm-dd hh:mm:ss"
	if w.money, err = f.NewStyle(&excelize.Style{CustomNumFmt: &money}); err != nil {
		return nil, err
	}
	if w.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &date}); err != nil {
		return nil, err
	}
	if err := f.SetSheetName("Sheet1", w.sheet); err != nil {
		return nil, err
	}
	w.cells = make([]any, len(cols))
	return w, nil
}

// sheetName keeps Excel's rules: at most 31 characters, none of []:*?/\.
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '_'
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 26 {
		s = string(r[:26])
	}
	if s == "" {
		s = "Sheet"
	}
	return s
}

// startSheet opens the next sheet: widths, a frozen header row, the header.
func (w *xlsxWriter) startSheet() error {
	name := w.sheet
	if w.sheets > 0 {
		if w.sw != nil {
			if err := w.sw.Flush(); err != nil {
				return err
			}
		}
		name = fmt.Sprintf("%s (%d)", w.sheet, w.sheets+1)
		if _, err := w.f.NewSheet(name); err != nil {
			return err
		}
	}
	w.sheets++
	sw, err := w.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	w.sw, w.rowInSh = sw, 0
	for i, c := range w.cols {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	return sw.SetRow("A1", w.headerRow)
}

func (w *xlsxWriter) header(names []string) error {
	w.headerRow = make([]any, len(names))
	for i, n := range names {
		w.headerRow[i] = excelize.Cell{StyleID: w.hdrStyle, Value: n}
	}
	return w.startSheet()
}

// excelEpoch is day 0 of Excel's 1900 date system (as Excel counts, after
// its phantom 29 February 1900).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// excelTime is t's wall clock in loc as an Excel serial date: Excel has no
// zones, so the cell shows exactly what the user's clock showed.
func excelTime(t time.Time, loc *time.Location) float64 {
	w := t.In(loc)
	wall := time.Date(w.Year(), w.Month(), w.Day(), 0, 0, 0, 0, time.UTC)
	days := wall.Sub(excelEpoch) / (24 * time.Hour)
	secs := w.Hour()*3600 + w.Minute()*60 + w.Second()
	return float64(days) + float64(secs)/86400
}

func (w *xlsxWriter) row(vals []any) error {
	if w.rowInSh >= w.perSheet {
		if err := w.startSheet(); err != nil {
			return err
		}
	}
	for i, v := range vals {
		w.cells[i] = nil
		switch x := v.(type) {
		case nil:
		case string:
			if x != "" {
				w.cells[i] = cleanText(x)
			}
		case int64:
			if w.cols[i].kind == cellMoney {
				w.cells[i] = excelize.Cell{StyleID: w.money, Value: float64(x) / 100}
			} else {
				w.cells[i] = x
			}
		case time.Time:
			if !x.IsZero() {
				w.cells[i] = excelize.Cell{StyleID: w.date, Value: excelTime(x, w.loc)}
			}
		default:
			w.cells[i] = fmt.Sprint(x)
		}
	}
	w.rowInSh++
	cell, err := excelize.CoordinatesToCellName(1, w.rowInSh+1)
	if err != nil {
		return err
	}
	return w.sw.SetRow(cell, w.cells)
}

func (w *xlsxWriter) close() error {
	defer func() { _ = w.f.Close() }()
	if err := w.sw.Flush(); err != nil {
		return err
	}
	// WriteTo would build the whole zip in a memory buffer first; a zip
	// writer on our output streams it to the file instead.
	// BestSpeed: the default level spent a fifth of a million-row export
	// compressing; the fastest one makes the file about a quarter larger.
	w.f.SetZipWriter(func(io.Writer) excelize.ZipWriter {
		zw := zip.NewWriter(w.out)
		zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
			return flate.NewWriter(out, flate.BestSpeed)
		})
		return zw
	})
	_, err := w.f.WriteTo(w.out)
	return err
}

// cleanText drops what XML 1.0 cannot carry (control characters other than
// tab and newlines, broken UTF-8), so a stored response body never breaks
// the file.
func cleanText(s string) string {
	ok := utf8.ValidString(s)
	if ok {
		for i := 0; i < len(s); i++ {
			if c := s[i]; c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				ok = false
				break
			}
		}
	}
	if ok {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == utf8.RuneError || (r < 0x20 && r != '\t' && r != '\n' && r != '\r') {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
}

// ---- CSV ----

// csvWriter writes UTF-8 with a BOM (so Excel reads Chinese right) and
// escapes formula injection: a text cell starting with = + - @ tab or CR
// gets a leading ' (OWASP; Symfony CVE-2021-41270). Numbers are ours, never
// escaped: -12.50 stays a number.
type csvWriter struct {
	bw   *bufio.Writer
	cw   *csv.Writer
	cols []column
	loc  *time.Location
	rec  []string
}

func newCSV(out io.Writer, cols []column, loc *time.Location) (*csvWriter, error) {
	bw := bufio.NewWriterSize(out, 64<<10)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(bw)
	return &csvWriter{bw: bw, cw: cw, cols: cols, loc: loc, rec: make([]string, len(cols))}, nil
}

// EscapeFormula prefixes ' to a text cell a spreadsheet would run as a formula.
func EscapeFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func (w *csvWriter) header(names []string) error {
	for i, n := range names {
		w.rec[i] = EscapeFormula(n)
	}
	return w.cw.Write(w.rec)
}

func (w *csvWriter) row(vals []any) error {
	for i, v := range vals {
		switch x := v.(type) {
		case nil:
			w.rec[i] = ""
		case string:
			w.rec[i] = EscapeFormula(cleanText(x))
		case int64:
			if w.cols[i].kind == cellMoney {
				w.rec[i] = formatMoney(x)
			} else {
				w.rec[i] = strconv.FormatInt(x, 10)
			}
		case time.Time:
			if x.IsZero() {
				w.rec[i] = ""
			} else {
				w.rec[i] = x.In(w.loc).Format("2006-01-02 15:04:05")
			}
		default:
			w.rec[i] = EscapeFormula(fmt.Sprint(x))
		}
	}
	return w.cw.Write(w.rec)
}

func (w *csvWriter) close() error {
	w.cw.Flush()
	if err := w.cw.Error(); err != nil {
		return err
	}
	return w.bw.Flush()
}

// formatMoney renders minor units with two decimals and no currency.
func formatMoney(minor int64) string {
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	return fmt.Sprintf("%s%d.%02d", sign, minor/100, minor%100)
}
