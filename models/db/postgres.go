package db

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/plugin/dbresolver"
)

// PoolSize is the PostgreSQL pool's size per instance unless the DSN sets
// pool_max_conns: River's 200 workers wait on endpoints, not connections,
// and each holds one only for its short transactions.
const PoolSize = 40

// ReplicasEnv lists read replicas (comma-separated postgres:// DSNs).
const ReplicasEnv = "SELLERCENTER_DB_REPLICAS"

// Reads names the resolver of list pages and exports: with replicas set they
// read there (a list a moment behind is acceptable), everything else,
// including a page's read right after its own write, stays on the primary.
const Reads = "reads"

// openPostgres opens PostgreSQL through pgx: one pgxpool, exposed to GORM
// and River as database/sql (so a GORM transaction is also River's), and
// read replicas from SELLERCENTER_DB_REPLICAS for the Reads resolver.
func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	pool, err := newPGPool(ctx, dsn)
	if err != nil {
		return nil, err
	}
	sqlDB := sql.OpenDB(rebindConnector{stdlib.GetPoolConnector(pool)})
	g, err := gorm.Open(postgres.New(postgres.Config{Conn: sqlDB}), gormConfig())
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("open database %s: %w", Redacted(dsn), err)
	}
	d := &DB{Gorm: g, SQL: sqlDB, DSN: dsn, engine: PostgreSQL, pg: pool}
	if env := strings.TrimSpace(os.Getenv(ReplicasEnv)); env != "" {
		var replicas []gorm.Dialector
		for _, r := range strings.Split(env, ",") {
			rp, err := newPGPool(ctx, strings.TrimSpace(r))
			if err != nil {
				_ = d.Close()
				return nil, fmt.Errorf("%s: %w", ReplicasEnv, err)
			}
			d.replicas = append(d.replicas, rp)
			replicas = append(replicas, postgres.New(postgres.Config{Conn: stdlib.OpenDBFromPool(rp)}))
		}
		// Only the named resolver reads from replicas; every other query
		// stays on the primary.
		if err := g.Use(dbresolver.Register(dbresolver.Config{Replicas: replicas}, Reads)); err != nil {
			_ = d.Close()
			return nil, err
		}
	}
	if err := d.Ping(ctx); err != nil {
		_ = d.Close()
		return nil, fmt.Errorf("database %s: %w", Redacted(dsn), err)
	}
	return d, nil
}

func newPGPool(ctx context.Context, dsn string) (*pgxpool.Pool, error) {
	cfg, err := newPGPoolConfig(dsn)
	if err != nil {
		return nil, err
	}
	return newPGPoolFrom(ctx, cfg)
}

func newPGPoolConfig(dsn string) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", Redacted(dsn), err)
	}
	if !strings.Contains(dsn, "pool_max_conns") {
		cfg.MaxConns = PoolSize
	}
	cfg.MaxConnIdleTime = 5 * time.Minute
	// Every session works in UTC, as the app stores time.
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	return cfg, nil
}

func newPGPoolFrom(ctx context.Context, cfg *pgxpool.Config) (*pgxpool.Pool, error) {
	p, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", Redacted(cfg.ConnString()), err)
	}
	return p, nil
}

// ListReads sends a list page's or an export's query to the read replicas
// when there are any (on SQLite, to the read pool as every read).
func ListReads(tx *gorm.DB) *gorm.DB { return tx.Clauses(dbresolver.Use(Reads)) }
