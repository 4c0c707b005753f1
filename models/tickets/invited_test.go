package tickets

import (
	"context"
	"testing"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/dbtest"
)

// A sub-user still pending its invitation is neither offered nor accepted
// as an assignee, or the ticket page would tell a free address (which has a
// user) from one in use elsewhere (which has none).
func TestAPendingSubUserCannotBeAssigned(t *testing.T) {
	e := newTEnv(t, Config{})
	ctx := context.Background()
	tk := e.open("TK-1", sh(0, 10, 0, 0))
	inv, err := e.acc.CreateUser(ctx, e.owner, accounts.NewUserInput{Email: "new@acme.test", Role: models.RoleTech, Password: "long-enough-pw"})
	if err != nil || inv.UserID == nil {
		t.Fatalf("invite: %v", err)
	}
	staff := func() []int64 {
		d, err := e.svc.Detail(ctx, e.owner, tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, u := range d.Staff {
			ids = append(ids, u.ID)
		}
		return ids
	}
	has := func(ids []int64, id int64) bool {
		for _, x := range ids {
			if x == id {
				return true
			}
		}
		return false
	}
	if has(staff(), *inv.UserID) {
		t.Fatal("a pending user is offered as assignee")
	}
	if got := dbtest.FieldErr(e.svc.Assign(ctx, e.owner, tk.ID, *inv.UserID), "assignee"); got != "tickets.err.assignee" {
		t.Fatalf("pending user assigned: %q", got)
	}
	if _, err := e.acc.Login(ctx, accounts.LoginInput{Email: "new@acme.test", Password: "long-enough-pw", IP: "10.0.0.9"}); err != nil {
		t.Fatal(err)
	}
	if !has(staff(), *inv.UserID) {
		t.Fatal("an accepted user is not offered")
	}
	if err := e.svc.Assign(ctx, e.owner, tk.ID, *inv.UserID); err != nil {
		t.Fatalf("accepted user: %v", err)
	}
}
