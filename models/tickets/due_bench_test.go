package tickets

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// BenchmarkDueQuery measures the sweep's one query over 1,000,000 open
// tickets whose clocks run (1,000 of them due) and prints its plan:
//
//	go test ./models/tickets/ -run '^$' -bench DueQuery -benchtime 2000x
func BenchmarkDueQuery(b *testing.B) {
	e := newTEnv(b, Config{})
	ctx := context.Background()
	const total, due = 1_000_000, 1_000
	now := e.clock.Now()
	var product, buyer int64
	if err := e.db.SQL.QueryRow(`SELECT id FROM products WHERE merchant_id = ? LIMIT 1`, e.acme).Scan(&product); err != nil {
		b.Fatal(err)
	}
	res, err := e.db.SQL.Exec(`INSERT INTO buyers (customer_id, name_masked, pii_enc, created_at, updated_at)
		VALUES ('bench', 'b*', '', ?, ?)`, now, now)
	if err != nil {
		b.Fatal(err)
	}
	buyer, _ = res.LastInsertId()
	start := time.Now()
	// Every ticket waits for its first reply; the first `due` alerts are in
	// the past, the rest spread over the next 30 days.
	_, err = e.db.SQL.Exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		INSERT INTO tickets (merchant_id, ticket_id, product_ref, buyer_ref, customer_name_enc, title, content, state,
			source, created_at, received_at, updated_at, clock_start_at, warn_at, due_at, next_alert_at)
		SELECT ?, 'BENCH-' || i, ?, ?, '', 't', 'c', 'pending', 'api', ?, ?, ?, ?,
			strftime('%Y-%m-%d %H:%M:%S+00:00', ?, (CASE WHEN i <= ? THEN -i ELSE i * 2.592 END) || ' seconds'),
			strftime('%Y-%m-%d %H:%M:%S+00:00', ?, (CASE WHEN i <= ? THEN -i ELSE i * 2.592 END) + 180 || ' seconds'),
			strftime('%Y-%m-%d %H:%M:%S+00:00', ?, (CASE WHEN i <= ? THEN -i ELSE i * 2.592 END) || ' seconds')
		FROM n`, total, e.acme, product, buyer, now, now, now, now,
		now.Format("2006-01-02 15:04:05"), due, now.Format("2006-01-02 15:04:05"), due, now.Format("2006-01-02 15:04:05"), due)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e.db.SQL.Exec(`ANALYZE`); err != nil {
		b.Fatal(err)
	}
	b.Logf("inserted %d tickets in %s", total, time.Since(start).Round(time.Millisecond))

	rows, err := e.db.SQL.Query(`EXPLAIN QUERY PLAN `+DueQuery, now, sweepBatch)
	if err != nil {
		b.Fatal(err)
	}
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			b.Fatal(err)
		}
		plan = append(plan, detail)
	}
	rows.Close()
	fmt.Printf("EXPLAIN QUERY PLAN %s\n  %s\n", DueQuery, strings.Join(plan, "\n  "))
	if len(plan) != 1 || !strings.Contains(plan[0], "INDEX tickets_alert") {
		b.Fatalf("the due query does not use tickets_alert: %v", plan)
	}
	ids, err := e.svc.DueIDs(ctx, now, sweepBatch)
	if err != nil || len(ids) != sweepBatch {
		b.Fatalf("%d due ids (%v)", len(ids), err)
	}

	var took []time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, err := e.svc.DueIDs(ctx, now, sweepBatch); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(t0))
	}
	slices.Sort(took)
	med, p95 := took[len(took)/2], took[len(took)*95/100]
	b.ReportMetric(float64(med.Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(p95.Microseconds())/1000, "p95-ms")
	fmt.Printf("due query over %d open tickets (%d due, batch %d): median %s, p95 %s over %d runs\n",
		total, due, sweepBatch, med, p95, len(took))
}
