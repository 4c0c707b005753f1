package orderseed

import (
	"context"
	"database/sql"
	"strings"
)

// batchRows is how many rows one INSERT carries (SQLite allows 32766
// parameters per statement; the widest table here has 17 columns).
const batchRows = 400

// batcher collects rows of one table and writes them as multi-row INSERTs
// with a statement prepared once per batch size.
type batcher struct {
	tx    *sql.Tx
	head  string
	ncols int
	rows  int
	args  []any
	stmts map[int]*sql.Stmt
}

func newBatcher(tx *sql.Tx, table string, cols []string) *batcher {
	return &batcher{tx: tx, ncols: len(cols), stmts: map[int]*sql.Stmt{},
		head: "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "}
}

func (b *batcher) add(ctx context.Context, vals ...any) error {
	if len(vals) != b.ncols {
		panic("orderseed: " + b.head + ": wrong number of values")
	}
	b.args = append(b.args, vals...)
	b.rows++
	if b.rows == batchRows {
		return b.flush(ctx)
	}
	return nil
}

func (b *batcher) flush(ctx context.Context) error {
	if b.rows == 0 {
		return nil
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

func (b *batcher) close() {
	for _, st := range b.stmts {
		_ = st.Close()
	}
}
