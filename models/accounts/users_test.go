package accounts_test

import (
	"context"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/dbtest"
)

func TestAddingAnotherAccountsEmailRevealsNothing(t *testing.T) {
	e := newAEnv(t)
	ctx := context.Background()
	owner := dbtest.Actor(t, e.acc, "owner@acme.test")
	add := func(email string) string {
		t.Helper()
		_, err := e.acc.CreateUser(ctx, owner, accounts.NewUserInput{Email: email, Role: models.RoleTech, Password: "long-enough-pw"})
		return dbtest.FieldErr(err, "email")
	}
	// Acme's own user: the owner sees it in the list anyway.
	if got := add("staff@acme.test"); got != "err.email_taken" {
		t.Fatalf("own team: %q", got)
	}
	// Another merchant's owner, the platform's manager: one generic refusal.
	for _, email := range []string{"owner@globex.test", "OPS@demo.test"} {
		if got := add(email); got != "users.err.email_unusable" {
			t.Fatalf("%s: %q", email, got)
		}
	}
	if n := e.count("audit_log", "action = ? AND merchant_id = ?", models.AuditUserAddRefused, owner.MerchantID); n != 2 {
		t.Fatalf("%d refusals audited", n)
	}
	// A free address is added as usual…
	if got := add("new1@acme.test"); got != "" {
		t.Fatalf("free address: %q", got)
	}
	// …until the merchant used up its refusals: then a free address gets
	// the very same answer, so the answer tells nothing about the address.
	for i := 0; i < accounts.MaxAddRefusals-2; i++ {
		add("owner@globex.test")
	}
	if got := add("new2@acme.test"); got != "users.err.email_unusable" {
		t.Fatalf("free address after the refusals: %q", got)
	}
	if e.count("users", "email = 'new2@acme.test'") != 0 {
		t.Fatal("added anyway")
	}
	e.clock.Advance(25 * time.Hour)
	if got := add("new2@acme.test"); got != "" {
		t.Fatalf("a day later: %q", got)
	}
	// Bad input is still told field by field, before anything else.
	_, err := e.acc.CreateUser(ctx, owner, accounts.NewUserInput{Email: "owner@globex.test", Role: models.RoleTech, Password: "x"})
	if dbtest.FieldErr(err, "password") == "" || dbtest.FieldErr(err, "email") != "" {
		t.Fatalf("weak password with a taken address: %v", err)
	}
}
