package db

import (
	"context"
	"database/sql"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
)

// JobDriver is River's driver for this database and a func releasing what it
// opened. Every engine gives River database/sql transactions, so a job is
// inserted in the same transaction as the rows it acts on.
//
// SQLite: River polls on its own small pool of the file, so its fetches
// never queue behind page queries.
// PostgreSQL: River shares the app's pool and hears new jobs through a pgx
// LISTEN connection (River's pgx driver), which is also how the instances'
// leader election learns of resignations.
func (d *DB) JobDriver(ctx context.Context) (riverdriver.Driver[*sql.Tx], func(), error) {
	if d.engine == PostgreSQL {
		cfg, err := newPGPoolConfig(d.DSN)
		if err != nil {
			return nil, nil, err
		}
		// River takes the listener's one connection out of the pool for good.
		cfg.MaxConns, cfg.MinConns = 1, 0
		lp, err := newPGPoolFrom(ctx, cfg)
		if err != nil {
			return nil, nil, err
		}
		return riverdatabasesql.NewWithPgxListener(d.SQL, lp), lp.Close, nil
	}
	pool, err := OpenPool(d.Path, 2)
	if err != nil {
		return nil, nil, err
	}
	return riversqlite.New(pool), func() { _ = pool.Close() }, nil
}
