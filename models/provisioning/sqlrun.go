package provisioning

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"gorm.io/gorm"
)

// sqlRun runs the dispatch path's statements on the transaction's connection
// through database/sql. SQLite has one writer: every microsecond a write
// transaction lasts holds up every other writer, and per statement GORM's
// reflection costs more than SQLite's own work does.
//
// On PostgreSQL the pool rebinds ? (models/db), and inserts read their id
// with RETURNING (pgx has no LastInsertId).
type sqlRun struct {
	ctx  context.Context
	tx   sqlConn
	hook func(query string, d time.Duration)
	pg   bool // PostgreSQL: insert reads the id with RETURNING
}

// sqlConn is a transaction, or (for reads) the database outside one.
type sqlConn interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *Service) run(tx *gorm.DB) sqlRun {
	return sqlRun{ctx: tx.Statement.Context, tx: sqlTx(tx), hook: s.sqlHook, pg: s.pg}
}

// read runs reads outside any transaction, on the read pool when the
// database has one (GORM's resolver sends a raw SELECT there), so they hold
// no write lock.
func (s *Service) read(ctx context.Context) sqlRun {
	return sqlRun{ctx: ctx, tx: gormReader{s.db}, hook: s.sqlHook}
}

type gormReader struct{ db *gorm.DB }

var errReadOnly = errors.New("provisioning: write outside a transaction")

func (g gormReader) ExecContext(context.Context, string, ...any) (sql.Result, error) {
	return nil, errReadOnly
}

func (g gormReader) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return g.db.WithContext(ctx).Raw(query, args...).Rows()
}

func (g gormReader) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return g.db.WithContext(ctx).Raw(query, args...).Row()
}

// exec runs a statement and returns how many rows it changed.
func (r sqlRun) exec(query string, args ...any) (int64, error) {
	t0 := r.start()
	res, err := r.tx.ExecContext(r.ctx, query, args...)
	r.done(query, t0)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// insert runs an INSERT and returns the new row's id, or 0 when it inserted
// nothing (ON CONFLICT DO NOTHING).
func (r sqlRun) insert(query string, args ...any) (int64, error) {
	if r.pg {
		var id int64
		err := r.row(query+" RETURNING id", args, &id)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, nil
		}
		return id, err
	}
	t0 := r.start()
	res, err := r.tx.ExecContext(r.ctx, query, args...)
	r.done(query, t0)
	if err != nil {
		return 0, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return 0, err
	}
	return res.LastInsertId()
}

// row runs a query of one row into dest; sql.ErrNoRows when there is none.
func (r sqlRun) row(query string, args []any, dest ...any) error {
	t0 := r.start()
	err := r.tx.QueryRowContext(r.ctx, query, args...).Scan(dest...)
	r.done(query, t0)
	return err
}

// strings runs a query of one text column.
func (r sqlRun) strings(query string, args ...any) ([]string, error) {
	t0 := r.start()
	defer r.done(query, t0)
	rows, err := r.tx.QueryContext(r.ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func (r sqlRun) start() time.Time {
	if r.hook == nil {
		return time.Time{}
	}
	return time.Now()
}

func (r sqlRun) done(query string, t0 time.Time) {
	if r.hook != nil {
		r.hook(query, time.Since(t0))
	}
}
