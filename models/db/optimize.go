package db

import "context"

// Optimize lets SQLite refresh the statistics its query planner chooses
// indexes by (sqlite_stat1), as SQLite advises for long-lived connections:
// with startup set it checks every table and analyzes those whose
// statistics are missing (a new index) or stale, otherwise only the tables
// queries used since. SQLite bounds the work (analysis_limit), so it stays
// short on a large database. The order list's plans depend on these
// statistics: without them SQLite may walk the wrong index.
//
// PostgreSQL's autovacuum keeps its statistics; nothing to do there.
func (d *DB) Optimize(ctx context.Context, startup bool) error {
	if d.engine != SQLite {
		return nil
	}
	q := "PRAGMA optimize"
	if startup {
		q = "PRAGMA optimize=0x10002"
	}
	_, err := d.SQL.ExecContext(ctx, q)
	return err
}
