// Package bulk loads large synthetic data sets (benchmarks, `sellercenter
// bench seed`) fast: multi-row INSERTs, and secondary indexes and triggers
// dropped before the load and rebuilt once after it.
package bulk

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// batchRows is how many rows one INSERT carries (SQLite allows 32766
// parameters per statement; the widest table loaded has 25 columns).
const batchRows = 400

// Batch collects rows of one table and writes them as multi-row INSERTs
// with a statement prepared once per batch size.
type Batch struct {
	tx    *sql.Tx
	head  string
	ncols int
	rows  int
	args  []any
	stmts map[int]*sql.Stmt
	// Before, when set, runs ahead of every write (rows another batch
	// references must be written first).
	Before func(context.Context) error
}

// New is a batch of rows of table with cols, written in tx.
func New(tx *sql.Tx, table string, cols ...string) *Batch {
	return &Batch{tx: tx, ncols: len(cols), stmts: map[int]*sql.Stmt{},
		head: "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "}
}

// Add queues one row, writing the batch when it is full.
func (b *Batch) Add(ctx context.Context, vals ...any) error {
	if len(vals) != b.ncols {
		panic("bulk: " + b.head + ": wrong number of values")
	}
	b.args = append(b.args, vals...)
	b.rows++
	if b.rows == batchRows {
		return b.Flush(ctx)
	}
	return nil
}

// Flush writes the queued rows.
func (b *Batch) Flush(ctx context.Context) error {
	if b.rows == 0 {
		return nil
	}
	if b.Before != nil {
		if err := b.Before(ctx); err != nil {
			return err
		}
	}
	st, ok := b.stmts[b.rows]
	if !ok {
		one := "(" + strings.TrimSuffix(strings.Repeat("?,", b.ncols), ",") + ")"
		var err error
		if st, err = b.tx.PrepareContext(ctx, b.head+strings.TrimSuffix(strings.Repeat(one+",", b.rows), ",")); err != nil {
			return err
		}
		b.stmts[b.rows] = st
	}
	if _, err := st.ExecContext(ctx, b.args...); err != nil {
		return err
	}
	b.args, b.rows = b.args[:0], 0
	return nil
}

// Close releases the prepared statements.
func (b *Batch) Close() {
	for _, st := range b.stmts {
		_ = st.Close()
	}
}

// DropDerived drops the secondary indexes and triggers of tables and returns
// the statements that recreate them: building an index once from loaded
// data is much faster than maintaining it row by row.
func DropDerived(ctx context.Context, tx *sql.Tx, tables ...string) ([]string, error) {
	q := `SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name IN (?` +
		strings.Repeat(",?", len(tables)-1) + `) ORDER BY type = 'trigger', name`
	args := make([]any, len(tables))
	for i, t := range tables {
		args[i] = t
	}
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	var drops, creates []string
	for rows.Next() {
		var typ, name, sql string
		if err := rows.Scan(&typ, &name, &sql); err != nil {
			_ = rows.Close()
			return nil, err
		}
		drops = append(drops, "DROP "+strings.ToUpper(typ)+" "+name)
		creates = append(creates, sql)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, err
	}
	for _, d := range drops {
		if _, err := tx.ExecContext(ctx, d); err != nil {
			return nil, err
		}
	}
	return creates, nil
}

// Load runs fill in one transaction on one connection of db, with foreign
// keys off (the generators keep the references right; checking millions of
// them one by one is most of the cost otherwise) and the secondary indexes
// and triggers of tables dropped, then rebuilds those from their own
// definitions and commits. The connection is handed back before Load
// returns: the write pool may have only the one.
func Load(ctx context.Context, db *sql.DB, tables []string, fill func(tx *sql.Tx) error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return err
	}
	defer func() { _, _ = conn.ExecContext(ctx, `PRAGMA foreign_keys = ON`) }()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	rebuild, err := DropDerived(ctx, tx, tables...)
	if err != nil {
		return err
	}
	if err := fill(tx); err != nil {
		return err
	}
	for _, q := range rebuild {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("rebuild %q: %w", q, err)
		}
	}
	return tx.Commit()
}
