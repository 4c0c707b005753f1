package db_test

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm/schema"

	"github.com/sellercenter/sellercenter/models/db"
	"github.com/sellercenter/sellercenter/models/dbtest"
)

// The schema-parity test keeps the two engines' schemas one schema. Both are
// described in one normalized form, one fact per line:
//
//	<table> column <name> <class> [not null] [default <value>]
//	<table> pk (<columns>)
//	<table> unique (<columns>)                       a UNIQUE constraint (its index name is the engine's)
//	<table> index <name> [unique] (<columns>) [partial]
//	<table> fk (<columns>) -> <table> (<columns>) on delete <action>
//	<table> checks <count>
//	<table> trigger <name> <before|after> <event> [of <columns>] [when]
//
// and the SQLite description is compared with testdata/schema.golden
// (rewritten by `go test ./models/db -run TestSchemaParity -update`); with
// SELLERCENTER_TEST_POSTGRES set the PostgreSQL description (of the
// database dbtest.Open migrates with db.Migrate) is compared with
// the same file, so neither engine can drift from it unnoticed.
//
// Type classes: integer, bool, text, time, blob, real. SQLite's declared
// types are loose (a bool is an INTEGER there), so an INTEGER column is
// "bool" when the GORM model field of that column is a bool, else
// "integer"; DATETIME is "time", TEXT "text", BLOB "blob", REAL "real".
// Tables without a GORM model (tablesWithoutModel) hold no bools.
// PostgreSQL's types map directly (bigint → integer, boolean → bool,
// timestamptz → time, text → text, bytea → blob, double → real).
//
// Primary-key columns count as NOT NULL on both engines (SQLite lets a
// non-INTEGER key hold NULL; nothing here writes one). Defaults compare as
// written, without PostgreSQL's casts, a bool column's 0/1 as false/true.
// An index column that is an expression is "<expr>". River's tables and
// goose's version table are their libraries' and left out.

var update = flag.Bool("update", false, "rewrite testdata/schema.golden from the SQLite schema")

const goldenPath = "testdata/schema.golden"

// tablesWithoutModel are written by SQL alone (triggers, rollups, settings):
// their INTEGER columns are integers. A new table needs a GORM model in
// allModels or a place here, so no bool column is classed by accident.
var tablesWithoutModel = map[string]bool{
	"app_settings": true, "invoice_totals_month": true, "order_currencies": true, "order_totals_all": true,
	"order_totals_buyer": true, "order_totals_day": true, "order_totals_month": true, "order_totals_time": true,
	"platform_notifications": true, // models.Notification through .Table()
	"settlement_run_rates":   true, "supervision_buyer_events": true, "endpoint_slots": true,
}

func TestSchemaParity(t *testing.T) {
	got := describeSQLite(t, openSQLite(t).SQL, boolColumns(t))
	if *update {
		if err := os.WriteFile(goldenPath, []byte(render(got)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := readGolden(t)
	compareDescriptions(t, "SQLite", want, got)
	if dbtest.OnPostgres() {
		compareDescriptions(t, "PostgreSQL", want, describePostgres(t, dbtest.Open(t).SQL))
	}
}

// The normalized form is a faithful description: facts a schema change
// touches change lines of it.
func TestSchemaDescriptionSeesChanges(t *testing.T) {
	d := openSQLite(t)
	bools := boolColumns(t)
	before := describeSQLite(t, d.SQL, bools)
	for _, q := range []string{
		`CREATE TABLE parity_probe (id INTEGER PRIMARY KEY, m INTEGER NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
			s TEXT NOT NULL DEFAULT 'x' CHECK (s <> ''), at DATETIME)`,
		`CREATE INDEX parity_probe_at ON parity_probe (m, at DESC) WHERE at IS NOT NULL`,
		`CREATE TRIGGER parity_probe_touch AFTER UPDATE OF s ON parity_probe BEGIN SELECT 1; END`,
	} {
		if _, err := d.SQL.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	after := describeSQLite(t, d.SQL, bools)
	_, added := diffLines(before, after)
	want := []string{
		"parity_probe checks 1",
		"parity_probe column at time",
		"parity_probe column id integer not null",
		"parity_probe column m integer not null",
		"parity_probe column s text not null default 'x'",
		"parity_probe fk (m) -> merchants (id) on delete cascade",
		"parity_probe index parity_probe_at (m, at desc) partial",
		"parity_probe pk (id)",
		"parity_probe table",
		"parity_probe trigger parity_probe_touch after update of s",
	}
	sort.Strings(added)
	if strings.Join(added, "\n") != strings.Join(want, "\n") {
		t.Fatalf("description of a new table:\n%s\nwant:\n%s", strings.Join(added, "\n"), strings.Join(want, "\n"))
	}
}

// openSQLite is a migrated SQLite database whatever engine dbtest opens.
func openSQLite(t *testing.T) *db.DB {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, filepath.Join(t.TempDir(), "parity.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return d
}

func readGolden(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatalf("%v (create it with -update)", err)
	}
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	return lines
}

func render(lines []string) string {
	return "# The schema both engines must have: models/db/schema_parity_test.go describes it.\n" +
		"# Regenerate from SQLite: go test ./models/db -run TestSchemaParity -update\n" +
		strings.Join(lines, "\n") + "\n"
}

func compareDescriptions(t *testing.T, engine string, want, got []string) {
	t.Helper()
	missing, extra := diffLines(want, got)
	if len(missing)+len(extra) == 0 {
		return
	}
	var b strings.Builder
	for _, l := range missing {
		fmt.Fprintf(&b, "- %s\n", l)
	}
	for _, l := range extra {
		fmt.Fprintf(&b, "+ %s\n", l)
	}
	t.Errorf("%s schema differs from %s (- golden only, + %s only):\n%s", engine, goldenPath, engine, b.String())
}

// diffLines returns the lines of a not in b and of b not in a, counting repeats.
func diffLines(a, b []string) (onlyA, onlyB []string) {
	n := map[string]int{}
	for _, l := range a {
		n[l]++
	}
	for _, l := range b {
		n[l]--
	}
	for _, l := range a {
		if n[l] > 0 {
			onlyA = append(onlyA, l)
			n[l]--
		}
	}
	for l, c := range n {
		for ; c < 0; c++ {
			onlyB = append(onlyB, l)
		}
	}
	sort.Strings(onlyB)
	return onlyA, onlyB
}

// boolColumns maps "table.column" to true for every GORM model bool field.
func boolColumns(t *testing.T) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	cache := &sync.Map{}
	for _, m := range allModels {
		sch, err := schema.Parse(m, cache, schema.NamingStrategy{})
		if err != nil {
			t.Fatalf("parse %T: %v", m, err)
		}
		for _, f := range sch.Fields {
			if f.DBName != "" && f.FieldType.Kind() == reflect.Bool {
				out[sch.Table+"."+f.DBName] = true
			}
		}
	}
	return out
}

// modelTables is the set of tables some GORM model maps.
func modelTables(t *testing.T) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	cache := &sync.Map{}
	for _, m := range allModels {
		sch, err := schema.Parse(m, cache, schema.NamingStrategy{})
		if err != nil {
			t.Fatalf("parse %T: %v", m, err)
		}
		out[sch.Table] = true
	}
	return out
}

// Every table is either a model's (its bools are known) or listed as having none.
func TestEveryTableHasAModelOrNoBools(t *testing.T) {
	d := openSQLite(t)
	have := modelTables(t)
	for _, name := range queryStrings(t, d.SQL, `SELECT name FROM sqlite_master WHERE type = 'table'
		AND name NOT LIKE 'sqlite%' AND name NOT LIKE 'river%' AND name <> 'goose_db_version' ORDER BY name`) {
		if have[name] == tablesWithoutModel[name] {
			t.Errorf("table %s: in allModels %v, in tablesWithoutModel %v (want exactly one)", name, have[name], tablesWithoutModel[name])
		}
	}
}

func queryStrings(t *testing.T, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// tableFacts gathers one table's lines in a fixed order.
type tableFacts struct {
	columns, keys, indexes, fks, triggers []string
	checks                                int
}

func (f tableFacts) lines(table string) []string {
	out := []string{table + " table"}
	for _, group := range [][]string{f.columns, f.keys, f.indexes, f.fks, f.triggers} {
		sort.Strings(group)
		for _, l := range group {
			out = append(out, table+" "+l)
		}
	}
	return append(out, fmt.Sprintf("%s checks %d", table, f.checks))
}

func columnLine(name, class string, notNull bool, dflt string) string {
	s := "column " + name + " " + class
	if notNull {
		s += " not null"
	}
	if dflt != "" {
		s += " default " + dflt
	}
	return s
}

var (
	sqlComment   = regexp.MustCompile(`--[^\n]*`)
	sqlString    = regexp.MustCompile(`'(?:[^']|'')*'`)
	sqlCheck     = regexp.MustCompile(`(?i)\bCHECK\s*\(`)
	sqliteTrigRe = regexp.MustCompile(`(?is)^CREATE\s+TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?"?(\w+)"?\s+(BEFORE|AFTER|INSTEAD\s+OF)?\s*(INSERT|DELETE|UPDATE)(?:\s+OF\s+(.*?))?\s+ON\s+"?\w+"?(.*?)\bBEGIN\b`)
	pgCast       = regexp.MustCompile(`::[a-z ]+$`)
)

func sqliteClass(declared string, isBool bool) string {
	d := strings.ToUpper(declared)
	switch {
	case strings.Contains(d, "INT"):
		if isBool {
			return "bool"
		}
		return "integer"
	case strings.Contains(d, "DATE"), strings.Contains(d, "TIME"):
		return "time"
	case strings.Contains(d, "CHAR"), strings.Contains(d, "TEXT"), strings.Contains(d, "CLOB"):
		return "text"
	case strings.Contains(d, "BLOB"):
		return "blob"
	case strings.Contains(d, "REAL"), strings.Contains(d, "FLOA"), strings.Contains(d, "DOUB"):
		return "real"
	}
	return "unknown(" + declared + ")"
}

func describeSQLite(t *testing.T, db *sql.DB, bools map[string]bool) []string {
	t.Helper()
	var out []string
	type tbl struct{ name, sql string }
	var tables []tbl
	rows, err := db.Query(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'
		AND name NOT LIKE 'river%' AND name <> 'goose_db_version' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var x tbl
		if err := rows.Scan(&x.name, &x.sql); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, x)
	}
	_ = rows.Close()
	for _, tb := range tables {
		var f tableFacts
		// columns and the primary key
		type pkCol struct {
			pos  int
			name string
		}
		var pk []pkCol
		crows, err := db.Query(`SELECT name, type, "notnull", coalesce(dflt_value, ''), pk FROM pragma_table_info(?)`, tb.name)
		if err != nil {
			t.Fatal(err)
		}
		for crows.Next() {
			var name, typ, dflt string
			var notNull bool
			var pkPos int
			if err := crows.Scan(&name, &typ, &notNull, &dflt, &pkPos); err != nil {
				t.Fatal(err)
			}
			class := sqliteClass(typ, bools[tb.name+"."+name])
			if class == "bool" {
				dflt = map[string]string{"0": "false", "1": "true"}[dflt]
			}
			f.columns = append(f.columns, columnLine(name, class, notNull || pkPos > 0, dflt))
			if pkPos > 0 {
				pk = append(pk, pkCol{pkPos, name})
			}
		}
		_ = crows.Close()
		sort.Slice(pk, func(i, j int) bool { return pk[i].pos < pk[j].pos })
		var pkNames []string
		for _, c := range pk {
			pkNames = append(pkNames, c.name)
		}
		if len(pkNames) > 0 {
			f.keys = append(f.keys, "pk ("+strings.Join(pkNames, ", ")+")")
		}
		// indexes: UNIQUE constraints unnamed, the primary key's skipped
		type idx struct {
			name, origin    string
			unique, partial bool
		}
		var idxs []idx
		irows, err := db.Query(`SELECT name, "unique", origin, partial FROM pragma_index_list(?)`, tb.name)
		if err != nil {
			t.Fatal(err)
		}
		for irows.Next() {
			var x idx
			if err := irows.Scan(&x.name, &x.unique, &x.origin, &x.partial); err != nil {
				t.Fatal(err)
			}
			idxs = append(idxs, x)
		}
		_ = irows.Close()
		for _, x := range idxs {
			if x.origin == "pk" {
				continue
			}
			var cols []string
			xrows, err := db.Query(`SELECT coalesce(name, ''), "desc" FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno`, x.name)
			if err != nil {
				t.Fatal(err)
			}
			for xrows.Next() {
				var name string
				var desc bool
				if err := xrows.Scan(&name, &desc); err != nil {
					t.Fatal(err)
				}
				cols = append(cols, indexColumn(name, desc))
			}
			_ = xrows.Close()
			f.indexes = append(f.indexes, indexLine(x.name, x.origin == "u", x.unique, x.partial, cols))
		}
		// foreign keys, grouped by constraint
		type fk struct {
			table, onDelete string
			from, to        []string
		}
		fks := map[int]*fk{}
		frows, err := db.Query(`SELECT id, "table", "from", coalesce("to", ''), on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq`, tb.name)
		if err != nil {
			t.Fatal(err)
		}
		for frows.Next() {
			var id int
			var table, from, to, onDelete string
			if err := frows.Scan(&id, &table, &from, &to, &onDelete); err != nil {
				t.Fatal(err)
			}
			if fks[id] == nil {
				fks[id] = &fk{table: table, onDelete: onDelete}
			}
			fks[id].from = append(fks[id].from, from)
			fks[id].to = append(fks[id].to, to)
		}
		_ = frows.Close()
		for _, k := range fks {
			f.fks = append(f.fks, fkLine(k.from, k.table, k.to, k.onDelete))
		}
		// CHECK constraints: counted in the table's SQL, comments and strings aside
		body := sqlString.ReplaceAllString(sqlComment.ReplaceAllString(tb.sql, ""), "''")
		f.checks = len(sqlCheck.FindAllString(body, -1))
		// triggers
		for _, trig := range queryStrings(t, db, `SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?`, tb.name) {
			m := sqliteTrigRe.FindStringSubmatch(sqlComment.ReplaceAllString(trig, ""))
			if m == nil {
				t.Fatalf("trigger not understood: %s", trig)
			}
			timing := strings.ToLower(strings.Join(strings.Fields(m[2]), " "))
			if timing == "" {
				timing = "before"
			}
			var of []string
			if m[4] != "" {
				for _, c := range strings.Split(m[4], ",") {
					of = append(of, strings.Trim(strings.TrimSpace(c), `"`))
				}
			}
			when := regexp.MustCompile(`(?i)\bWHEN\b`).MatchString(m[5])
			f.triggers = append(f.triggers, triggerLine(m[1], timing, strings.ToLower(m[3]), of, when))
		}
		out = append(out, f.lines(tb.name)...)
	}
	for _, v := range queryStrings(t, db, `SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name`) {
		out = append(out, v+" view")
	}
	return out
}

func indexColumn(name string, desc bool) string {
	if name == "" {
		name = "<expr>"
	}
	if desc {
		name += " desc"
	}
	return name
}

func indexLine(name string, constraint, unique, partial bool, cols []string) string {
	if constraint {
		return "unique (" + strings.Join(cols, ", ") + ")"
	}
	s := "index " + name
	if unique {
		s += " unique"
	}
	s += " (" + strings.Join(cols, ", ") + ")"
	if partial {
		s += " partial"
	}
	return s
}

func fkLine(from []string, table string, to []string, onDelete string) string {
	return fmt.Sprintf("fk (%s) -> %s (%s) on delete %s", strings.Join(from, ", "), table, strings.Join(to, ", "),
		strings.ToLower(onDelete))
}

func triggerLine(name, timing, event string, of []string, when bool) string {
	s := "trigger " + name + " " + timing + " " + event
	if len(of) > 0 {
		sort.Strings(of)
		s += " of " + strings.Join(of, ", ")
	}
	if when {
		s += " when"
	}
	return s
}

func describePostgres(t *testing.T, db *sql.DB) []string {
	t.Helper()
	var out []string
	tables := queryStrings(t, db, `SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
		AND c.relkind = 'r' AND c.relname NOT LIKE 'river%' AND c.relname <> 'goose_db_version' ORDER BY 1`)
	for _, tb := range tables {
		var f tableFacts
		rows, err := db.Query(`SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
				coalesce(pg_get_expr(d.adbin, d.adrelid), '')
			FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
			WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped`, tb)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var name, typ, dflt string
			var notNull bool
			if err := rows.Scan(&name, &typ, &notNull, &dflt); err != nil {
				t.Fatal(err)
			}
			f.columns = append(f.columns, columnLine(name, pgClass(typ), notNull, pgCast.ReplaceAllString(dflt, "")))
		}
		_ = rows.Close()
		// indexes: the primary key as pk, UNIQUE constraints unnamed
		irows, err := db.Query(`SELECT i.relname, x.indisprimary, x.indisunique, x.indpred IS NOT NULL,
				EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.contype = 'u'),
				(SELECT string_agg(coalesce(a.attname, '') || CASE WHEN x.indoption[k.n - 1] & 1 = 1 THEN ' desc' ELSE '' END,
					',' ORDER BY k.n)
				 FROM unnest(x.indkey) WITH ORDINALITY AS k(attnum, n)
				 LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum AND k.attnum > 0)
			FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
			WHERE x.indrelid = $1::regclass`, tb)
		if err != nil {
			t.Fatal(err)
		}
		for irows.Next() {
			var name, cols string
			var primary, unique, partial, constraint bool
			if err := irows.Scan(&name, &primary, &unique, &partial, &constraint, &cols); err != nil {
				t.Fatal(err)
			}
			var list []string
			for _, c := range strings.Split(cols, ",") {
				if strings.HasPrefix(c, " desc") || c == "" {
					c = "<expr>" + c
				}
				list = append(list, c)
			}
			if primary {
				f.keys = append(f.keys, "pk ("+strings.Join(list, ", ")+")")
				continue
			}
			f.indexes = append(f.indexes, indexLine(name, constraint, unique, partial, list))
		}
		_ = irows.Close()
		frows, err := db.Query(`SELECT k.confrelid::regclass::text, k.confdeltype,
				(SELECT string_agg(a.attname, ',' ORDER BY u.n) FROM unnest(k.conkey) WITH ORDINALITY u(attnum, n)
				 JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum),
				(SELECT string_agg(a.attname, ',' ORDER BY u.n) FROM unnest(k.confkey) WITH ORDINALITY u(attnum, n)
				 JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.attnum)
			FROM pg_constraint k WHERE k.conrelid = $1::regclass AND k.contype = 'f'`, tb)
		if err != nil {
			t.Fatal(err)
		}
		for frows.Next() {
			var table, action, from, to string
			if err := frows.Scan(&table, &action, &from, &to); err != nil {
				t.Fatal(err)
			}
			onDelete := map[string]string{"a": "no action", "r": "restrict", "c": "cascade", "n": "set null", "d": "set default"}[action]
			f.fks = append(f.fks, fkLine(strings.Split(from, ","), table, strings.Split(to, ","), onDelete))
		}
		_ = frows.Close()
		if err := db.QueryRow(`SELECT count(*) FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'c'`, tb).
			Scan(&f.checks); err != nil {
			t.Fatal(err)
		}
		trows, err := db.Query(`SELECT g.tgname, g.tgtype, g.tgqual IS NOT NULL,
				coalesce((SELECT string_agg(a.attname, ',') FROM unnest(g.tgattr) u(attnum)
				 JOIN pg_attribute a ON a.attrelid = g.tgrelid AND a.attnum = u.attnum), '')
			FROM pg_trigger g WHERE g.tgrelid = $1::regclass AND NOT g.tgisinternal`, tb)
		if err != nil {
			t.Fatal(err)
		}
		for trows.Next() {
			var name, of string
			var typ int
			var when bool
			if err := trows.Scan(&name, &typ, &when, &of); err != nil {
				t.Fatal(err)
			}
			f.triggers = append(f.triggers, pgTriggerLine(name, typ, of, when))
		}
		_ = trows.Close()
		out = append(out, f.lines(tb)...)
	}
	for _, v := range queryStrings(t, db, `SELECT viewname FROM pg_views WHERE schemaname = 'public' ORDER BY 1`) {
		out = append(out, v+" view")
	}
	return out
}

// pgTriggerLine decodes pg_trigger.tgtype (ROW 1, BEFORE 2, INSERT 4,
// DELETE 8, UPDATE 16, INSTEAD 64); SQLite has row triggers only, so a
// statement trigger shows as such.
func pgTriggerLine(name string, typ int, of string, when bool) string {
	timing := "after"
	switch {
	case typ&64 != 0:
		timing = "instead of"
	case typ&2 != 0:
		timing = "before"
	}
	var events []string
	for _, e := range []struct {
		bit  int
		name string
	}{{4, "insert"}, {8, "delete"}, {16, "update"}} {
		if typ&e.bit != 0 {
			events = append(events, e.name)
		}
	}
	event := strings.Join(events, " or ")
	if typ&1 == 0 {
		event += " (statement)"
	}
	var cols []string
	if of != "" {
		cols = strings.Split(of, ",")
	}
	return triggerLine(name, timing, event, cols, when)
}

func pgClass(typ string) string {
	switch {
	case typ == "bigint", typ == "integer", typ == "smallint":
		return "integer"
	case typ == "boolean":
		return "bool"
	case typ == "text", strings.HasPrefix(typ, "character"):
		return "text"
	case strings.HasPrefix(typ, "timestamp"), typ == "date":
		return "time"
	case typ == "bytea":
		return "blob"
	case typ == "double precision", typ == "real", strings.HasPrefix(typ, "numeric"):
		return "real"
	}
	return "unknown(" + typ + ")"
}
