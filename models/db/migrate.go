package db

import (
	"context"
	"errors"
	"fmt"

	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
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
	if d.engine == PostgreSQL {
		return goose.NewProvider(goose.DialectPostgres, d.SQL, migrations.PostgreSQL, goose.WithAllowOutofOrder(true))
	}
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
func (d *DB) Migrate(ctx context.Context) (res MigrateResult, err error) {
	// Instances starting together would race to migrate: one at a time.
	err = d.withMigrationLock(ctx, func() error {
		res, err = d.migrate(ctx)
		return err
	})
	return res, err
}

func (d *DB) migrate(ctx context.Context) (MigrateResult, error) {
	var res MigrateResult
	cur, latest, err := d.Versions(ctx)
	if err != nil {
		return res, fmt.Errorf("read schema version: %w", err)
	}
	res.FromVersion, res.WasNew = cur, cur == 0
	if cur > latest {
		return res, fmt.Errorf("%w: database %s is at schema version %d, this program knows up to %d; run a newer sellercenter", ErrSchemaTooNew, Redacted(d.DSN), cur, latest)
	}
	p, err := d.provider()
	if err != nil {
		return res, err
	}
	if _, err := p.Up(ctx); err != nil {
		return res, fmt.Errorf("migrate: %w", err)
	}
	if err := d.migrateRiver(ctx); err != nil {
		return res, err
	}
	res.ToVersion = latest
	return res, nil
}

// migrateRiver applies River's own migrations with the engine's driver.
func (d *DB) migrateRiver(ctx context.Context) error {
	if d.engine == PostgreSQL {
		m, err := rivermigrate.New(riverdatabasesql.New(d.SQL), nil)
		if err != nil {
			return fmt.Errorf("river migrate: %w", err)
		}
		_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
		return err
	}
	m, err := rivermigrate.New(riversqlite.New(d.SQL), nil)
	if err != nil {
		return fmt.Errorf("river migrate: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("river migrate: %w", err)
	}
	return nil
}

// migrationLockKey is the advisory lock instances migrate under.
const migrationLockKey = 0x5e11e7

// withMigrationLock runs fn holding PostgreSQL's session advisory lock (on
// SQLite the file's own write lock already serialises migrations).
func (d *DB) withMigrationLock(ctx context.Context, fn func() error) error {
	if d.engine != PostgreSQL {
		return fn()
	}
	conn, err := d.SQL.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLockKey); err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLockKey) //nolint:errcheck
	return fn()
}
