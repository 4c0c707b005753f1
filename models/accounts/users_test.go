package accounts_test

import (
	"context"
	"errors"
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
	add := func(email string) (*models.Invitation, string) {
		t.Helper()
		inv, err := e.acc.CreateUser(ctx, owner, accounts.NewUserInput{Email: email, Name: "新同事", Role: models.RoleTech, Password: "long-enough-pw"})
		if err != nil && dbtest.FieldErr(err, "email") == "" {
			t.Fatalf("%s: %v", email, err)
		}
		return inv, dbtest.FieldErr(err, "email")
	}
	// Acme's own user: the owner sees it in the list anyway.
	if _, got := add("staff@acme.test"); got != "err.email_taken" {
		t.Fatalf("own team: %q", got)
	}
	// A free address, another merchant's owner, the platform's manager: the
	// same invitation, apart from the address and the row's own id.
	var invs []*models.Invitation
	for _, email := range []string{"new1@acme.test", "owner@globex.test", "OPS@demo.test"} {
		inv, got := add(email)
		if got != "" {
			t.Fatalf("%s: %q", email, got)
		}
		invs = append(invs, inv)
	}
	for _, inv := range invs[1:] {
		a, b := *invs[0], *inv
		a.ID, a.Email, a.UserID, b.ID, b.Email, b.UserID = 0, "", nil, 0, "", nil
		if a != b {
			t.Fatalf("invitations differ: %+v vs %+v", a, b)
		}
	}
	if invs[0].UserID == nil || invs[1].UserID != nil || invs[2].UserID != nil {
		t.Fatal("only the free address gets a user")
	}
	list, err := e.acc.ListInvitations(ctx, owner)
	if err != nil || len(list) != 3 {
		t.Fatalf("pending: %d %v", len(list), err)
	}
	users, _ := e.acc.ListUsers(ctx, owner)
	for _, u := range users {
		if u.Email == "new1@acme.test" {
			t.Fatal("a pending user is listed as a user")
		}
	}
	// The owner's log says user.invited three times; only the platform's
	// log (no merchant) tells the foreign addresses apart.
	if n := e.count("audit_log", "action = ? AND merchant_id = ?", models.AuditUserInvited, owner.MerchantID); n != 3 {
		t.Fatalf("%d invitations in the owner's log", n)
	}
	if n := e.count("audit_log", "merchant_id = ? AND actor_email = ? AND action <> ?", owner.MerchantID, owner.Email, models.AuditUserInvited); n != 0 {
		t.Fatalf("the owner's log tells %d adds apart", n)
	}
	if n := e.count("audit_log", "merchant_id IS NULL AND action = ?", models.AuditInviteForeign); n != 2 {
		t.Fatalf("%d foreign invitations in the platform's log", n)
	}
	// Mail: an invitation to the free address, a notice to the others.
	if e.count("mail_outbox", "to_email = 'new1@acme.test' AND msg_id = 'mail.user_invited'") != 1 ||
		e.count("mail_outbox", "to_email = 'owner@globex.test' AND msg_id = 'mail.user_invite_existing'") != 1 ||
		e.count("mail_outbox", "to_email = 'ops@demo.test' AND msg_id = 'mail.user_invite_existing'") != 1 {
		t.Fatal("mails")
	}
	// Adding a pending address again answers alike.
	for _, email := range []string{"new1@acme.test", "owner@globex.test"} {
		if _, got := add(email); got != "users.err.already_invited" {
			t.Fatalf("again %s: %q", email, got)
		}
	}
	// A pending user cannot be managed by id (ids would tell it apart).
	if err := e.acc.ChangeRole(ctx, owner, *invs[0].UserID, models.RoleDelivery); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("pending user's role: %v", err)
	}
	// The foreign owner logs in as before and still belongs to globex only.
	if r, _ := e.login("owner@globex.test", dbtest.Password, "10.0.0.1"); r != "ok" {
		t.Fatal("globex owner cannot log in")
	}
	g := dbtest.Actor(t, e.acc, "owner@globex.test")
	if g.MerchantID == owner.MerchantID || e.count("users", "lower(email) = 'owner@globex.test'") != 1 {
		t.Fatal("the foreign account gained access to acme")
	}
	if e.count("user_invitations", "email = 'owner@globex.test' AND accepted_at IS NULL") != 1 {
		t.Fatal("a foreign login accepted the invitation")
	}
	// The free address accepts by logging in with the owner's password.
	if r, _ := e.login("new1@acme.test", "long-enough-pw", "10.0.0.2"); r != "ok" {
		t.Fatal("invited user cannot log in")
	}
	if err := e.acc.ChangeRole(ctx, owner, *invs[0].UserID, models.RoleDelivery); err != nil {
		t.Fatalf("accepted user's role: %v", err)
	}
	if list, _ := e.acc.ListInvitations(ctx, owner); len(list) != 2 {
		t.Fatalf("%d pending after acceptance", len(list))
	}
	// Bad input is still told field by field, before anything else.
	_, err = e.acc.CreateUser(ctx, owner, accounts.NewUserInput{Email: "owner@globex.test", Role: models.RoleTech, Password: "x"})
	if dbtest.FieldErr(err, "password") == "" || dbtest.FieldErr(err, "email") != "" {
		t.Fatalf("weak password with a taken address: %v", err)
	}
}

func TestCancellingAnInvitationFreesTheAddressAlike(t *testing.T) {
	e := newAEnv(t)
	ctx := context.Background()
	owner := dbtest.Actor(t, e.acc, "owner@acme.test")
	globex := dbtest.Actor(t, e.acc, "owner@globex.test")
	for _, email := range []string{"free@acme.test", "owner@globex.test"} {
		inv, err := e.acc.CreateUser(ctx, owner, accounts.NewUserInput{Email: email, Role: models.RoleTech, Password: "long-enough-pw"})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.acc.CancelInvitation(ctx, globex, inv.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("another merchant cancelled: %v", err)
		}
		if err := e.acc.CancelInvitation(ctx, owner, inv.ID); err != nil {
			t.Fatalf("cancel %s: %v", email, err)
		}
		if err := e.acc.CancelInvitation(ctx, owner, inv.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("cancelled twice: %v", err)
		}
		// Free again: the same address can be invited anew.
		if _, err := e.acc.CreateUser(ctx, owner, accounts.NewUserInput{Email: email, Role: models.RoleTech, Password: "long-enough-pw"}); err != nil {
			t.Fatalf("re-invite %s: %v", email, err)
		}
	}
	if e.count("users", "email = 'free@acme.test'") != 1 {
		t.Fatal("the cancelled user was not deleted")
	}
	if n := e.count("audit_log", "action = ? AND merchant_id = ?", models.AuditInviteCancelled, owner.MerchantID); n != 2 {
		t.Fatalf("%d cancellations audited", n)
	}
}

func TestInvitationsPerDayCountEveryAddressAlike(t *testing.T) {
	e := newAEnv(t)
	ctx := context.Background()
	owner := dbtest.Actor(t, e.acc, "owner@acme.test")
	add := func(email string) string {
		_, err := e.acc.CreateUser(ctx, owner, accounts.NewUserInput{Email: email, Role: models.RoleTech, Password: "long-enough-pw"})
		return dbtest.FieldErr(err, "email")
	}
	for i := 0; i < accounts.MaxInvitesPerDay; i++ {
		email := "owner@globex.test"
		if i%2 == 0 {
			email = "n" + string(rune('a'+i)) + "@acme.test"
		} else if id := e.pendingID(owner, email); id != 0 {
			if err := e.acc.CancelInvitation(ctx, owner, id); err != nil {
				t.Fatal(err)
			}
		}
		if got := add(email); got != "" {
			t.Fatalf("add %d: %q", i, got)
		}
	}
	for _, email := range []string{"late@acme.test", "ops@demo.test"} {
		if got := add(email); got != "users.err.invite_limit" {
			t.Fatalf("%s past the limit: %q", email, got)
		}
	}
	e.clock.Advance(25 * time.Hour)
	if got := add("late@acme.test"); got != "" {
		t.Fatalf("a day later: %q", got)
	}
}

// pendingID is the id of the merchant's open invitation to email, or 0.
func (e *aenv) pendingID(owner models.Actor, email string) int64 {
	list, err := e.acc.ListInvitations(context.Background(), owner)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, inv := range list {
		if inv.Email == email {
			return inv.ID
		}
	}
	return 0
}
