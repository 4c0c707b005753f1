package accounts_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/db"
	"github.com/sellercenter/sellercenter/models/dbtest"
)

type aenv struct {
	t     *testing.T
	db    *db.DB
	clock *bizclock.Fake
	acc   *accounts.Service
}

func newAEnv(t *testing.T) *aenv {
	t.Helper()
	d := dbtest.Open(t)
	clock := bizclock.NewFake(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
	acc := accounts.New(d.Gorm, clock, accounts.TestHashParams, accounts.DefaultLimits)
	dbtest.SeedPeople(t, acc, map[string]models.Role{"staff@acme.test": models.RoleOperations})
	return &aenv{t: t, db: d, clock: clock, acc: acc}
}

// login tries a password from an address: "ok", "wrong" or "wait" with the
// seconds the throttle asks for.
func (e *aenv) login(email, password, ip string) (string, int) {
	e.t.Helper()
	_, err := e.acc.Login(context.Background(), accounts.LoginInput{Email: email, Password: password, IP: ip})
	var rl *models.RateLimitedError
	var v *models.ValidationError
	switch {
	case err == nil:
		return "ok", 0
	case errors.As(err, &rl):
		return "wait", rl.RetryAfterSeconds
	case errors.As(err, &v):
		return "wrong", 0
	}
	e.t.Fatalf("login %s from %s: %v", email, ip, err)
	return "", 0
}

func (e *aenv) count(table, where string, args ...any) int64 {
	return dbtest.Count(e.t, e.db, table, where, args...)
}
