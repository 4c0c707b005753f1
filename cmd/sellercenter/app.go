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
	"github.com/sellercenter/sellercenter/models/catalog"
	"github.com/sellercenter/sellercenter/models/db"
	"github.com/sellercenter/sellercenter/models/demo"
	"github.com/sellercenter/sellercenter/models/provisioning"
	"github.com/sellercenter/sellercenter/models/vault"
)

// app is the opened database with the services built on it.
type app struct {
	db       *db.DB
	migrated db.MigrateResult
	accounts *accounts.Service
	catalog  *catalog.Service
	core     *provisioning.Service
	vault    *vault.Vault
	demo     bool
}

// appOptions are the switches that shape the services.
type appOptions struct {
	allowPrivate bool     // endpoints may be loopback/private/http
	selfHosts    []string // this server's own addresses
}

// openApp opens and migrates the database; every command goes through it, so
// none can run on a schema it does not know.
func openApp(ctx context.Context, path string, stderr io.Writer, o appOptions) (*app, error) {
	d, err := db.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	res, err := d.Migrate(ctx)
	if err != nil {
		_ = d.Close()
		return nil, err
	}
	v, err := masterKey(path, stderr)
	if err != nil {
		_ = d.Close()
		return nil, err
	}
	isDemo, err := demo.IsDemo(ctx, d.Gorm)
	if err != nil {
		_ = d.Close()
		return nil, err
	}
	if env, _, _ := envBool("SELLERCENTER_ALLOW_PRIVATE_ENDPOINTS"); env || isDemo {
		o.allowPrivate = true
	}
	clock := bizclock.System
	cat := catalog.New(d.Gorm, clock, v, catalog.URLPolicy{AllowPrivate: o.allowPrivate, SelfHosts: o.selfHosts})
	return &app{
		db:       d,
		migrated: res,
		vault:    v,
		demo:     isDemo,
		accounts: accounts.New(d.Gorm, clock, accounts.DefaultHashParams, accounts.DefaultLimits),
		catalog:  cat,
		core:     provisioning.New(d.Gorm, clock, v, cat, provisioning.Config{AllowPrivate: o.allowPrivate}),
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
