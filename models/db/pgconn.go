package db

import (
	"context"
	"database/sql/driver"
	"regexp"

	"github.com/jackc/pgx/v5/stdlib"
)

// rebindConnector hands out pgx connections that accept SQLite's ?
// placeholders: the app's database/sql code (the dispatch path, tests,
// tools) is written once, with ?, and runs on both engines. A query that
// already numbers its parameters ($1 — GORM's and River's) is left alone, so
// PostgreSQL's own ? operators in River's queries are never touched.
type rebindConnector struct{ driver.Connector }

func (c rebindConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &rebindConn{conn.(*stdlib.Conn)}, nil
}

var numbered = regexp.MustCompile(`\$[0-9]`)

func pgText(q string) string {
	if numbered.MatchString(q) {
		return q
	}
	return Rebind(q)
}

// rebindConn is a pgx stdlib connection that rebinds query text.
type rebindConn struct{ *stdlib.Conn }

func (c *rebindConn) Prepare(q string) (driver.Stmt, error) { return c.Conn.Prepare(pgText(q)) }

func (c *rebindConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	return c.Conn.PrepareContext(ctx, pgText(q))
}

func (c *rebindConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.ExecContext(ctx, pgText(q), args)
}

func (c *rebindConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.QueryContext(ctx, pgText(q), args)
}
