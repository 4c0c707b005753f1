package db

import (
	"context"
	"errors"
	"fmt"

	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/sellercenter/sellercenter/migrations"
)

// ErrSchemaTooNew is returned when the database was migrated by a newer build.
var ErrSchemaTooNew = errors.New("database schema is newer than this program")

// MigrateResult says what Migrate found and did.
type MigrateResult struct {
	WasNew      bool  // the database had no schema before
	FromVersion int64 // schema version before
	ToVersion   int64 // schema version after
}

// provider applies a migration numbered below the database's version too:
// numbers are reserved when work starts and land when it is done (00007
// landed after 00010), and none of ours depends on a later one.
func (d *DB) provider() (*goose.Provider, error) {
	return goose.NewProvider(goose.DialectSQLite3, d.SQL, migrations.SQLite, goose.WithAllowOutofOrder(true))
}

// Versions returns the database's schema version and the newest this build knows.
func (d *DB) Versions(ctx context.Context) (current, latest int64, err error) {
	p, err := d.provider()
	if err != nil {
		return 0, 0, err
	}
	current, err = p.GetDBVersion(ctx)
	if err != nil {
		return 0, 0, err
	}
	srcs := p.ListSources()
	if len(srcs) > 0 {
		latest = srcs[len(srcs)-1].Version
	}
	return current, latest, nil
}

// Migrate applies the app's migrations and River's. It refuses to touch a
// database whose schema is newer than this build: running old code on a new
// schema could corrupt data the newer code relies on.
func (d *DB) Migrate(ctx context.Context) (MigrateResult, error) {
	var res MigrateResult
	cur, latest, err := d.Versions(ctx)
	if err != nil {
		return res, fmt.Errorf("read schema version: %w", err)
	}
	res.FromVersion, res.WasNew = cur, cur == 0
	if cur > latest {
		return res, fmt.Errorf("%w: database %s is at schema version %d, this program knows up to %d; run a newer sellercenter", ErrSchemaTooNew, d.Path, cur, latest)
	}
	p, err := d.provider()
	if err != nil {
		return res, err
	}
	if _, err := p.Up(ctx); err != nil {
		return res, fmt.Errorf("migrate: %w", err)
	}
	m, err := rivermigrate.New(riversqlite.New(d.SQL), nil)
	if err != nil {
		return res, fmt.Errorf("river migrate: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return res, fmt.Errorf("river migrate: %w", err)
	}
	res.ToVersion = latest
	return res, nil
}
