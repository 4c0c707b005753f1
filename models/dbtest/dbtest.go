// Package dbtest opens a migrated database for tests: a temp-file SQLite
// database (a file, not :memory:, because WAL and locking only behave like
// production on disk), or with SELLERCENTER_TEST_POSTGRES set a PostgreSQL
// database of the test's own.
package dbtest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/sellercenter/sellercenter/models/db"
)

// Open returns a migrated database in t's temp dir, closed at cleanup.
func Open(t testing.TB) *db.DB {
	t.Helper()
	if dsn := os.Getenv(PostgresEnv); dsn != "" {
		return openPostgres(t, dsn)
	}
	path := filepath.Join(t.TempDir(), "test.db")
	d, err := db.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open test db: %v", err)
	}
	t.Cleanup(func() { _ = d.Close() })
	if _, err := d.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate test db: %v", err)
	}
	return d
}

// Count is the number of rows of table matching where ("" for all).
func Count(t testing.TB, d *db.DB, table, where string, args ...any) int64 {
	t.Helper()
	var n int64
	q := "SELECT count(*) FROM " + table
	if where != "" {
		q += " WHERE " + where
	}
	if err := d.SQL.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Row reads the row of model T with primary key id, failing the test when
// it is missing.
func Row[T any](t testing.TB, d *db.DB, id int64) T {
	t.Helper()
	var v T
	if err := d.Gorm.First(&v, id).Error; err != nil {
		t.Fatalf("row %d: %v", id, err)
	}
	return v
}
