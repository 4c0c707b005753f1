package db

import "testing"

func TestRebindNumbersPlaceholdersOutsideLiterals(t *testing.T) {
	cases := map[string]string{
		`SELECT a FROM t WHERE id = ? AND b = ?`:        `SELECT a FROM t WHERE id = $1 AND b = $2`,
		`SELECT '?' , "a?b", x FROM t WHERE y = +?`:     `SELECT '?' , "a?b", x FROM t WHERE y = +$1`,
		`INSERT INTO t (a, b) VALUES (?, 'it''s ?', ?)`: `INSERT INTO t (a, b) VALUES ($1, 'it''s ?', $2)`,
		`SELECT 1`: `SELECT 1`,
	}
	for in, want := range cases {
		if got := Rebind(in); got != want {
			t.Errorf("Rebind(%q) = %q, want %q", in, got, want)
		}
		if got := Rebind(in); got != want { // cached
			t.Errorf("cached Rebind(%q) = %q", in, got)
		}
	}
}
