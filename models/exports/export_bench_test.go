package exports

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/db"
)

// go test -run '^$' -bench Export -benchtime 1x ./models/exports/ [-exportrows=1000000]
var exportRows = flag.Int("exportrows", 100_000, "order lines in BenchmarkExport")

// vmHWM reads the process's peak resident set (kB) from /proc/self/status.
func vmHWM() int64 { return procStatus("VmHWM:") }

// vmRSS reads the process's current resident set (kB).
func vmRSS() int64 { return procStatus("VmRSS:") }

func procStatus(key string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), key); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return -1
}

// BenchmarkExport exports N order lines of one merchant (the whole set, the
// list's joins and order) to XLSX and to CSV through the real worker step,
// and dumps the same rows with the sqlite3 CLI (-csv) for the ratio. It
// prints wall time, rows/s, peak RSS and file size.
func BenchmarkExport(b *testing.B) {
	n := *exportRows
	e := newTEnv(b, Config{})
	t0 := time.Now()
	seedLines(b, e.db, "acme", "A", n, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	seedLines(b, e.db, "globex", "G", 1000, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	if _, err := e.db.SQL.Exec(`ANALYZE`); err != nil {
		b.Fatal(err)
	}
	fmt.Printf("seeded %d order lines in %s\n", n, time.Since(t0).Round(time.Millisecond))
	owner := e.actor("owner@acme.test")

	// The sqlite3 CLI baseline: the export's query, written as CSV to a file.
	var cli time.Duration
	if path, err := exec.LookPath("sqlite3"); err == nil {
		q := `SELECT l.order_code, l.order_line_id, l.order_type, p.name, p.product_id, l.sku_code, l.charging_mode,
			l.period_type, l.period_number, b.name_masked, b.customer_id, l.ordered_at, l.expire_at, l.amount / 100.0,
			l.currency, l.status, l.supervision, i.instance_id, c.state
			FROM order_lines l JOIN products p ON p.id = l.product_ref LEFT JOIN buyers b ON b.id = l.buyer_ref
			LEFT JOIN instances i ON i.id = l.instance_ref LEFT JOIN calls c ON c.order_line_ref = l.id
			WHERE l.merchant_id = ` + strconv.FormatInt(e.merchantID("acme"), 10) + ` ORDER BY l.ordered_at DESC, l.id DESC`
		out := filepath.Join(b.TempDir(), "cli.csv")
		fh, err := os.Create(out)
		if err != nil {
			b.Fatal(err)
		}
		cmd := exec.Command(path, "-readonly", "-csv", e.db.Path, q)
		cmd.Stdout = fh
		start := time.Now()
		if err := cmd.Run(); err != nil {
			b.Fatalf("sqlite3: %v", err)
		}
		cli = time.Since(start)
		fh.Close()
		st, _ := os.Stat(out)
		fmt.Printf("sqlite3 -csv: %d rows in %s (%.0f rows/s), %.1f MB\n", n, cli.Round(time.Millisecond),
			float64(n)/cli.Seconds(), float64(st.Size())/(1<<20))
	} else {
		fmt.Println("sqlite3 CLI not found: no baseline")
	}

	cases := []struct{ format, query string }{{models.ExportXLSX, ""}, {models.ExportCSV, ""}, {models.ExportXLSX, "sort=amount_desc"}}
	for _, c := range cases {
		format := c.format
		name := fmt.Sprintf("%s/rows=%d", format, n)
		if c.query != "" {
			name += "/" + c.query
		}
		b.Run(name, func(b *testing.B) {
			var last models.Export
			var wall time.Duration
			var hwm, base int64
			for b.Loop() {
				x, err := e.svc.Create(context.Background(), owner, models.ExportOrders, format, c.query)
				if err != nil {
					b.Fatal(err)
				}
				hwm, base, wall = runChild(b, e, x.ID)
				last = e.export(x.ID)
				if last.Status != models.ExportDone || last.RowsWritten != int64(n) {
					b.Fatalf("export %s: %d rows, %q", last.Status, last.RowsWritten, last.Error)
				}
				b.StopTimer()
				_ = os.Remove(filepath.Join(e.dir, last.FilePath))
				b.StartTimer()
			}
			b.ReportMetric(float64(n)/wall.Seconds(), "rows/s")
			b.ReportMetric(float64(hwm)/1024, "peakRSS-MB")
			b.ReportMetric(float64(last.Size)/(1<<20), "file-MB")
			ratio := ""
			if cli > 0 {
				b.ReportMetric(wall.Seconds()/cli.Seconds(), "x-sqlite3")
				ratio = fmt.Sprintf(", %.1f× the sqlite3 CLI", wall.Seconds()/cli.Seconds())
			}
			note := fmt.Sprintf(" (%.0f MB after opening the database)", float64(base)/1024)
			fmt.Printf("export %s: %d rows in %s (%.0f rows/s)%s, peak RSS %.0f MB%s, file %.1f MB\n", name, n,
				wall.Round(time.Millisecond), float64(n)/wall.Seconds(), ratio, float64(hwm)/1024, note,
				float64(last.Size)/(1<<20))
		})
	}
}

// childEnv names the export a child process runs (see TestMain).
const childEnv = "SELLERCENTER_EXPORT_CHILD"

// runChild runs export id in a fresh process of this test binary that opens
// the database as the app does, so the peak RSS is that of a process doing
// the export (a worker), not of the benchmark that seeded a million rows.
func runChild(b *testing.B, e *tenv, id int64) (hwmKB, baseKB int64, wall time.Duration) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s|%s|%d", childEnv, e.db.Path, e.dir, id))
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("export child: %v\n%s", err, out)
	}
	var ns int64
	if _, err := fmt.Sscanf(lastLine(string(out)), "child %d %d %d", &hwmKB, &baseKB, &ns); err != nil {
		b.Fatalf("export child said %q: %v", out, err)
	}
	return hwmKB, baseKB, time.Duration(ns)
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// exportChild is the child's whole life: open, run one export, report.
func exportChild(spec string) error {
	parts := strings.Split(spec, "|")
	if len(parts) != 3 {
		return fmt.Errorf("bad %s %q", childEnv, spec)
	}
	id, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		return err
	}
	ctx := context.Background()
	d, err := db.Open(ctx, parts[0])
	if err != nil {
		return err
	}
	defer d.Close()
	svc, err := New(d.Gorm, bizclock.NewFake(now0), Config{Dir: parts[1]})
	if err != nil {
		return err
	}
	base := vmRSS()
	// SELLERCENTER_EXPORT_CPUPROFILE=file profiles the export itself.
	if path := os.Getenv("SELLERCENTER_EXPORT_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	if err := svc.Run(ctx, id); err != nil {
		return err
	}
	fmt.Printf("child %d %d %d\n", vmHWM(), base, time.Since(start).Nanoseconds())
	return nil
}

func TestMain(m *testing.M) {
	if spec := os.Getenv(childEnv); spec != "" {
		if err := exportChild(spec); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}
