package web_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/demo"
	"github.com/sellercenter/sellercenter/models/provisioning"
	"github.com/sellercenter/sellercenter/web"
	"github.com/sellercenter/sellercenter/web/koogallery/sandbox"
)

// world adds the demo catalogue and the two demo sandboxes (Acme healthy,
// Globex failing every call) to the env, so orders really provision.
type world struct {
	*env
	sb *sandbox.Fleet
}

func newWorld(t *testing.T) *world {
	t.Helper()
	e := newEnv(t)
	ctx := context.Background()
	if err := demo.SeedCatalog(ctx, e.db.Gorm, e.cat); err != nil {
		t.Fatal(err)
	}
	eps, err := web.DemoSandboxes(filepath.Join(e.t.TempDir(), "demo"), slog.New(slog.NewTextHandler(io.Discard, nil)))(e.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	sb := eps.(*sandbox.Fleet)
	t.Cleanup(sb.Close)
	if err := e.app.PointDemoEndpoints(ctx, sb.URLs()); err != nil {
		t.Fatal(err)
	}
	if err := sb.Server("globex").SetFaults(sandbox.Faults{FailRate: 1}); err != nil {
		t.Fatal(err)
	}
	return &world{env: e, sb: sb}
}

// order accepts a one-line NEW order for a product and runs its first attempt.
func (w *world) order(id, product string) {
	w.t.Helper()
	in := provisioning.OrderInput{OrderID: id, OrderType: models.OrderNew, CreateTime: w.clock.Now().Add(-time.Minute),
		Buyer: provisioning.BuyerInput{CustomerID: "cust-" + id, CustomerName: "王五"},
		Lines: []provisioning.LineInput{{OrderLineID: id + "-1", ProductID: product, ChargingMode: models.ChargingPeriod,
			PeriodType: "month", PeriodNumber: 1, Amount: "99.00"}}}
	if _, _, err := w.core.AcceptOrder(context.Background(), in); err != nil {
		w.t.Fatal(err)
	}
	w.runDue()
}

// runDue performs the attempts due now, as the job runner would.
func (w *world) runDue() {
	w.t.Helper()
	for {
		due := w.sched.take(w.clock.Now())
		if len(due) == 0 {
			return
		}
		for _, j := range due {
			if err := w.core.RunCall(context.Background(), j.CallID, j.At); err != nil {
				w.t.Fatal(err)
			}
		}
	}
}

// callID is the newest call of an order (its page in the message log).
func (w *world) callID(orderID string) int64 {
	w.t.Helper()
	var id int64
	if err := w.db.SQL.QueryRow(`SELECT id FROM calls WHERE order_id = ? ORDER BY id DESC LIMIT 1`, orderID).Scan(&id); err != nil {
		w.t.Fatal(err)
	}
	return id
}
