package accounts_test

import (
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/dbtest"
)

func TestBackoffGrowsByDoublingUpToItsCap(t *testing.T) {
	b := accounts.Backoff{Free: 3, Max: 5 * time.Minute}
	want := map[int]time.Duration{0: 0, 2: 0, 3: time.Second, 4: 2 * time.Second, 5: 4 * time.Second,
		10: 128 * time.Second, 11: 256 * time.Second, 12: 5 * time.Minute, 500: 5 * time.Minute}
	for n, d := range want {
		if got := b.Delay(n); got != d {
			t.Errorf("after %d failures: %v, want %v", n, got, d)
		}
	}
}

func TestThrottleSlowsTheAddressAndAccountPairOnly(t *testing.T) {
	e := newAEnv(t)
	const attacker, office = "203.0.113.7", "198.51.100.20"
	for i := 1; i <= 3; i++ {
		if got, _ := e.login("staff@acme.test", "wrong-password-1", attacker); got != "wrong" {
			t.Fatalf("failure %d: %s", i, got)
		}
	}
	// The 4th attempt from that address for that account waits 1 s, even
	// with the right password, and a refused attempt does not count.
	if got, secs := e.login("staff@acme.test", dbtest.Password, attacker); got != "wait" || secs != 1 {
		t.Fatalf("after 3 failures: %s %d", got, secs)
	}
	// The real user elsewhere is never slowed by the attacker's failures.
	if got, _ := e.login("staff@acme.test", dbtest.Password, office); got != "ok" {
		t.Fatalf("same account, other address: %s", got)
	}
	// Another account from the attacker's address is not slowed either.
	if got, _ := e.login("owner@acme.test", dbtest.Password, attacker); got != "ok" {
		t.Fatalf("other account, same address: %s", got)
	}
	// Each further failure doubles the wait: 1, 2, 4, 8 … seconds.
	for _, wait := range []int{1, 2, 4, 8, 16} {
		e.clock.Advance(time.Duration(wait) * time.Second)
		if got, _ := e.login("staff@acme.test", "wrong-password-1", attacker); got != "wrong" {
			t.Fatalf("after waiting %d s: %s", wait, got)
		}
		if _, secs := e.login("staff@acme.test", "wrong-password-1", attacker); secs != 2*wait {
			t.Fatalf("next wait %d s, want %d", secs, 2*wait)
		}
	}
	// The wait is capped at 5 minutes: never a long lockout.
	for i := 0; i < 10; i++ {
		e.clock.Advance(5 * time.Minute)
		e.login("staff@acme.test", "wrong-password-1", attacker)
	}
	if _, secs := e.login("staff@acme.test", dbtest.Password, attacker); secs != 300 {
		t.Fatalf("capped wait %d s", secs)
	}
	// Once waited, the right password works and clears the pair's count.
	e.clock.Advance(5 * time.Minute)
	if got, _ := e.login("staff@acme.test", dbtest.Password, attacker); got != "ok" {
		t.Fatalf("after the capped wait: %s", got)
	}
	if n := e.count("login_throttle", "ip = ? AND email = ?", attacker, "staff@acme.test"); n != 0 {
		t.Fatalf("success left %d pair rows", n)
	}
}

func TestThrottleForgetsAfterAnHourAndCatchesSprayingFromOneAddress(t *testing.T) {
	e := newAEnv(t)
	const ip = "203.0.113.9"
	for i := 0; i < 3; i++ {
		e.login("owner@globex.test", "wrong-password-1", ip)
	}
	e.clock.Advance(61 * time.Minute)
	if got, _ := e.login("owner@globex.test", "wrong-password-1", ip); got != "wrong" {
		t.Fatalf("an hour later: %s", got)
	}
	if got, _ := e.login("owner@globex.test", "wrong-password-1", ip); got != "wrong" {
		t.Fatalf("count did not start over: %s", got)
	}
	// 20 failures over 20 accounts from one address: the address waits,
	// whichever account it tries next; another address does not.
	e.clock.Advance(2 * time.Hour)
	for i := 0; i < 20; i++ {
		if got, _ := e.login("guess"+string(rune('a'+i))+"@x.cn", "wrong-password-1", ip); got != "wrong" {
			t.Fatalf("spray %d: %s", i, got)
		}
	}
	if got, secs := e.login("owner@acme.test", dbtest.Password, ip); got != "wait" || secs != 1 {
		t.Fatalf("sprayed address: %s %d", got, secs)
	}
	if got, _ := e.login("owner@acme.test", dbtest.Password, "198.51.100.1"); got != "ok" {
		t.Fatalf("other address: %s", got)
	}
	if err := e.acc.PurgeExpired(t.Context()); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(2 * time.Hour)
	if err := e.acc.PurgeExpired(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := e.count("login_throttle", ""); n != 0 {
		t.Fatalf("purge left %d rows", n)
	}
}
