package demands

// Finding the due demands at 1,000,000 open ones: Service.DueIDs per timer.
//
//	go test -run '^$' -bench DemandsDue -benchtime 200x ./models/demands/
//
// The database holds 1,000,000 pending demands assigned one every 0.43 s
// over the last 5 days and 10 minutes, so about 1,400 are past their
// deadline (and many more past a reminder instant) at the benchmark's now.
// Each iteration is one DueIDs call (the sweep's query, a batch of 500);
// the benchmark reports the median and p95 in ms and prints the query plan,
// failing if it does not read the timer's partial index. Seeding (one
// generated INSERT, about 10 s on a shared 2-core machine) happens once per
// process. SELLERCENTER_BENCH_ROWS=N seeds N rows instead.

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models/jobs"
)

var (
	dueOnce sync.Once
	dueEnv  *tenv
	dueNow  time.Time
	dueErr  error
)

func seededDue(b *testing.B) *tenv {
	dueOnce.Do(func() {
		rows := 1_000_000
		if s := os.Getenv("SELLERCENTER_BENCH_ROWS"); s != "" {
			rows, dueErr = strconv.Atoi(s)
		}
		// A TB whose cleanups outlive this benchmark: the seeded database is
		// shared by every sub-benchmark of the process.
		e := newTEnv(&keepTB{B: b})
		start := time.Now()
		window := 5*24*time.Hour + 10*time.Minute
		dueNow = t0
		first := t0.Add(-window)
		step := window.Seconds() / float64(rows)
		_, dueErr = e.db.SQL.Exec(`WITH RECURSIVE seq(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM seq WHERE x < ? - 1),
			t(x, a) AS (SELECT x, CAST(strftime('%s', ?) AS INTEGER) + CAST(x * ? AS INTEGER) FROM seq)
			INSERT INTO demands (merchant_id, title, customer_name, state, window_mode, window_days, assigned_at,
				due_at, remind3_at, remind1_at, created_at, updated_at)
			SELECT (SELECT min(id) FROM merchants) + x % 2, 'demand ' || x, 'customer', 'pending', 'natural', 5,
				datetime(a, 'unixepoch') || '+00:00', datetime(a + 5 * 86400, 'unixepoch') || '+00:00',
				datetime(a + 2 * 86400, 'unixepoch') || '+00:00', datetime(a + 4 * 86400, 'unixepoch') || '+00:00',
				datetime(a, 'unixepoch') || '+00:00', datetime(a, 'unixepoch') || '+00:00'
			FROM t`, rows, first.Format("2006-01-02 15:04:05"), step)
		if dueErr == nil {
			_, dueErr = e.db.SQL.Exec(`ANALYZE`)
		}
		fmt.Printf("demands bench: seeded %d open demands in %s\n", rows, time.Since(start).Round(time.Second))
		dueEnv = e
	})
	if dueErr != nil {
		b.Fatal(dueErr)
	}
	return dueEnv
}

// keepTB lets the shared environment be built inside one benchmark and
// outlive it: its cleanups run when the process ends (TestMain).
type keepTB struct{ *testing.B }

var (
	cleanupMu sync.Mutex
	cleanups  []func()
)

func (k *keepTB) Cleanup(f func()) {
	cleanupMu.Lock()
	cleanups = append(cleanups, f)
	cleanupMu.Unlock()
}

func (k *keepTB) TempDir() string {
	d, err := os.MkdirTemp("", "demands-bench-")
	if err != nil {
		k.B.Fatal(err)
	}
	k.Cleanup(func() { _ = os.RemoveAll(d) })
	return d
}

func TestMain(m *testing.M) {
	code := m.Run()
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
	os.Exit(code)
}

func BenchmarkDemandsDue(b *testing.B) {
	e := seededDue(b)
	for _, q := range dueQueries {
		b.Run(q.Kind, func(b *testing.B) {
			ctx := context.Background()
			plan := queryPlan(b, e, q.Where, q.Order)
			fmt.Printf("demands bench: %s plan: %s\n", q.Kind, plan)
			if !strings.Contains(plan, "INDEX "+q.Index+" ") || strings.Contains(plan, "SCAN demands") {
				b.Fatalf("%s does not use its index: %s", q.Kind, plan)
			}
			ids, err := e.svc.DueIDs(ctx, q.Kind, dueNow, jobs.SweepBatch)
			if err != nil || len(ids) == 0 {
				b.Fatalf("no due rows (%v): the seed is wrong", err)
			}
			times := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for range b.N {
				st := time.Now()
				if _, err := e.svc.DueIDs(ctx, q.Kind, dueNow, jobs.SweepBatch); err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(st))
			}
			b.StopTimer()
			slices.Sort(times)
			ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
			med, p95 := times[len(times)/2], times[len(times)*95/100]
			b.ReportMetric(ms(med), "median-ms")
			b.ReportMetric(ms(p95), "p95-ms")
			fmt.Printf("demands bench: %s: %d due ids per call, median %.3f ms, p95 %.3f ms over %d calls\n",
				q.Kind, len(ids), ms(med), ms(p95), len(times))
		})
	}
}

// queryPlan is SQLite's plan of a due query, one line.
func queryPlan(b *testing.B, e *tenv, where, order string) string {
	rows, err := e.db.SQL.Query(`EXPLAIN QUERY PLAN SELECT id FROM demands WHERE `+where+` ORDER BY `+order+` LIMIT 500`, dueNow)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			b.Fatal(err)
		}
		parts = append(parts, detail)
	}
	return strings.Join(parts, "; ")
}
