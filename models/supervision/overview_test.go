package supervision

import (
	"context"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
)

// The to-do board: the merchant counts what waits on it and what is late;
// operations sees the open appeals' ruling clocks turn to warning at 80 %
// and breached at the deadline.
func TestOverviewBoard(t *testing.T) {
	e := newTEnv(t)
	ctx := context.Background()
	e.acmeLine() // requirements: the buyer's turn
	line2, confirm := e.acmeLine()
	e.mustBuyer(line2, EvSubmitRequirements, "需求说明")
	line3, late := e.acmeLine()
	e.toDelivery(line3, late.ID)
	e.line("globex", "00302-200003-0--0", "c-globex-1")
	count := func(f func(context.Context, models.Actor) (int64, error), a models.Actor) int64 {
		t.Helper()
		n, err := f(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(e.svc.MerchantTurnCount, e.acme); n != 2 {
		t.Fatalf("merchant's turn: %d, want confirm and delivery", n)
	}
	if p, _ := e.svc.List(ctx, e.acme, Filter{MerchantTurn: true}); len(p.Rows) != 2 || p.Rows[0].ID != late.ID ||
		p.Rows[1].ID != confirm.ID {
		t.Fatalf("the counter's list: %+v", p.Rows)
	}
	e.clock.Advance(31 * 24 * time.Hour)
	e.sweep()
	if n := count(e.svc.OverdueCount, e.acme); n != 1 || count(e.svc.OverdueCount, e.globex) != 0 {
		t.Fatalf("overdue: %d", n)
	}
	if count(e.svc.MerchantTurnCount, e.ops) != 0 || count(e.svc.OpenAppealsCount, e.acme) != 0 {
		t.Fatal("a counter outside its scope")
	}

	a, err := e.svc.Appeal(ctx, e.acme, late.ID, AppealInput{Reason: "客户迟迟不提供环境", Outcome: models.SupOutcomeOther})
	if err != nil {
		t.Fatal(err)
	}
	if n := count(e.svc.MerchantTurnCount, e.acme); n != 1 {
		t.Fatalf("a frozen flow still counts as the merchant's turn: %d", n)
	}
	if n := count(e.svc.OpenAppealsCount, e.ops); n != 1 {
		t.Fatalf("open appeals %d", n)
	}
	clock := func() string {
		t.Helper()
		cs, err := e.svc.OverviewClocks(ctx, e.ops)
		if err != nil || len(cs) != 1 || cs[0].Link.To != models.ScreenAppeal || cs[0].Link.ID != a.ID || !cs[0].DueAt.Equal(a.DueAt) {
			t.Fatalf("clocks %+v %v", cs, err)
		}
		return string(cs[0].Status)
	}
	if s := clock(); s != "running" {
		t.Fatalf("fresh appeal %s", s)
	}
	e.clock.Set(a.WarnAt)
	if s := clock(); s != "warning" {
		t.Fatalf("at 80 %%: %s", s)
	}
	e.clock.Set(a.DueAt)
	if s := clock(); s != "breached" {
		t.Fatalf("at the deadline: %s", s)
	}
	if cs, _ := e.svc.OverviewClocks(ctx, e.acme); len(cs) != 0 {
		t.Fatal("a merchant sees the ruling clocks")
	}
	if len(e.svc.OverviewCounters()) != 3 {
		t.Fatal("counters")
	}
}
