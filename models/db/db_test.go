package db_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/pressly/goose/v3"
	"gorm.io/gorm/schema"

	"github.com/sellercenter/sellercenter/migrations"
	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/db"
	"github.com/sellercenter/sellercenter/models/dbtest"
)

// allModels lists every GORM model; the schema test checks each against the
// migrated database, so a field without a column fails here, not in production.
var allModels = []any{
	&models.Merchant{}, &models.User{}, &models.Session{}, &models.LoginAttempt{}, &models.AuditEntry{},
	&models.Product{}, &models.Endpoint{}, &models.MerchantKey{}, &models.APIToken{}, &models.Buyer{},
	&models.Order{}, &models.OrderLine{}, &models.Instance{}, &models.Call{}, &models.InterfaceMessage{},
	&models.Notification{}, &models.TestCase{}, &models.DialRun{}, &models.ProductDialState{},
	&models.Export{}, &models.Invoice{}, &models.InvoiceLine{}, &models.InvoiceEvent{}, &models.InvoiceSettings{},
	&models.LineRefund{}, &models.CommissionRate{}, &models.SettlementStatement{}, &models.StatementLine{},
	&models.SettlementRun{},
	&models.PlatformFeeRequest{}, &models.PlatformFeeStatement{},
	&models.HolidayYear{}, &models.Holiday{}, &models.ReceptionSetting{}, &models.Ticket{}, &models.TicketEvent{},
	&models.TicketMessage{}, &models.TicketAttachment{}, &models.ChannelMessage{}, &models.Demand{},
	&models.DemandEvent{}, &models.DemandNote{}, &models.SupSettings{}, &models.SupFlow{}, &models.SupEvent{},
	&models.SupDocument{}, &models.SupAppealRow{}, &models.SupPolicy{}, &models.LoginThrottle{},
	&models.PasswordReset{}, &models.OutboxMail{}, &models.Invitation{},
}

func TestEveryModelFieldHasItsColumn(t *testing.T) {
	d := dbtest.Open(t)
	for _, m := range allModels {
		sch, err := schema.Parse(m, &sync.Map{}, d.Gorm.NamingStrategy)
		if err != nil {
			t.Fatalf("parse %T: %v", m, err)
		}
		cols, err := d.Gorm.Migrator().ColumnTypes(m)
		if err != nil {
			t.Fatalf("%s: %v", sch.Table, err)
		}
		have := map[string]bool{}
		for _, c := range cols {
			have[c.Name()] = true
		}
		for _, f := range sch.Fields {
			if f.DBName == "" {
				continue // relations
			}
			if !have[f.DBName] {
				t.Errorf("%s.%s (%s): no column %q after migrations", sch.Table, f.Name, reflect.TypeOf(m).Elem().Name(), f.DBName)
			}
		}
	}
}

func TestPragmasAreApplied(t *testing.T) {
	d := openSQLite(t) // SQLite's settings, whatever engine dbtest opens
	var mode string
	var fk, busy int
	if err := d.SQL.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if err := d.SQL.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil {
		t.Fatal(err)
	}
	if err := d.SQL.QueryRow("PRAGMA busy_timeout").Scan(&busy); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" || fk != 1 || busy != 10000 {
		t.Fatalf("journal_mode=%s foreign_keys=%d busy_timeout=%d", mode, fk, busy)
	}
	// Foreign keys are enforced, not just reported.
	_, err := d.SQL.Exec(`INSERT INTO sessions (id, user_id, created_at, expires_at, last_seen_at) VALUES ('x', 999, '2026-01-01', '2026-01-02', '2026-01-01')`)
	if err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
		t.Fatalf("orphan session inserted: %v", err)
	}
}

func TestRiverTablesAreMigrated(t *testing.T) {
	d := dbtest.Open(t)
	for _, table := range []string{"river_job", "river_leader", "river_queue"} {
		if !d.Gorm.Migrator().HasTable(table) {
			t.Errorf("river table %s missing", table)
		}
	}
}

func TestMigrateIsIdempotentAndReportsNewDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	ctx := context.Background()
	d, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	first, err := d.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	second, err := d.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !first.WasNew || second.WasNew || second.FromVersion != first.ToVersion || first.ToVersion < 1 {
		t.Fatalf("first=%+v second=%+v", first, second)
	}
}

func TestNewerSchemaRefusesToStart(t *testing.T) {
	d := dbtest.Open(t)
	_, latest, err := d.Versions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Gorm.Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, TRUE)`, latest+5).Error; err != nil {
		t.Fatal(err)
	}
	_, err = d.Migrate(context.Background())
	if !errors.Is(err, db.ErrSchemaTooNew) {
		t.Fatalf("want ErrSchemaTooNew, got %v", err)
	}
	if !strings.Contains(err.Error(), "newer sellercenter") {
		t.Fatalf("message does not tell what to do: %v", err)
	}
}

// migratedWithout returns a migrated database with migration v undone alone.
func migratedWithout(t *testing.T, v int64) *db.DB {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, d.SQL, migrations.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.ApplyVersion(ctx, v, false); err != nil {
		t.Fatal(err)
	}
	return d
}

// A migration that lands after later-numbered ones (00007 did) is still
// applied to a database already past its number.
func TestMigrationLandedOutOfOrderIsApplied(t *testing.T) {
	ctx := context.Background()
	// Make the database one that never had 00007: undo it alone.
	d := migratedWithout(t, 7)
	tables := func() (n int) {
		if err := d.SQL.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'order_totals_month'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	cur, latest, err := d.Versions(ctx)
	if err != nil || tables() != 0 || cur != latest {
		t.Fatalf("before: version %d of %d, %d totals tables, %v", cur, latest, tables(), err)
	}
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatalf("migrate with 00007 missing: %v", err)
	}
	if tables() != 1 {
		t.Fatal("00007 was not applied")
	}
}

// 00011 logs attempts once answered; an in-flight row an earlier build left
// belongs to a process that died, so the migration marks it interrupted.
func TestInFlightRowsOfEarlierBuildsBecomeInterrupted(t *testing.T) {
	ctx := context.Background()
	d := migratedWithout(t, 11)
	for _, q := range []string{
		`PRAGMA foreign_keys = OFF`,
		`INSERT INTO interface_messages (merchant_id, call_ref, attempt_no, at, activity, protocol, method, url, outcome)
			VALUES (1, 1, 1, '2026-11-01 10:00:00', 'newInstance', 'v1', '', '', 'in_flight'),
			       (1, 1, 2, '2026-11-01 10:02:00', 'newInstance', 'v1', 'POST', '', 'ok')`,
		`PRAGMA foreign_keys = ON`,
	} {
		if _, err := d.SQL.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var outcomes, classes string
	if err := d.SQL.QueryRow(`SELECT group_concat(outcome, ','), group_concat(error_class, ',') FROM
		(SELECT outcome, error_class FROM interface_messages ORDER BY attempt_no)`).Scan(&outcomes, &classes); err != nil {
		t.Fatal(err)
	}
	if outcomes != "interrupted,ok" || classes != "interrupted," {
		t.Fatalf("after 00011: outcomes %q, classes %q", outcomes, classes)
	}
}

// 00017 gives existing calls their order and line, closes the creates whose
// line was auto-unsubscribed (重新启动 is refused for them) and points the
// notifications that linked an attempt at its call.
func TestCallsLearnTheirOrderAndClosure(t *testing.T) {
	ctx := context.Background()
	d := migratedWithout(t, 17)
	for _, q := range []string{
		`PRAGMA foreign_keys = OFF`,
		`INSERT INTO order_lines (id, order_ref, merchant_id, order_line_id, product_ref, charging_mode, amount, currency, status,
			status_reason, updated_at, order_code) VALUES
			(1, 1, 1, 'ORD-F-1', 1, 'PERIOD', 100, 'CNY', 'provisioning_failed', 'auto_unsubscribed', '2026-11-01 12:00:00', 'ORD-F'),
			(2, 2, 1, 'ORD-R-1', 1, 'PERIOD', 100, 'CNY', 'processing', '', '2026-11-01 12:00:00', 'ORD-R')`,
		`INSERT INTO calls (id, merchant_id, activity, order_line_ref, state, interval_s, window_s, first_at, deadline_at, created_at, updated_at)
			VALUES (7, 1, 'newInstance', 1, 'failed', 120, 7200, '2026-11-01 10:00:00', '2026-11-01 12:00:00', '2026-11-01 10:00:00', '2026-11-01 12:00:00'),
			       (8, 1, 'refreshInstance', 2, 'failed', 120, 3600, '2026-11-01 10:00:00', '2026-11-01 11:00:00', '2026-11-01 10:00:00', '2026-11-01 11:00:00'),
			       (9, 1, 'releaseInstance', NULL, 'succeeded', 120, 3600, '2026-11-01 10:00:00', '2026-11-01 11:00:00', '2026-11-01 10:00:00', '2026-11-01 10:00:00')`,
		`INSERT INTO interface_messages (id, merchant_id, call_ref, attempt_no, at, activity, protocol, method, url, outcome)
			VALUES (500, 1, 8, 1, '2026-11-01 10:00:00', 'refreshInstance', 'v1', 'GET', '', 'error')`,
		`INSERT INTO notifications (merchant_id, type_code, msg_id, link, created_at) VALUES
			(1, 501, 'notify.call_failed', '/interface-messages/500', '2026-11-01 10:00:00'),
			(1, 501, 'notify.call_failed', '/interface-messages/999', '2026-11-01 10:00:00'),
			(1, 101, 'notify.other', '/orders/1', '2026-11-01 10:00:00')`,
		`PRAGMA foreign_keys = ON`,
	} {
		if _, err := d.SQL.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var got []string
	rows, err := d.SQL.Query(`SELECT id || ':' || order_id || ':' || order_line_id || ':' || (closed_at IS NOT NULL) FROM calls ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	_ = rows.Close()
	if strings.Join(got, " ") != "7:ORD-F:ORD-F-1:1 8:ORD-R:ORD-R-1:0 9:::0" {
		t.Fatalf("calls after 00017: %v", got)
	}
	var links string
	if err := d.SQL.QueryRow(`SELECT group_concat(link, ' ') FROM (SELECT link FROM notifications ORDER BY id)`).Scan(&links); err != nil {
		t.Fatal(err)
	}
	if links != "/interface-messages/8 /interface-messages/999 /orders/1" {
		t.Fatalf("notification links after 00017: %s", links)
	}
}
