package provisioning

// Isolation: does a healthy merchant keep its latency while 100 merchants'
// endpoints hang for 5 s each? Real River client, production options
// (Workers 200, its own 2-connection pool), real clock, loopback sandboxes.
//
//	go test -run '^$' -bench HealthyEndpointUnderSlowOnes -benchtime 1x ./models/provisioning/
//
// Each sub-benchmark runs its scenario once whatever b.N is (about 15 s).

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/catalog"
	"github.com/sellercenter/sellercenter/models/stats"
	"github.com/sellercenter/sellercenter/web/koogallery/sandbox"
)

const (
	isoSlowMerchants = 100
	isoSlowLatency   = 5 * time.Second
	isoHealthyCalls  = 200                   // per phase
	isoSpacing       = 12 * time.Millisecond // open-loop arrival: ~83 orders/s, 2.4 s per phase
)

// BenchmarkHealthyEndpointUnderSlowOnes measures, per healthy call, the time
// from AcceptOrder (calls.created_at) to its recorded success (calls.updated_at,
// set in the transaction that records the answer), first with nothing else
// in flight, then with one call per slow merchant hanging in its endpoint.
//
// poll=default is production's StartRiver options; poll=50ms shortens River's
// fetch poll (a job inserted inside a transaction waits for the next poll), so
// that the queue wait does not hide smaller effects.
func BenchmarkHealthyEndpointUnderSlowOnes(b *testing.B) {
	for _, poll := range []time.Duration{0, 50 * time.Millisecond} {
		name := "poll=default"
		if poll > 0 {
			name = "poll=" + poll.String()
		}
		b.Run(name, func(b *testing.B) {
			// The scenario runs once per -count: an Nx benchtime calls this
			// again with b.N = N right after the b.N = 1 run, which then
			// reports the same figures instead of another 15 s.
			if r, ok := isoLast[name]; ok && b.N > 1 {
				delete(isoLast, name)
				r.report(b, false)
				return
			}
			r := benchIsolation(b, poll)
			isoLast[name] = r
			r.report(b, true)
		})
	}
}

var isoLast = map[string]*isoResult{}

// isoResult is what one scenario measured.
type isoResult struct {
	metrics [][2]any // value, unit
	lines   []string
}

func (r *isoResult) metric(v float64, unit string) { r.metrics = append(r.metrics, [2]any{v, unit}) }
func (r *isoResult) logf(format string, args ...any) {
	r.lines = append(r.lines, fmt.Sprintf(format, args...))
}

func (r *isoResult) report(b *testing.B, log bool) {
	for _, m := range r.metrics {
		b.ReportMetric(m[0].(float64), m[1].(string))
	}
	for _, l := range r.lines {
		if !log {
			break
		}
		b.Log(l)
	}
}

type isoSample struct {
	Total, Queue, Send time.Duration
	Done               time.Time
}

func benchIsolation(b *testing.B, poll time.Duration) *isoResult {
	ctx := context.Background()
	e := newBenchEnv(b)
	healthyURL := benchSandbox(b, sandbox.Faults{})
	slowURL := benchSandbox(b, sandbox.Faults{Latency: isoSlowLatency})
	healthyID, healthyProduct := e.addMerchant(b, "healthy", catalog.EndpointInput{URL: healthyURL, Protocol: "v1"})
	slowProducts := make([]string, isoSlowMerchants)
	for i := range slowProducts {
		// The timeout is above the latency: the slow ones answer, late.
		_, slowProducts[i] = e.addMerchant(b, fmt.Sprintf("slow-%03d", i), catalog.EndpointInput{URL: slowURL, Protocol: "v1", TimeoutMS: 10000})
	}
	jd, release, err := e.db.JobDriver(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	rctx, cancel := context.WithCancel(ctx)
	client, err := e.svc.StartRiver(rctx, jd, RiverOptions{PollInterval: poll, Logger: benchLogger()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		sctx, c2 := context.WithTimeout(context.Background(), 10*time.Second)
		defer c2()
		_ = client.Stop(sctx)
		cancel()
		release()
	})
	count := func(where string, args ...any) int {
		var n int
		if err := e.db.SQL.QueryRow("SELECT count(*) FROM calls WHERE "+where, args...).Scan(&n); err != nil {
			b.Fatal(err)
		}
		return n
	}
	waitUntil := func(what string, limit time.Duration, cond func() bool) {
		deadline := time.Now().Add(limit)
		for !cond() {
			if time.Now().After(deadline) {
				b.Fatalf("timed out after %s waiting for %s", limit, what)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	accept := func(product, id string, i int) {
		if _, _, err := e.svc.AcceptOrder(ctx, benchOrder(product, id, i)); err != nil {
			b.Fatalf("accept %s: %v", id, err)
		}
	}
	healthyDone := func() int { return count("merchant_id = ? AND state = ?", healthyID, models.CallSucceeded) }
	// stream accepts isoHealthyCalls healthy orders at a fixed pace and waits
	// for all of them.
	stream := func(prefix string) {
		before := healthyDone()
		t0 := time.Now()
		for i := range isoHealthyCalls {
			time.Sleep(time.Until(t0.Add(time.Duration(i) * isoSpacing)))
			accept(healthyProduct, fmt.Sprintf("%s-%d", prefix, i), i)
		}
		waitUntil(prefix+" healthy calls", 10*time.Second, func() bool { return healthyDone() == before+isoHealthyCalls })
	}
	samples := func(prefix string) []isoSample {
		rows, err := e.db.Gorm.Raw(`SELECT c.created_at, c.updated_at, m.at, m.latency_ms FROM calls c
			JOIN order_lines l ON l.id = c.order_line_ref JOIN orders o ON o.id = l.order_ref
			JOIN interface_messages m ON m.call_ref = c.id
			WHERE o.order_id LIKE ? AND c.state = ?`, prefix+"-%", models.CallSucceeded).Rows()
		if err != nil {
			b.Fatal(err)
		}
		defer rows.Close()
		var out []isoSample
		for rows.Next() {
			var created, updated, at time.Time
			var lat int64
			if err := rows.Scan(&created, &updated, &at, &lat); err != nil {
				b.Fatal(err)
			}
			out = append(out, isoSample{Total: updated.Sub(created), Queue: at.Sub(created), Send: time.Duration(lat) * time.Millisecond, Done: updated})
		}
		if len(out) != isoHealthyCalls {
			b.Fatalf("%s: %d samples", prefix, len(out))
		}
		return out
	}

	// Warm up connections and statement paths.
	for i := range 10 {
		accept(healthyProduct, fmt.Sprintf("WARM-%d", i), i)
	}
	waitUntil("warm-up", 10*time.Second, func() bool { return healthyDone() == 10 })
	// Let River's start-up work (leader election, maintenance services) pass.
	time.Sleep(2 * time.Second)

	// Phase A: the healthy merchant alone.
	stream("HA")
	alone := samples("HA")

	// Phase B: one call per slow merchant, all picked up and hanging, then
	// the same healthy stream.
	slowStart := time.Now()
	for i, p := range slowProducts {
		accept(p, fmt.Sprintf("SLOW-%d", i), i)
	}
	var inFlight int
	waitUntil("the slow calls to be in flight", 4*time.Second, func() bool {
		if err := e.db.SQL.QueryRow(`SELECT count(*) FROM calls WHERE inflight_at IS NOT NULL AND merchant_id <> ?`, healthyID).Scan(&inFlight); err != nil {
			b.Fatal(err)
		}
		return inFlight == isoSlowMerchants
	})
	pickup := time.Since(slowStart)
	stream("HB")
	under := samples("HB")
	// Every healthy call of phase B must have finished while the slow ones
	// were still hanging, or the phase measured nothing.
	var firstSlowAnswer time.Time
	waitUntil("the slow calls to finish", 2*isoSlowLatency, func() bool {
		return count("merchant_id <> ? AND state = ?", healthyID, models.CallSucceeded) == isoSlowMerchants
	})
	if err := e.db.SQL.QueryRow(`SELECT min(c.updated_at) FROM calls c WHERE c.merchant_id <> ?`, healthyID).Scan(&sqliteTime{&firstSlowAnswer}); err != nil {
		b.Fatal(err)
	}
	overlapped := 0
	for _, s := range under {
		if s.Done.Before(firstSlowAnswer) {
			overlapped++
		}
	}
	if overlapped < len(under) {
		b.Errorf("only %d of %d healthy calls finished while the slow ones hung", overlapped, len(under))
	}

	pick := func(ss []isoSample, f func(isoSample) time.Duration) []time.Duration {
		out := make([]time.Duration, len(ss))
		for i, s := range ss {
			out[i] = f(s)
		}
		return out
	}
	total := func(s isoSample) time.Duration { return s.Total }
	queue := func(s isoSample) time.Duration { return s.Queue }
	send := func(s isoSample) time.Duration { return s.Send }
	rest := func(s isoSample) time.Duration { return s.Total - s.Queue - s.Send }
	aT, bT := pick(alone, total), pick(under, total)
	ratio := float64(stats.Percentile(bT, 99)) / float64(stats.Percentile(aT, 99))
	res := &isoResult{}
	res.metric(0, "ns/op")
	res.metric(stats.MS(stats.Percentile(aT, 50)), "alone-p50-ms")
	res.metric(stats.MS(stats.Percentile(aT, 99)), "alone-p99-ms")
	res.metric(stats.MS(stats.Percentile(bT, 50)), "slow-p50-ms")
	res.metric(stats.MS(stats.Percentile(bT, 99)), "slow-p99-ms")
	res.metric(ratio, "p99-ratio")
	pollName := "200ms (default)"
	if poll > 0 {
		pollName = poll.String()
	}
	res.logf("isolation, River Workers=200 poll=%s, %d healthy calls per phase at %s spacing; %d slow merchants (%s) all in flight %s after enqueue, %d/%d healthy calls done before the first slow answer",
		pollName, isoHealthyCalls, isoSpacing, isoSlowMerchants, isoSlowLatency, pickup.Round(time.Millisecond), overlapped, len(under))
	for _, ph := range []struct {
		name string
		ss   []isoSample
	}{{"alone     ", alone}, {"under slow", under}} {
		t, q, s, r := pick(ph.ss, total), pick(ph.ss, queue), pick(ph.ss, send), pick(ph.ss, rest)
		res.logf("  %s total p50 %6.1f p99 %6.1f max %6.1f ms | queue wait p50 %5.1f p99 %5.1f | HTTP p50 %4.1f p99 %4.1f | rest (keys, slot, record) p50 %5.1f p99 %6.1f",
			ph.name, stats.MS(stats.Percentile(t, 50)), stats.MS(stats.Percentile(t, 99)), stats.MS(stats.Percentile(t, 100)), stats.MS(stats.Percentile(q, 50)), stats.MS(stats.Percentile(q, 99)), stats.MS(stats.Percentile(s, 50)), stats.MS(stats.Percentile(s, 99)),
			stats.MS(stats.Percentile(r, 50)), stats.MS(stats.Percentile(r, 99)))
	}
	res.logf("  p99 ratio under-slow/alone = %.2f (target ≤ 2)", ratio)
	return res
}

// sqliteTime scans an aggregate of a DATETIME column, which the driver
// returns as text.
type sqliteTime struct{ t *time.Time }

func (s *sqliteTime) Scan(v any) error {
	switch x := v.(type) {
	case time.Time:
		*s.t = x
		return nil
	case string:
		return s.parse(x)
	case []byte:
		return s.parse(string(x))
	}
	return fmt.Errorf("sqliteTime: %T", v)
}

func (s *sqliteTime) parse(x string) error {
	for _, f := range []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02T15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999", time.RFC3339Nano} {
		if t, err := time.Parse(f, x); err == nil {
			*s.t = t
			return nil
		}
	}
	return fmt.Errorf("sqliteTime: cannot parse %q", x)
}
