package accounts_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/dbtest"
)

// resetLink reads the token of the newest reset mail to an address.
func (e *aenv) resetToken(to string) string {
	e.t.Helper()
	var m models.OutboxMail
	if err := e.db.Gorm.Where("to_email = ?", to).Order("id DESC").First(&m).Error; err != nil {
		e.t.Fatalf("no mail to %s: %v", to, err)
	}
	var args map[string]any
	if err := json.Unmarshal([]byte(m.MsgArgs), &args); err != nil {
		e.t.Fatal(err)
	}
	link, _ := args["Link"].(string)
	if m.MsgID != "mail.password_reset" || m.Status != "pending" || !strings.HasPrefix(link, accounts.ResetPath+"?token=") {
		e.t.Fatalf("mail %+v", m)
	}
	u, err := url.Parse(link)
	if err != nil {
		e.t.Fatal(err)
	}
	return u.Query().Get("token")
}

func TestResetRequestRevealsNothingAndMailsAHashedToken(t *testing.T) {
	e := newAEnv(t)
	ctx := context.Background()
	for _, email := range []string{"staff@acme.test", "nobody@acme.test"} {
		if err := e.acc.RequestReset(ctx, accounts.ResetRequest{Email: email, IP: "203.0.113.1"}); err != nil {
			t.Fatalf("%s: %v", email, err)
		}
	}
	if n := e.count("mail_outbox", ""); n != 1 {
		t.Fatalf("%d mails; want one, to the existing account", n)
	}
	if n := e.count("mail_outbox", "to_email = ?", "nobody@acme.test"); n != 0 {
		t.Fatal("a mail to an address with no account")
	}
	token := e.resetToken("staff@acme.test")
	if len(token) < 40 || e.count("password_resets", "token_hash = ?", token) != 0 {
		t.Fatal("the token is short or stored as it is")
	}
	if e.count("audit_log", "action = ?", models.AuditPasswordResetRequested) != 1 {
		t.Fatal("request not audited")
	}
	// A second request at once sends no second mail (no mailbox flooding),
	// and still answers the same.
	if err := e.acc.RequestReset(ctx, accounts.ResetRequest{Email: "STAFF@acme.test"}); err != nil {
		t.Fatal(err)
	}
	if n := e.count("mail_outbox", ""); n != 1 {
		t.Fatalf("%d mails after a repeat", n)
	}
	if err := e.acc.RequestReset(ctx, accounts.ResetRequest{Email: "not-an-email"}); dbtest.FieldErr(err, "email") == "" {
		t.Fatalf("malformed e-mail: %v", err)
	}
}

func TestResetTokenWorksOnceAndEndsSessions(t *testing.T) {
	e := newAEnv(t)
	ctx := context.Background()
	if got, _ := e.login("staff@acme.test", dbtest.Password, "198.51.100.1"); got != "ok" {
		t.Fatal(got)
	}
	for i := 0; i < 5; i++ {
		e.login("staff@acme.test", "wrong-password-1", "203.0.113.1")
	}
	if err := e.acc.RequestReset(ctx, accounts.ResetRequest{Email: "staff@acme.test"}); err != nil {
		t.Fatal(err)
	}
	token := e.resetToken("staff@acme.test")
	if err := e.acc.CheckResetToken(ctx, token); err != nil {
		t.Fatalf("fresh link: %v", err)
	}
	if err := e.acc.ResetWithToken(ctx, token, "short", ""); dbtest.FieldErr(err, "password") == "" {
		t.Fatalf("weak password: %v", err)
	}
	if err := e.acc.ResetWithToken(ctx, token, "brand-new-pass-1", "198.51.100.1"); err != nil {
		t.Fatal(err)
	}
	if n := e.count("sessions", ""); n != 0 {
		t.Fatalf("%d sessions survived the reset", n)
	}
	if n := e.count("login_throttle", "email = ?", "staff@acme.test"); n != 0 {
		t.Fatal("throttle counts survived the reset")
	}
	if got, _ := e.login("staff@acme.test", "brand-new-pass-1", "203.0.113.1"); got != "ok" {
		t.Fatalf("new password: %s", got)
	}
	err := e.acc.ResetWithToken(ctx, token, "another-pass-22", "")
	if dbtest.FieldErr(err, "") != "reset.link_invalid" {
		t.Fatalf("second use: %v", err)
	}
	if got, _ := e.login("staff@acme.test", "another-pass-22", "198.51.100.1"); got != "wrong" {
		t.Fatal("a spent link changed the password")
	}
	if e.count("audit_log", "action = ?", models.AuditPasswordResetByLink) != 1 {
		t.Fatal("reset not audited")
	}
	if err := e.acc.ResetWithToken(ctx, "forged-token", "another-pass-22", ""); dbtest.FieldErr(err, "") != "reset.link_invalid" {
		t.Fatalf("forged link: %v", err)
	}
}

func TestResetTokenExpiresOnTheInjectedClock(t *testing.T) {
	e := newAEnv(t)
	ctx := context.Background()
	if err := e.acc.RequestReset(ctx, accounts.ResetRequest{Email: "owner@globex.test"}); err != nil {
		t.Fatal(err)
	}
	token := e.resetToken("owner@globex.test")
	e.clock.Advance(accounts.DefaultLimits.ResetTTL + time.Second)
	if err := e.acc.CheckResetToken(ctx, token); dbtest.FieldErr(err, "") != "reset.link_invalid" {
		t.Fatalf("expired link checks: %v", err)
	}
	if err := e.acc.ResetWithToken(ctx, token, "brand-new-pass-1", ""); dbtest.FieldErr(err, "") != "reset.link_invalid" {
		t.Fatalf("expired link: %v", err)
	}
	// A new request after the resend gap mails a new, working link.
	if err := e.acc.RequestReset(ctx, accounts.ResetRequest{Email: "owner@globex.test"}); err != nil {
		t.Fatal(err)
	}
	if fresh := e.resetToken("owner@globex.test"); fresh == token {
		t.Fatal("the same token twice")
	} else if err := e.acc.ResetWithToken(ctx, fresh, "brand-new-pass-1", ""); err != nil {
		t.Fatal(err)
	}
}

func TestOperationsResetAnyMerchantUsersPasswordAudited(t *testing.T) {
	e := newAEnv(t)
	ctx := context.Background()
	ops := dbtest.Actor(t, e.acc, "ops@demo.test")
	owner := dbtest.Actor(t, e.acc, "owner@acme.test")
	globex := dbtest.Actor(t, e.acc, "owner@globex.test")
	users, err := e.acc.AdminUsers(ctx, ops, "ACME")
	if err != nil || len(users) != 2 || users[0].MerchantName != "acme" {
		t.Fatalf("search: %v %+v", err, users)
	}
	if _, err := e.acc.AdminUsers(ctx, owner, ""); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("owner searched every merchant: %v", err)
	}
	if err := e.acc.AdminResetPassword(ctx, owner, globex.UserID, "brand-new-pass-1"); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("owner reset another merchant's user: %v", err)
	}
	if err := e.acc.AdminResetPassword(ctx, ops, ops.UserID, "brand-new-pass-1"); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("a platform user through the merchant reset: %v", err)
	}
	if err := e.acc.AdminResetPassword(ctx, ops, globex.UserID, "brand-new-pass-1"); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.login("owner@globex.test", "brand-new-pass-1", "198.51.100.1"); got != "ok" {
		t.Fatal(got)
	}
	if n := e.count("audit_log", "action = ? AND merchant_id = ? AND actor_email = ?", models.AuditPasswordReset,
		globex.MerchantID, "ops@demo.test"); n != 1 {
		t.Fatalf("%d audit rows in the merchant's log", n)
	}
	// The owner's own reset of a sub-user is audited in the same way.
	staff := dbtest.Actor(t, e.acc, "staff@acme.test")
	if err := e.acc.ResetPassword(ctx, owner, staff.UserID, "brand-new-pass-2"); err != nil {
		t.Fatal(err)
	}
	if n := e.count("audit_log", "action = ? AND merchant_id = ?", models.AuditPasswordReset, owner.MerchantID); n != 1 {
		t.Fatalf("owner's reset audited %d times", n)
	}
}
