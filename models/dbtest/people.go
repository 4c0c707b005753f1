package dbtest

import (
	"context"
	"errors"
	"testing"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
)

// Password is the test users' password.
const Password = "test-pass-123"

// SeedPeople creates what the demo seeds, for the packages models/demo
// imports (their tests cannot use it): an operations manager
// ops@demo.test, merchants acme and globex with owners owner@<slug>.test,
// and acme's users by e-mail and role.
func SeedPeople(t testing.TB, acc *accounts.Service, acme map[string]models.Role) {
	t.Helper()
	ctx, sys := context.Background(), models.SystemActor("test")
	if _, err := acc.AddUser(ctx, sys, "", accounts.NewUserInput{Email: "ops@demo.test", Role: models.RoleOpsManager,
		Password: Password}); err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"acme", "globex"} {
		if _, _, err := acc.CreateMerchant(ctx, sys, accounts.NewMerchantInput{Slug: m, Name: m,
			OwnerEmail: "owner@" + m + ".test", OwnerPassword: Password}); err != nil {
			t.Fatal(err)
		}
	}
	for email, role := range acme {
		if _, err := acc.AddUser(ctx, sys, "acme", accounts.NewUserInput{Email: email, Role: role, Password: Password}); err != nil {
			t.Fatal(err)
		}
	}
}

// Actor is a user's actor as a login from localhost makes it.
func Actor(t testing.TB, acc *accounts.Service, email string) models.Actor {
	t.Helper()
	u, err := acc.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatalf("user %s: %v", email, err)
	}
	return models.ActorOf(u, "127.0.0.1")
}

// FieldErr is the message id of a validation error's field, or with field
// "" of its form-level message ("" when there is none).
func FieldErr(err error, field string) string {
	var v *models.ValidationError
	if !errors.As(err, &v) {
		return ""
	}
	if field == "" {
		if v.Form == nil {
			return ""
		}
		return v.Form.ID
	}
	return v.Fields[field].ID
}

// IsConflict reports whether err is a conflict, with message id when id is
// not "".
func IsConflict(err error, id string) bool {
	var c *models.ConflictError
	return errors.As(err, &c) && (id == "" || c.Msg.ID == id)
}
