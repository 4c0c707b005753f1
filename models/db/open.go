package db

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"net/url"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	"gorm.io/plugin/dbresolver"
)

// DB is the opened database: GORM for the model packages, the raw pool for
// goose and River.
type DB struct {
	Gorm  *gorm.DB
	SQL   *sql.DB // SQLite: the write pool (one connection); goose and River use it
	reads *sql.DB // SQLite's read pool; nil on PostgreSQL
	Path  string  // the SQLite file; "" on PostgreSQL
	DSN   string  // what Open was given

	engine   Engine
	pg       *pgxpool.Pool   // PostgreSQL: the pool behind SQL
	replicas []*pgxpool.Pool // PostgreSQL read replicas
}

// Engine is the engine this database runs on.
func (d *DB) Engine() Engine { return d.engine }

// DSN builds the mattn/go-sqlite3 connection string. busy_timeout comes first
// so the connection already waits on locks while WAL is being switched on;
// _txlock=immediate takes the write lock at BEGIN, which removes the
// lock-upgrade deadlocks deferred transactions hit under concurrent writers.
// _stmt_cache_size keeps each connection's prepared statements: the driver
// reuses one for the same SQL text, in and out of transactions alike.
func DSN(path string) string {
	q := url.Values{}
	q.Set("_busy_timeout", "10000")
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", "NORMAL")
	q.Set("_txlock", "immediate")
	q.Set("_cache_size", "-32000")
	q.Set("_stmt_cache_size", "128")
	return "file:" + path + "?" + q.Encode()
}

// Open opens the database a DSN names: a postgres:// URL opens PostgreSQL
// (see openPostgres), anything else is a SQLite file, created if needed,
// whose pragmas are checked.
func Open(ctx context.Context, dsn string) (*DB, error) {
	if EngineOf(dsn) == PostgreSQL {
		return openPostgres(ctx, dsn)
	}
	return openSQLite(ctx, dsn)
}

func gormConfig() *gorm.Config {
	gl := logger.New(log.New(os.Stderr, "gorm ", log.LstdFlags), logger.Config{
		SlowThreshold:             500 * time.Millisecond,
		LogLevel:                  logger.Warn,
		IgnoreRecordNotFoundError: true,
	})
	return &gorm.Config{
		Logger:         gl,
		TranslateError: true,
		NowFunc:        func() time.Time { return time.Now().UTC() },
		// Services open their own transactions; GORM's implicit one per
		// statement would only add a second BEGIN inside them.
		SkipDefaultTransaction: true,
		// No PrepareStmt: the driver's statement cache (DSN) already reuses
		// prepared statements. GORM's cache cannot inside a transaction: a
		// statement first prepared in one is bound to it, and database/sql
		// prepares it again in every later transaction.
	}
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	g, err := gorm.Open(sqlite.Open(DSN(path)), gormConfig())
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, err
	}
	// SQLite has one writer at a time. Writers on several connections wait
	// in SQLite's busy handler, which sleeps in steps of up to 100 ms; one
	// write connection queues them in Go instead, at no cost to reads, which
	// go to their own pool (WAL lets them run beside the writer).
	sqlDB.SetMaxOpenConns(1)
	sqlDB.SetMaxIdleConns(1)
	reads, err := OpenPool(path, 8)
	if err != nil {
		return nil, err
	}
	reads.SetConnMaxIdleTime(5 * time.Minute)
	if err := g.Use(dbresolver.Register(dbresolver.Config{
		Replicas: []gorm.Dialector{sqlite.Dialector{Conn: reads}},
	})); err != nil {
		return nil, err
	}
	d := &DB{Gorm: g, SQL: sqlDB, reads: reads, Path: path, DSN: path, engine: SQLite}
	if err := d.CheckPragmas(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, err
	}
	return d, nil
}

// CheckPragmas verifies WAL, the busy timeout and foreign keys are on: a DSN
// typo would otherwise silently give a database without them.
func (d *DB) CheckPragmas(ctx context.Context) error {
	if d.engine != SQLite {
		return nil
	}
	conn, err := d.SQL.Conn(ctx)
	if err != nil {
		return fmt.Errorf("database %s: %w", d.Path, err)
	}
	defer conn.Close()
	var mode string
	var busy, fk int
	if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return fmt.Errorf("database %s: %w", d.Path, err)
	}
	if err := conn.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil {
		return err
	}
	if err := conn.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
		return err
	}
	if mode != "wal" || busy < 1000 || fk != 1 {
		return fmt.Errorf("database %s: pragmas not applied (journal_mode=%s busy_timeout=%d foreign_keys=%d)", d.Path, mode, busy, fk)
	}
	return nil
}

// Ping tells whether the database answers a query.
func (d *DB) Ping(ctx context.Context) error {
	var one int
	return d.SQL.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Close closes the pools.
func (d *DB) Close() error {
	var rerr error
	if d.reads != nil {
		rerr = d.reads.Close()
	}
	err := d.SQL.Close()
	for _, r := range d.replicas {
		r.Close()
	}
	if d.pg != nil {
		d.pg.Close()
	}
	if err != nil {
		return err
	}
	return rerr
}

// OpenPool opens another pool on the same file (River's job runner wants its
// own, small one so its polling never queues behind page queries).
func OpenPool(path string, maxConns int) (*sql.DB, error) {
	p, err := sql.Open("sqlite3", DSN(path))
	if err != nil {
		return nil, err
	}
	p.SetMaxOpenConns(maxConns)
	p.SetMaxIdleConns(maxConns)
	return p, nil
}

// SQLTx returns the database/sql transaction behind a GORM transaction
// (through GORM's prepared-statement wrapper), for libraries such as River
// that insert their rows in the caller's transaction.
func SQLTx(tx *gorm.DB) *sql.Tx {
	switch t := tx.Statement.ConnPool.(type) {
	case *sql.Tx:
		return t
	case *gorm.PreparedStmtTX:
		st, _ := t.Tx.(*sql.Tx)
		return st
	}
	return nil
}
