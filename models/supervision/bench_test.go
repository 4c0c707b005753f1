package supervision

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/jobs"
)

// benchFlows is how many flows the benchmarks load (SUP_BENCH_FLOWS; the
// default keeps `go test -bench` quick, the figure is 1000000).
func benchFlows() int {
	if n, err := strconv.Atoi(os.Getenv("SUP_BENCH_FLOWS")); err == nil && n > 0 {
		return n
	}
	return 20000
}

// loadFlows fills Acme with n flows over one order line each, spread over
// nodes, appeals, overdue flags, two products and 1000 customers, in one
// recursive INSERT per table.
func loadFlows(b *testing.B, e *tenv, n int) {
	b.Helper()
	ts := "2026-01-01 00:00:00+00:00"
	e.exec(`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 1000)
		INSERT INTO buyers (customer_id, name_masked, created_at, updated_at) SELECT 'bc-' || i, '王*', ?, ? FROM c`, ts, ts)
	e.exec(`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ?)
		INSERT INTO orders (id, merchant_id, order_id, order_type, buyer_id, status, amount, currency, created_at,
			received_at, updated_at, request_hash)
		SELECT 1000000 + i, (SELECT id FROM merchants WHERE slug = 'acme'), 'BO' || i, 'NEW',
			(SELECT id FROM buyers WHERE customer_id = 'bc-' || (i % 1000 + 1)), 'supervising', 100, 'CNY', ?, ?, ?, 'h' FROM c`,
		n, ts, ts, ts)
	e.exec(`INSERT INTO order_lines (id, order_ref, merchant_id, order_line_id, product_ref, charging_mode, amount, currency,
			status, supervision, updated_at, order_code, order_type, ordered_at, buyer_ref)
		SELECT o.id, o.id, o.merchant_id, o.order_id || '-1',
			(SELECT id FROM products WHERE product_id = CASE o.id % 2 WHEN 0 THEN '00301-100003-0--0' ELSE '00301-100004-0--0' END),
			'PERIOD', 100, 'CNY', 'supervising', 'in_progress', ?, o.order_id, 'NEW', ?, o.buyer_id
		FROM orders o WHERE o.id > 1000000`, ts, ts)
	e.exec(`INSERT INTO supervision_flows (merchant_id, line_ref, order_ref, product_ref, buyer_ref, variant, acceptance_mode,
			sla_days, node, appeal, paused_at, node_entered_at, started_at, sla_due_at, sla_overdue_at, warn_due_at,
			old_rule_due_at, created_at, updated_at)
		SELECT l.merchant_id, l.id, l.order_ref, l.product_ref, l.buyer_ref, 'manual', 'manual', 30,
			CASE l.id % 6 WHEN 0 THEN 'requirements' WHEN 1 THEN 'confirm' WHEN 2 THEN 'delivery' WHEN 3 THEN 'acceptance'
				ELSE 'done' END,
			CASE WHEN l.id % 50 = 0 THEN 'open' WHEN l.id % 50 = 1 THEN 'ruled' ELSE 'none' END,
			CASE WHEN l.id % 50 = 0 THEN ? END, ?, ?,
			CASE WHEN l.id % 6 = 2 AND l.id % 50 <> 0 THEN datetime('2027-01-01', '+' || (l.id % 1000) || ' minutes') || '+00:00' END,
			CASE WHEN l.id % 20 = 2 THEN ? END,
			CASE WHEN l.id % 6 < 4 AND l.id % 50 <> 0 THEN datetime('2027-06-01', '+' || (l.id % 1000) || ' minutes') || '+00:00' END,
			NULL, ?, ?
		FROM order_lines l WHERE l.id > 1000000`, ts, ts, ts, ts, ts, ts)
	e.exec(`ANALYZE`)
}

func BenchmarkListFirstPage(b *testing.B) {
	e := newTEnv(b)
	n := benchFlows()
	loadFlows(b, e, n)
	var prod int64
	e.db.SQL.QueryRow(`SELECT id FROM products WHERE product_id = '00301-100004-0--0'`).Scan(&prod)
	ctx := context.Background()
	for _, c := range []struct {
		name string
		f    Filter
	}{
		{"all", Filter{}},
		{"node", Filter{Node: models.SupAcceptance}},
		{"appeal", Filter{Appeal: models.SupAppealOpen}},
		{"overdue", Filter{Overdue: true}},
		{"product", Filter{ProductRef: prod}},
		{"customer", Filter{Customer: "bc-17"}},
		{"time", Filter{From: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)}},
	} {
		b.Run(fmt.Sprintf("%s/%d", c.name, n), func(b *testing.B) {
			timed(b, func() {
				p, err := e.svc.List(ctx, e.acme, c.f)
				if err != nil || len(p.Rows) == 0 {
					b.Fatalf("%v, %d rows", err, len(p.Rows))
				}
			})
		})
	}
}

// The due scan: every timer kind's due rows at an instant when ~1000 SLAs
// are due, as the sweep reads them.
func BenchmarkDueScan(b *testing.B) {
	e := newTEnv(b)
	n := benchFlows()
	loadFlows(b, e, n)
	ctx := context.Background()
	at := time.Date(2027, 1, 1, 16, 40, 0, 0, time.UTC)
	b.Run(fmt.Sprintf("flows=%d", n), func(b *testing.B) {
		timed(b, func() {
			for _, q := range dueQueries {
				if _, err := e.svc.DueIDs(ctx, q.Kind, at, jobs.SweepBatch); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

// timed runs op b.N times and reports the median and p95 in ms, by the
// wall clock and by the CPU time of the thread running it (SQLite runs on
// the caller's thread): on a shared, loaded machine the wall clock also
// counts the time other processes held the cores.
func timed(b *testing.B, op func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	wall := make([]time.Duration, 0, b.N)
	cpu := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		c0, w0 := threadCPU(), time.Now()
		op()
		wall, cpu = append(wall, time.Since(w0)), append(cpu, threadCPU()-c0)
	}
	b.StopTimer()
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	for _, m := range []struct {
		name string
		ds   []time.Duration
	}{{"wall", wall}, {"cpu", cpu}} {
		slices.Sort(m.ds)
		b.ReportMetric(ms(m.ds[len(m.ds)/2]), m.name+"-p50-ms")
		b.ReportMetric(ms(m.ds[len(m.ds)*95/100]), m.name+"-p95-ms")
	}
}

// threadCPU is CLOCK_THREAD_CPUTIME_ID (getrusage counts in ticks).
func threadCPU() time.Duration {
	var ts syscall.Timespec
	if _, _, e := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, 3, uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
		return 0
	}
	return time.Duration(ts.Nano())
}
