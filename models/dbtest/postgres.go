package dbtest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx" for the admin connection

	"github.com/sellercenter/sellercenter/migrations"
	"github.com/sellercenter/sellercenter/models/db"
)

// PostgresEnv names a PostgreSQL server (a DSN whose user may create
// databases) for the suite's second run: with it set, every test that opens
// a database gets its own PostgreSQL database instead of a SQLite file.
const PostgresEnv = "SELLERCENTER_TEST_POSTGRES"

// OnPostgres tells whether this run's databases are PostgreSQL.
func OnPostgres() bool { return os.Getenv(PostgresEnv) != "" }

var (
	adminOnce sync.Once
	admin     *sql.DB
	adminErr  error
	seq       atomic.Int64
)

// openPostgres clones a database migrated once per schema (a template named
// by the migrations' hash, built under an advisory lock so parallel test
// binaries build it once): CREATE DATABASE … TEMPLATE copies files, far
// faster than migrating each test's database.
func openPostgres(t testing.TB, dsn string) *db.DB {
	t.Helper()
	ctx := context.Background()
	adminOnce.Do(func() { admin, adminErr = sql.Open("pgx", dsn) })
	if adminErr != nil {
		t.Fatalf("%s: %v", PostgresEnv, adminErr)
	}
	tmpl, err := template(ctx, dsn)
	if err != nil {
		t.Fatalf("%s: template database: %v", PostgresEnv, err)
	}
	name := fmt.Sprintf("sct_%d_%d_%d", os.Getpid(), seq.Add(1), time.Now().UnixNano()%1e6)
	var cerr error
	for range 20 {
		// A clone fails while another session still holds the template.
		if _, cerr = admin.ExecContext(ctx, `CREATE DATABASE `+name+` TEMPLATE `+tmpl); cerr == nil ||
			!strings.Contains(cerr.Error(), "being accessed by other users") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if cerr != nil {
		t.Fatalf("create test database: %v", cerr)
	}
	d, err := db.Open(ctx, withDB(dsn, name))
	if err != nil {
		t.Fatalf("open test db: %v", err)
	}
	t.Cleanup(func() {
		_ = d.Close()
		_, _ = admin.ExecContext(context.Background(), `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
	})
	return d
}

var (
	tmplMu   sync.Mutex
	tmplName string
)

func template(ctx context.Context, dsn string) (string, error) {
	tmplMu.Lock()
	defer tmplMu.Unlock()
	if tmplName != "" {
		return tmplName, nil
	}
	h := sha256.New()
	err := fs.WalkDir(migrations.PostgreSQL, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.PostgreSQL, p)
		h.Write([]byte(p))
		h.Write(b)
		return err
	})
	if err != nil {
		return "", err
	}
	name := "sctmpl_" + hex.EncodeToString(h.Sum(nil))[:16]
	conn, err := admin.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(7351)`); err != nil {
		return "", err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(7351)`) //nolint:errcheck
	var n int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM pg_database WHERE datname = $1`, name).Scan(&n); err != nil {
		return "", err
	}
	if n == 0 {
		building := name + "_b"
		_, _ = conn.ExecContext(ctx, `DROP DATABASE IF EXISTS `+building+` WITH (FORCE)`)
		if _, err := conn.ExecContext(ctx, `CREATE DATABASE `+building); err != nil {
			return "", err
		}
		d, err := db.Open(ctx, withDB(dsn, building))
		if err != nil {
			return "", err
		}
		_, merr := d.Migrate(ctx)
		_ = d.Close()
		if merr != nil {
			return "", merr
		}
		// Renamed only once whole, so a failed build is never cloned.
		if _, err := conn.ExecContext(ctx, `ALTER DATABASE `+building+` RENAME TO `+name); err != nil {
			return "", err
		}
	}
	tmplName = name
	return name, nil
}

// withDB is dsn naming database name instead.
func withDB(dsn, name string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	u.Path = "/" + name
	return u.String()
}
