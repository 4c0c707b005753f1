package provisioning

import (
	"context"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/dbtest"
)

// Two instances on one database share a merchant's slots: with a limit of
// 2, two calls on one instance leave none for the other until one ends, and
// a dead instance's lease frees itself when it expires.
func TestEndpointSlotsAreSharedByInstances(t *testing.T) {
	if !dbtest.OnPostgres() {
		t.Log("shared slots are for several instances on PostgreSQL: this case needs " + dbtest.PostgresEnv)
		return
	}
	d := dbtest.Open(t)
	clock := bizclock.NewFake(time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	if err := d.Gorm.Exec(`INSERT INTO merchants (id, slug, name, created_at, updated_at) VALUES (7, 'm', 'M', ?, ?)`,
		clock.Now(), clock.Now()).Error; err != nil {
		t.Fatal(err)
	}
	a, b := newSharedSlots(d.Gorm, clock.Now), newSharedSlots(d.Gorm, clock.Now)
	if _, ok := newLimiter(d.Gorm, clock).(*sharedSlots); !ok {
		t.Fatal("PostgreSQL got an in-memory limiter")
	}
	ctx := context.Background()
	r1, err := a.acquire(ctx, 7, 2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.acquire(ctx, 7, 2); err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 150*time.Millisecond)
	defer cancel()
	if _, err := b.acquire(short, 7, 2); err == nil {
		t.Fatal("a third call ran beside two with a limit of 2")
	}
	r1()
	rb, err := b.acquire(ctx, 7, 2)
	if err != nil {
		t.Fatalf("a freed slot was not taken by the other instance: %v", err)
	}
	rb()
	// a holds one lease and dies: after the lease, b takes both slots.
	if _, err := b.acquire(ctx, 7, 2); err != nil {
		t.Fatal(err)
	}
	short2, cancel2 := context.WithTimeout(ctx, 150*time.Millisecond)
	defer cancel2()
	if _, err := b.acquire(short2, 7, 2); err == nil {
		t.Fatal("a live lease was taken")
	}
	clock.Advance(slotLease + time.Second)
	if _, err := b.acquire(ctx, 7, 2); err != nil {
		t.Fatalf("an expired lease was not freed: %v", err)
	}
}
