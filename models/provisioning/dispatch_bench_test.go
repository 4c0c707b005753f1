package provisioning

// Dispatch throughput: the same N newInstance calls (V1) against the
// in-process sandbox, once through the durable core and once as a bare
// koogallery.Client.Call loop, both with benchWorkers concurrent senders.
//
//	go test -run '^$' -bench 'Dispatch(Bare|Durable)' -benchtime 2000x ./models/provisioning/
//
// Use an Nx benchtime so both sides make the same number of calls.

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/catalog"
	"github.com/sellercenter/sellercenter/models/stats"
	"github.com/sellercenter/sellercenter/web/koogallery"
	"github.com/sellercenter/sellercenter/web/koogallery/sandbox"
)

// benchWorkers is the concurrency of both sides: 8, or
// SELLERCENTER_BENCH_WORKERS for experiments.
var benchWorkers = envInt("SELLERCENTER_BENCH_WORKERS", 8)

// benchRiverPoll is River's fetch poll for experiments
// (SELLERCENTER_BENCH_RIVER_POLL_MS); 0 keeps StartRiver's 200 ms, whose
// fetch cooldown (poll/4) lets one 8-worker producer start at most 8 jobs
// per 50 ms.
var benchRiverPoll = time.Duration(envInt("SELLERCENTER_BENCH_RIVER_POLL_MS", 0)) * time.Millisecond

// benchRiverWorkers is River's worker count (SELLERCENTER_BENCH_RIVER_WORKERS);
// 0 keeps StartRiver's production default (200). The calls in flight at the
// endpoint stay benchWorkers either way: that is the endpoint's
// max_concurrency, so the workers beyond it only do database work (read,
// claim, record) while benchWorkers of them wait on the endpoint.
var benchRiverWorkers = envInt("SELLERCENTER_BENCH_RIVER_WORKERS", 0)

// benchLatency makes the sandbox answer after this long
// (SELLERCENTER_BENCH_LATENCY_MS), for the ratio against an endpoint that
// takes time to answer, as real ones do; 0 measures the core's overhead alone.
var benchLatency = time.Duration(envInt("SELLERCENTER_BENCH_LATENCY_MS", 0)) * time.Millisecond

// benchDBConns caps the core's connection pool for experiments
// (SELLERCENTER_BENCH_DBCONNS); 0 keeps production's 8.
var benchDBConns = envInt("SELLERCENTER_BENCH_DBCONNS", 0)

// benchDrivers are the durable drivers to run (SELLERCENTER_BENCH_DRIVERS,
// comma-separated): all three unless told.
var benchDrivers = cmp.Or(os.Getenv("SELLERCENTER_BENCH_DRIVERS"), "workers,river,river+accept")

// dispatchRates keeps the last calls/s of each side so the durable benchmark
// can print the ratio when the bare one ran first in the same process.
var dispatchRates sync.Map // name → float64

var benchRun atomic.Int64 // makes order ids unique across invocations

// BenchmarkDispatchBare is the floor: sign, send, verify, nothing stored.
func BenchmarkDispatchBare(b *testing.B) {
	url := benchSandbox(b, sandbox.Faults{Latency: benchLatency})
	// The core's own HTTP client (same transport, dialer and redirect rule).
	client := New(nil, bizclock.System, nil, nil, Config{AllowPrivate: true}).client
	ep := koogallery.Endpoint{URL: url, Key: benchKey, Version: koogallery.V1}
	run := benchRun.Add(1)
	var next, failed, callNS atomic.Int64
	b.ResetTimer()
	start := time.Now()
	cpu0 := processCPU()
	var wg sync.WaitGroup
	for range benchWorkers {
		wg.Go(func() {
			for {
				i := next.Add(1)
				if i > int64(b.N) {
					return
				}
				order := fmt.Sprintf("BARE%d-%d", run, i)
				req := &koogallery.NewInstanceRequest{BusinessID: newBusinessID(), OrderID: order, CustomerID: fmt.Sprintf("cust-%d", i%50),
					CustomerName: "张三", ProductID: "00301-000001-0--0", SKUCode: "sku-basic", ChargingMode: "1",
					PeriodType: "month", PeriodNumber: "1", OrderAmount: "99.00"}
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				t0 := time.Now()
				out, _ := client.Call(ctx, ep, req)
				callNS.Add(int64(time.Since(t0)))
				cancel()
				if !out.OK() {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu := processCPU() - cpu0
	b.StopTimer()
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d of %d bare calls failed", n, b.N)
	}
	rate := float64(b.N) / elapsed.Seconds()
	dispatchRates.Store("bare", rate)
	b.ReportMetric(rate, "calls/s")
	b.ReportMetric(stats.MS(cpu)/float64(b.N), "cpu-ms/call")
	b.Logf("bare: %d calls, %d workers, %.0f calls/s (%s), %.3f ms CPU per call, a call takes %.2f ms", b.N, benchWorkers, rate,
		elapsed.Round(time.Millisecond), stats.MS(cpu)/float64(b.N), stats.MS(time.Duration(callNS.Load()))/float64(b.N))
}

// BenchmarkDispatchDurable runs the same calls through the core: the claim,
// the send, the attempt's log row and the state machines, one transaction
// each side of the send (committed in groups with other attempts'), with
// benchWorkers calls in flight at the endpoint as on the bare side.
//
//   - driver=workers: benchWorkers goroutines call RunCall on the fake
//     scheduler's due jobs (the dispatcher alone, no queue).
//   - driver=river: the real River client (StartRiver with production's
//     workers, its own 2-connection pool as in production) works the same jobs,
//     inserted with one InsertMany when the clock starts.
//   - driver=river+accept: end to end; benchWorkers goroutines accept the
//     orders through AcceptOrder (job inserted in its transaction) while River
//     works them. calls/s counts orders accepted and provisioned.
//
// Orders are accepted before the timer starts for the first two. The
// endpoint's max_concurrency is set to benchWorkers so the per-merchant cap
// (default 4) does not throttle the one merchant.
func BenchmarkDispatchDurable(b *testing.B) {
	for _, driver := range strings.Split(benchDrivers, ",") {
		b.Run("driver="+driver, func(b *testing.B) { benchDurable(b, driver) })
	}
}

func benchDurable(b *testing.B, driver string) {
	e := newBenchEnv(b)
	if benchDBConns > 0 {
		e.db.SQL.SetMaxOpenConns(benchDBConns)
	}
	sqlProfile(b, e.db.Gorm, e.svc)
	// How long a send holds its endpoint slot, against a bare call's time:
	// what the rest of the attempt's work costs the send when they share cores.
	var slotNS, slots atomic.Int64
	e.svc.slotHook = func(d time.Duration) { slotNS.Add(int64(d)); slots.Add(1) }
	url := benchSandbox(b, sandbox.Faults{Latency: benchLatency})
	_, product := e.addMerchant(b, "bench", catalog.EndpointInput{URL: url, Protocol: "v1", MaxConcurrency: benchWorkers})
	run := benchRun.Add(1)
	ctx := context.Background()
	orderID := func(i int) string { return fmt.Sprintf("DUR%d-%d", run, i) }

	var jobs []CallArgs
	var acceptRate float64
	if driver != "river+accept" {
		t0 := time.Now()
		for i := range b.N {
			if _, _, err := e.svc.AcceptOrder(ctx, benchOrder(product, orderID(i), i)); err != nil {
				b.Fatal(err)
			}
		}
		acceptRate = float64(b.N) / time.Since(t0).Seconds()
		jobs = e.sched.due(time.Now().Add(time.Hour))
		if len(jobs) != b.N {
			b.Fatalf("%d jobs for %d orders", len(jobs), b.N)
		}
	}

	var client *river.Client[*sql.Tx]
	var events <-chan *river.Event
	if driver != "workers" {
		jd, release, err := e.db.JobDriver(ctx)
		if err != nil {
			b.Fatal(err)
		}
		rctx, cancel := context.WithCancel(ctx)
		client, err = e.svc.StartRiver(rctx, jd, RiverOptions{Workers: benchRiverWorkers, PollInterval: benchRiverPoll, Logger: benchLogger(),
			FetchCooldown: time.Duration(envInt("SELLERCENTER_BENCH_RIVER_COOLDOWN_US", 0)) * time.Microsecond})
		if err != nil {
			b.Fatal(err)
		}
		var unsub func()
		events, unsub = client.SubscribeConfig(&river.SubscribeConfig{ChanSize: b.N + 100,
			Kinds: []river.EventKind{river.EventKindJobCompleted, river.EventKindJobFailed}})
		b.Cleanup(func() {
			unsub()
			sctx, c2 := context.WithTimeout(context.Background(), 10*time.Second)
			defer c2()
			_ = client.Stop(sctx)
			cancel()
			release()
		})
	}

	var runErrs atomic.Int64
	g0 := e.svc.writes.Stats()
	b.ResetTimer()
	start := time.Now()
	cpu0 := processCPU()
	switch driver {
	case "workers":
		ch := make(chan CallArgs, len(jobs))
		for _, j := range jobs {
			ch <- j
		}
		close(ch)
		var wg sync.WaitGroup
		for range benchWorkers {
			wg.Go(func() {
				for j := range ch {
					if err := e.svc.RunCall(ctx, j.CallID, j.At); err != nil {
						runErrs.Add(1)
						b.Errorf("RunCall %d: %v", j.CallID, err)
					}
				}
			})
		}
		wg.Wait()
	case "river":
		params := make([]river.InsertManyParams, 0, len(jobs))
		for _, j := range jobs {
			params = append(params, river.InsertManyParams{Args: j, InsertOpts: &river.InsertOpts{MaxAttempts: 10}})
		}
		for len(params) > 0 {
			n := min(len(params), 1000)
			if _, err := client.InsertMany(ctx, params[:n]); err != nil {
				b.Fatal(err)
			}
			params = params[n:]
		}
		runErrs.Store(waitJobs(b, events, b.N))
	case "river+accept":
		var next atomic.Int64
		var wg sync.WaitGroup
		for range benchWorkers {
			wg.Go(func() {
				for {
					i := int(next.Add(1)) - 1
					if i >= b.N {
						return
					}
					if _, _, err := e.svc.AcceptOrder(ctx, benchOrder(product, orderID(i), i)); err != nil {
						b.Error(err)
						return
					}
				}
			})
		}
		runErrs.Store(waitJobs(b, events, b.N))
		wg.Wait()
	}
	elapsed := time.Since(start)
	cpu := processCPU() - cpu0
	b.StopTimer()
	g := e.svc.writes.Stats()
	groups, parts := g.Groups-g0.Groups, g.Parts-g0.Parts

	var done int64
	if err := e.db.SQL.QueryRow(`SELECT count(*) FROM calls WHERE state = ?`, models.CallSucceeded).Scan(&done); err != nil {
		b.Fatal(err)
	}
	if done != int64(b.N) {
		b.Fatalf("%d of %d calls succeeded", done, b.N)
	}
	rate := float64(b.N) / elapsed.Seconds()
	b.ReportMetric(rate, "calls/s")
	b.ReportMetric(stats.MS(cpu)/float64(b.N), "cpu-ms/call")
	if acceptRate > 0 {
		b.ReportMetric(acceptRate, "accepts/s")
	}
	line := fmt.Sprintf("durable/%s: %d calls, %d workers, %.0f calls/s (%s), %.3f ms CPU per call, %d job errors", driver, b.N,
		benchWorkers, rate, elapsed.Round(time.Millisecond), stats.MS(cpu)/float64(b.N), runErrs.Load())
	if groups > 0 {
		line += fmt.Sprintf(", %d transactions in %d groups (%.1f each), writer busy %.0f%% of the time", parts, groups,
			float64(parts)/float64(groups), 100*(g.Busy-g0.Busy).Seconds()/elapsed.Seconds())
	}
	if n := slots.Load(); n > 0 {
		line += fmt.Sprintf(", a send holds its endpoint slot %.2f ms", stats.MS(time.Duration(slotNS.Load()))/float64(n))
	}
	if acceptRate > 0 {
		line += fmt.Sprintf(", AcceptOrder alone %.0f orders/s (1 goroutine, untimed)", acceptRate)
	}
	if bare, ok := dispatchRates.Load("bare"); ok {
		b.ReportMetric(rate/bare.(float64), "ratio-vs-bare")
		line += fmt.Sprintf(", ratio durable/bare %.2f (bare %.0f calls/s)", rate/bare.(float64), bare.(float64))
	}
	b.Log(line)
}

// waitJobs waits for n completed River jobs and returns how many attempts
// failed on the way (a failed job is retried by River and completes later).
func waitJobs(b *testing.B, events <-chan *river.Event, n int) int64 {
	var completed, failed int64
	deadline := time.After(2 * time.Minute)
	for completed < int64(n) {
		select {
		case ev := <-events:
			switch ev.Kind {
			case river.EventKindJobCompleted:
				completed++
			case river.EventKindJobFailed:
				failed++
				b.Logf("job %d failed: %v", ev.Job.ID, ev.Job.Errors)
			}
		case <-deadline:
			b.Fatalf("only %d of %d jobs completed after 2 minutes", completed, n)
		}
	}
	return failed
}
