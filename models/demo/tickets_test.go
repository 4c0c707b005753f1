package demo

import (
	"context"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/calendars"
	"github.com/sellercenter/sellercenter/models/catalog"
	"github.com/sellercenter/sellercenter/models/dbtest"
	"github.com/sellercenter/sellercenter/models/tickets"
	"github.com/sellercenter/sellercenter/models/vault"
)

// The demo tickets are replayed through the service on Acme's real
// reception hours, measured back from now: each has the state and clock its
// story says, whatever time of day the demo starts.
func TestSeedTicketsShowsEveryStateAndANearBreach(t *testing.T) {
	d := dbtest.Open(t)
	ctx := context.Background()
	acc := accounts.New(d.Gorm, bizclock.System, accounts.TestHashParams, accounts.DefaultLimits)
	if err := Seed(ctx, acc); err != nil {
		t.Fatal(err)
	}
	v, _ := vault.New(make([]byte, vault.KeySize))
	if err := SeedCatalog(ctx, d.Gorm, catalog.New(d.Gorm, bizclock.System, v, catalog.URLPolicy{AllowPrivate: true})); err != nil {
		t.Fatal(err)
	}
	cals := calendars.New(d.Gorm, bizclock.System)
	if err := SeedReception(ctx, d.Gorm, cals); err != nil {
		t.Fatal(err)
	}
	if err := SeedTickets(ctx, d.Gorm, v, cals, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	var acme models.Merchant
	if err := d.Gorm.Where("slug = 'acme'").Take(&acme).Error; err != nil {
		t.Fatal(err)
	}
	cal, _, err := cals.ForMerchant(ctx, acme.ID)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	want := map[string]struct {
		state models.TicketState
		clock models.ClockStatus
	}{
		"ACME-TK-0001": {models.TicketDone, models.ClockMet},
		"ACME-TK-0002": {models.TicketProcessing, models.ClockLate},
		"ACME-TK-0003": {models.TicketProcessing, models.ClockMet},
		"ACME-TK-0004": {models.TicketAwaiting, models.ClockMet},
		"ACME-TK-0005": {models.TicketRevoked, models.ClockStopped},
		"ACME-TK-0006": {models.TicketPending, models.ClockBreached},
		"ACME-TK-0007": {models.TicketPending, models.ClockWarning},
		"ACME-TK-0008": {models.TicketPending, models.ClockRunning},
	}
	var ts []models.Ticket
	if err := d.Gorm.Order("id").Find(&ts).Error; err != nil {
		t.Fatal(err)
	}
	// Only a week without 5 hours of reception (a long holiday) leaves
	// stories out.
	if cal.Elapsed(now.Add(-tickets.MaxAge+time.Minute), now) >= 5*time.Hour && len(ts) != len(want) {
		t.Fatalf("%d demo tickets, want %d", len(ts), len(want))
	}
	for i := range ts {
		tk := &ts[i]
		w, ok := want[tk.TicketID]
		if !ok {
			t.Fatalf("unexpected demo ticket %s", tk.TicketID)
		}
		if c := tickets.ClockOf(tk, cal, now); tk.State != w.state || c.Status != w.clock {
			t.Errorf("%s: %s with clock %s, want %s with %s", tk.TicketID, tk.State, c.Status, w.state, w.clock)
		}
	}
}
