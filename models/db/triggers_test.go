package db_test

import (
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models/dbtest"
)

// The triggers keep rollups and flags the application reads instead of the
// rows; each engine writes them its own way (SQLite trigger bodies,
// PostgreSQL PL/pgSQL functions). These tests drive inserts, updates of
// keyed and unkeyed columns and deletes through plain SQL on each engine
// and check every rollup against the same totals computed in Go from the
// rows left.

// engine is one database under test; q rewrites ? placeholders for it.
type engine struct {
	name string
	db   *sql.DB
	pg   bool
}

func engines(t *testing.T) []engine {
	es := []engine{{name: "sqlite", db: openSQLite(t).SQL}}
	if dbtest.OnPostgres() {
		es = append(es, engine{name: "postgres", db: dbtest.Open(t).SQL, pg: true})
	}
	return es
}

func (e engine) q(query string) string {
	if !e.pg {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (e engine) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	if _, err := e.db.Exec(e.q(query), args...); err != nil {
		t.Fatalf("%s: %s: %v", e.name, query, err)
	}
}

// rows reads a query's rows as "a|b|c" strings, sorted.
func (e engine) rows(t *testing.T, query string) []string {
	t.Helper()
	rs, err := e.db.Query(e.q(query))
	if err != nil {
		t.Fatalf("%s: %s: %v", e.name, query, err)
	}
	defer rs.Close()
	cols, _ := rs.Columns()
	var out []string
	for rs.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = v.String
		}
		out = append(out, strings.Join(parts, "|"))
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func at(s string) time.Time {
	v, err := time.Parse("2006-01-02 15:04:05", s)
	if err != nil {
		panic(err)
	}
	return v.UTC()
}

func seedOrderParents(t *testing.T, e engine) {
	t0 := at("2026-10-01 00:00:00")
	for _, m := range []int{1, 2} {
		e.exec(t, `INSERT INTO merchants (id, slug, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
			m, fmt.Sprint("m", m), fmt.Sprint("M", m), t0, t0)
		e.exec(t, `INSERT INTO buyers (id, customer_id, created_at, updated_at) VALUES (?, ?, ?, ?)`, m, fmt.Sprint("c", m), t0, t0)
		e.exec(t, `INSERT INTO products (id, merchant_id, product_id, name, kind, charging_mode, created_at, updated_at)
			VALUES (?, ?, ?, 'p', 'saas', 'PERIOD', ?, ?)`, m, m, fmt.Sprint("P", m), t0, t0)
		e.exec(t, `INSERT INTO orders (id, merchant_id, order_id, order_type, buyer_id, status, amount, currency, created_at,
			received_at, updated_at, request_hash) VALUES (?, ?, ?, 'NEW', ?, 'processing', 0, 'CNY', ?, ?, ?, '')`,
			m, m, fmt.Sprint("O", m), m, t0, t0, t0)
	}
}

func TestOrderLineRollupsFollowTheLines(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			seedOrderParents(t, e)
			ins := `INSERT INTO order_lines (id, order_ref, merchant_id, order_line_id, product_ref, charging_mode, amount, currency,
				status, updated_at, order_code, order_type, ordered_at, buyer_ref, supervision)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
			now := at("2026-12-10 00:00:00")
			var noBuyer, noTime any
			for _, l := range []struct {
				id, m                                  int
				code, typ, status, mode, sup, currency string
				amount                                 int64
				orderedAt, buyer                       any
			}{
				{1, 1, "CS2611010001", "NEW", "completed", "PERIOD", "none", "CNY", 100, at("2026-11-01 10:15:00"), 1},
				{2, 1, "CS2611010002", "NEW", "processing", "PERIOD", "none", "CNY", 250, at("2026-11-01 10:45:00"), 1},
				{3, 1, "CS2611020001", "RENEW", "completed", "PERIOD", "none", "USD", 70, at("2026-11-02 23:59:59"), noBuyer},
				{4, 1, "CS2612010001", "UNSUBSCRIBE", "unsubscribed", "PERIOD", "none", "CNY", -40, at("2026-12-01 00:00:00"), 2},
				{5, 2, "CS2611010003", "NEW", "completed", "ONE_TIME", "done", "CNY", 500, noTime, 2},
				{6, 1, "CS2611010004", "NEW", "processing", "PERIOD", "none", "CNY", 30, at("2026-11-01 10:59:59"), 1},
			} {
				e.exec(t, ins, l.id, l.m, l.m, fmt.Sprint("L", l.id), l.m, l.mode, l.amount, l.currency, l.status, now,
					l.code, l.typ, l.orderedAt, l.buyer, l.sup)
			}
			check := func(step string) {
				t.Helper()
				for table, want := range expectedOrderRollups(t, e) {
					got := e.rows(t, rollupQueries[table])
					if strings.Join(got, "\n") != strings.Join(want, "\n") {
						t.Fatalf("%s after %s:\n%s\nwant (from the lines):\n%s", table, step, strings.Join(got, "\n"), strings.Join(want, "\n"))
					}
				}
			}
			check("inserts")
			e.exec(t, `UPDATE order_lines SET status = 'completed' WHERE id = 2`)
			check("a status change")
			e.exec(t, `UPDATE order_lines SET ordered_at = ?, amount = 120 WHERE id = 1`, at("2026-10-31 23:30:00"))
			check("a new month and amount")
			e.exec(t, `UPDATE order_lines SET buyer_ref = 1 WHERE id = 3`)
			e.exec(t, `UPDATE order_lines SET ordered_at = ? WHERE id = 5`, at("2026-11-05 08:00:00"))
			check("a buyer and a first order time")
			e.exec(t, `UPDATE order_lines SET status_reason = 'x', updated_at = ? WHERE id = 6`, now)
			check("an unkeyed update")
			e.exec(t, `DELETE FROM order_lines WHERE id IN (4, 6)`)
			check("deletes")
			if got := e.rows(t, `SELECT count(*) FROM order_totals_time WHERE n = 0`); got[0] != "0" {
				t.Fatalf("empty groups kept: %v", got)
			}
		})
	}
}

var rollupQueries = map[string]string{
	"order_totals_month": `SELECT merchant_id, month, code6, product_ref, order_type, status, charging_mode, supervision, currency, n, amount FROM order_totals_month`,
	"order_totals_day":   `SELECT merchant_id, day, code8, product_ref, order_type, status, charging_mode, supervision, currency, n, amount FROM order_totals_day`,
	"order_totals_all":   `SELECT merchant_id, currency, product_ref, order_type, status, charging_mode, supervision, n, amount FROM order_totals_all`,
	"order_totals_time":  `SELECT merchant_id, currency, grain, bucket, n, amount FROM order_totals_time`,
	"order_totals_buyer": `SELECT merchant_id, buyer_ref, currency, n, amount FROM order_totals_buyer`,
	"order_currencies":   `SELECT merchant_id, currency FROM order_currencies`,
}

// expectedOrderRollups computes every rollup from order_lines in Go: groups
// keyed like the migrations' comments say, by UTC month, day and hour.
func expectedOrderRollups(t *testing.T, e engine) map[string][]string {
	t.Helper()
	rs, err := e.db.Query(`SELECT merchant_id, ordered_at, order_code, product_ref, order_type, status, charging_mode, supervision,
		currency, amount, buyer_ref FROM order_lines`)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	type agg struct{ n, amount int64 }
	sums := map[string]map[string]*agg{}
	add := func(table, key string, amount int64) {
		if sums[table] == nil {
			sums[table] = map[string]*agg{}
		}
		if sums[table][key] == nil {
			sums[table][key] = &agg{}
		}
		sums[table][key].n++
		sums[table][key].amount += amount
	}
	currencies := map[string]bool{}
	for rs.Next() {
		var m, product, amount int64
		var orderedAt sql.NullTime
		var buyer sql.NullInt64
		var code, typ, status, mode, sup, currency string
		if err := rs.Scan(&m, &orderedAt, &code, &product, &typ, &status, &mode, &sup, &currency, &amount, &buyer); err != nil {
			t.Fatal(err)
		}
		var month, day, hour string
		if orderedAt.Valid {
			u := orderedAt.Time.UTC()
			month, day, hour = u.Format("2006-01"), u.Format("2006-01-02"), u.Format("2006-01-02 15")
		}
		rest := fmt.Sprintf("%d|%s|%s|%s|%s|%s", product, typ, status, mode, sup, currency)
		add("order_totals_month", fmt.Sprintf("%d|%s|%s|%s", m, month, prefix(code, 6), rest), amount)
		add("order_totals_day", fmt.Sprintf("%d|%s|%s|%s", m, day, prefix(code, 8), rest), amount)
		add("order_totals_all", fmt.Sprintf("%d|%s|%d|%s|%s|%s|%s", m, currency, product, typ, status, mode, sup), amount)
		add("order_totals_time", fmt.Sprintf("%d|%s|d|%s", m, currency, day), amount)
		add("order_totals_time", fmt.Sprintf("%d|%s|h|%s", m, currency, hour), amount)
		add("order_totals_buyer", fmt.Sprintf("%d|%d|%s", m, buyer.Int64, currency), amount)
		currencies[fmt.Sprintf("%d|%s", m, currency)] = true
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for table, groups := range sums {
		for k, a := range groups {
			out[table] = append(out[table], fmt.Sprintf("%s|%d|%d", k, a.n, a.amount))
		}
		sort.Strings(out[table])
	}
	for k := range currencies {
		out["order_currencies"] = append(out["order_currencies"], k)
	}
	sort.Strings(out["order_currencies"])
	return out
}

func prefix(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func TestInvoiceTriggersKeepTotalsAndLiveLines(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			seedOrderParents(t, e)
			now := at("2026-12-10 00:00:00")
			for id := 1; id <= 2; id++ {
				e.exec(t, `INSERT INTO order_lines (id, order_ref, merchant_id, order_line_id, product_ref, charging_mode, amount,
					currency, status, updated_at) VALUES (?, 1, 1, ?, 1, 'PERIOD', 100, 'CNY', 'completed', ?)`, id, fmt.Sprint("L", id), now)
			}
			inv := `INSERT INTO invoices (id, merchant_id, buyer_ref, customer_id, request_id, request_hash, source, title, kind, email,
				currency, amount, status, requested_at, overdue_at, invoice_number, file_storage, issued_at, created_at, updated_at)
				VALUES (?, 1, 1, 'c1', ?, '', 'api', 't', 'normal', 'a@b.test', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
			var never any
			for _, v := range []struct {
				id               int
				currency, status string
				amount           int64
				issuedAt         any
			}{
				{1, "CNY", "issued", 300, at("2026-11-03 12:00:00")},
				{2, "CNY", "pending", 200, never},
				{3, "USD", "issued", 50, at("2026-12-01 00:30:00")},
				{4, "CNY", "issued", 80, at("2026-11-30 23:59:00")},
			} {
				number := ""
				if v.status == "issued" {
					number = fmt.Sprint("N", v.id)
				}
				e.exec(t, inv, v.id, fmt.Sprint("R", v.id), v.currency, v.amount, v.status, now, now, number, number, v.issuedAt, now, now)
			}
			want := func(step string, rows ...string) {
				t.Helper()
				got := e.rows(t, `SELECT merchant_id, month, currency, n, amount FROM invoice_totals_month`)
				if strings.Join(got, " ") != strings.Join(rows, " ") {
					t.Fatalf("invoice_totals_month after %s: %v, want %v", step, got, rows)
				}
			}
			want("inserts", "1|2026-11|CNY|2|380", "1|2026-12|USD|1|50")
			e.exec(t, `UPDATE invoices SET status = 'issued', issued_at = ?, invoice_number = 'N2', file_storage = 'f2' WHERE id = 2`,
				at("2026-11-20 09:00:00"))
			e.exec(t, `UPDATE invoices SET status = 'returning' WHERE id = 1`)
			want("issuing and a return under way", "1|2026-11|CNY|3|580", "1|2026-12|USD|1|50")
			e.exec(t, `UPDATE invoices SET status = 'returned', red_letter_no = 'RL3' WHERE id = 3`)
			e.exec(t, `DELETE FROM invoices WHERE id = 4`)
			want("a return and a delete", "1|2026-11|CNY|2|500")
			e.exec(t, `UPDATE invoices SET status = 'returned', red_letter_no = 'RL1' WHERE id = 1`)
			want("a return completed", "1|2026-11|CNY|1|200")

			// A line is on one live invoice; a rejected request frees it.
			e.exec(t, `INSERT INTO invoices (id, merchant_id, buyer_ref, customer_id, request_id, request_hash, source, title, kind,
				email, currency, amount, status, requested_at, overdue_at, created_at, updated_at)
				VALUES (5, 1, 1, 'c1', 'R5', '', 'api', 't', 'normal', 'a@b.test', 'CNY', 100, 'pending', ?, ?, ?, ?)`, now, now, now, now)
			e.exec(t, `INSERT INTO invoice_lines (invoice_ref, merchant_id, order_line_ref, amount) VALUES (5, 1, 1, 100)`)
			if _, err := e.db.Exec(`INSERT INTO invoice_lines (invoice_ref, merchant_id, order_line_ref, amount) VALUES (2, 1, 1, 100)`); err == nil {
				t.Fatal("a line went on two live invoices")
			}
			e.exec(t, `UPDATE invoices SET status = 'rejected', reject_reason = 'no' WHERE id = 5`)
			if got := e.rows(t, `SELECT order_line_ref, live FROM invoice_lines`); len(got) != 1 || !isFalse(got[0], "1|") {
				t.Fatalf("line of a rejected invoice: %v", got)
			}
			e.exec(t, `INSERT INTO invoice_lines (invoice_ref, merchant_id, order_line_ref, amount) VALUES (2, 1, 1, 100)`)

			// Events are immutable.
			e.exec(t, `INSERT INTO invoice_events (invoice_ref, merchant_id, at, kind) VALUES (2, 1, ?, 'issued')`, now)
			for _, q := range []string{`UPDATE invoice_events SET kind = 'x'`, `DELETE FROM invoice_events`} {
				if _, err := e.db.Exec(q); err == nil || !strings.Contains(err.Error(), "invoice events are immutable") {
					t.Fatalf("%s: %v", q, err)
				}
			}
		})
	}
}

func TestPlatformFeeStatementsFollowTheirRequest(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			seedOrderParents(t, e)
			now := at("2026-12-10 00:00:00")
			e.exec(t, `INSERT INTO settlement_statements (id, merchant_id, month, currency, gross, fee, refunds, net, line_count,
				generated_at) VALUES (1, 1, '2026-11', 'CNY', 1000, 100, 0, 900, 3, ?)`, now)
			req := `INSERT INTO platform_fee_requests (id, merchant_id, kind, title, tax_id, email, currency, amount, status, created_at,
				updated_at) VALUES (?, 1, 'normal', 't', 'x', 'a@b.test', 'CNY', 100, 'pending', ?, ?)`
			e.exec(t, req, 1, now, now)
			e.exec(t, `INSERT INTO platform_fee_statements (request_ref, statement_ref) VALUES (1, 1)`)
			e.exec(t, req, 2, now, now)
			if _, err := e.db.Exec(`INSERT INTO platform_fee_statements (request_ref, statement_ref) VALUES (2, 1)`); err == nil {
				t.Fatal("a statement went on two live requests")
			}
			e.exec(t, `UPDATE platform_fee_requests SET status = 'rejected', reject_reason = 'no' WHERE id = 1`)
			if got := e.rows(t, `SELECT request_ref, live FROM platform_fee_statements`); len(got) != 1 || !isFalse(got[0], "1|") {
				t.Fatalf("statement of a rejected request: %v", got)
			}
			e.exec(t, `INSERT INTO platform_fee_statements (request_ref, statement_ref) VALUES (2, 1)`)
		})
	}
}

func TestSupervisionEventsAreImmutable(t *testing.T) {
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			seedOrderParents(t, e)
			now := at("2026-12-10 00:00:00")
			e.exec(t, `INSERT INTO order_lines (id, order_ref, merchant_id, order_line_id, product_ref, charging_mode, amount,
				currency, status, updated_at) VALUES (1, 1, 1, 'L1', 1, 'PERIOD', 100, 'CNY', 'supervising', ?)`, now)
			e.exec(t, `INSERT INTO supervision_flows (id, merchant_id, line_ref, order_ref, product_ref, buyer_ref, variant,
				acceptance_mode, sla_days, node, node_entered_at, started_at, created_at, updated_at)
				VALUES (1, 1, 1, 1, 1, 1, 'manual', 'manual', 30, 'requirements', ?, ?, ?, ?)`, now, now, now, now)
			e.exec(t, `INSERT INTO supervision_events (flow_ref, at, kind, party) VALUES (1, ?, 'started', 'system')`, now)
			for _, q := range []string{`UPDATE supervision_events SET text = 'x'`, `DELETE FROM supervision_events`} {
				if _, err := e.db.Exec(q); err == nil || !strings.Contains(err.Error(), "supervision events are immutable") {
					t.Fatalf("%s: %v", q, err)
				}
			}
		})
	}
}

// isFalse tells whether row is prefix followed by a false bool as either
// engine prints it (SQLite 0, PostgreSQL false).
func isFalse(row, prefix string) bool {
	return row == prefix+"0" || row == prefix+"false"
}
