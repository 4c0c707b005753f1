package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/db"
)

// app is the opened database with the services built on it.
type app struct {
	db       *db.DB
	migrated db.MigrateResult
	accounts *accounts.Service
}

// openApp opens and migrates the database; every command goes through it, so
// none can run on a schema it does not know.
func openApp(ctx context.Context, path string) (*app, error) {
	d, err := db.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	res, err := d.Migrate(ctx)
	if err != nil {
		_ = d.Close()
		return nil, err
	}
	return &app{
		db:       d,
		migrated: res,
		accounts: accounts.New(d.Gorm, bizclock.System, accounts.DefaultHashParams, accounts.DefaultLimits),
	}, nil
}

func (a *app) Close() error { return a.db.Close() }

// envOr returns the environment variable's value, or def when unset.
func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// envBool reads a boolean variable; ok is false when it is unset.
func envBool(name string) (v, ok bool, err error) {
	s, set := os.LookupEnv(name)
	if !set || s == "" {
		return false, false, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, false, fmt.Errorf("%s=%q is not a boolean", name, s)
	}
	return b, true, nil
}

// report prints err for an operator and returns the exit code it deserves.
func report(stderr io.Writer, err error) int {
	fmt.Fprintln(stderr, "sellercenter:", describe(err))
	if errors.Is(err, db.ErrSchemaTooNew) {
		return exitFail
	}
	if isInputError(err) {
		return exitUsage
	}
	return exitFail
}
