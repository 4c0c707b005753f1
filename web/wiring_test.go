package web_test

import (
	"testing"
	"time"
)

// The handler tests run on production's wiring: newEnv builds through
// app.Build, as serve does through app.Open, so what production composes —
// the overview's counters and clocks of every area, the calendars' hooks into
// demands — is what these pages show. A harness that wired its own services
// (as one once did: no counters, demands without calendars) fails here.
func TestHarnessServesProductionWiring(t *testing.T) {
	e := newEnv(t)
	ops := e.loggedIn("ops@demo.test")
	id := e.assignDemand(ops, "acme", "接线")
	if p := ops.get("/"); testid(p, "todo-pending_demands_all").Length() != 1 {
		t.Fatalf("operations board lacks the cross-merchant demand counter: %d", p.status)
	}
	owner := e.loggedIn("owner@acme.test")
	p := owner.get("/")
	for _, key := range []string{"todo-pending_demands", "todo-unread_notifications"} {
		if testid(p, key).Length() != 1 {
			t.Errorf("owner board lacks %s", key)
		}
	}
	// Demand clocks come from the demands service the app registered: one
	// day before the deadline the demand is on the board.
	e.clock.Advance(4*24*time.Hour + time.Hour)
	p = e.loggedIn("owner@acme.test").get("/")
	if testid(p, "todo-clock").Length() == 0 {
		t.Fatalf("demand %d is not on the owner's board of clocks", id)
	}
}
