package sandbox

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"time"

	_ "github.com/mattn/go-sqlite3" // database/sql driver "sqlite3"
)

// Instance statuses.
const (
	StatusActive   = "ACTIVE"
	StatusFrozen   = "FROZEN"
	StatusReleased = "RELEASED"
)

// Instance is one provisioned SaaS instance as the sandbox keeps it.
type Instance struct {
	InstanceID   string    `json:"instanceId"`
	Version      string    `json:"version"`
	OrderID      string    `json:"orderId"`
	OrderLineID  string    `json:"orderLineId,omitempty"`
	ProductID    string    `json:"productId,omitempty"`
	BusinessID   string    `json:"businessId"`
	CustomerID   string    `json:"customerId,omitempty"`
	SKUCode      string    `json:"skuCode,omitempty"`
	ChargingMode string    `json:"chargingMode,omitempty"`
	Status       string    `json:"status"`
	ExpireTime   string    `json:"expireTime,omitempty"` // yyyyMMddHHmmss
	Trial        bool      `json:"trial"`
	AdminUser    string    `json:"adminUser"`
	Password     string    `json:"-"` // sandbox credentials, stored in clear on purpose
	ReadyAt      time.Time `json:"readyAt"`
	Refreshes    int       `json:"refreshes"` // applied refreshInstance orders
	Upgrades     int       `json:"upgrades"`  // applied upgrade orders
	TestFlag     string    `json:"testFlag,omitempty"`
	CreatedAt    time.Time `json:"createdAt"`
	UpdatedAt    time.Time `json:"updatedAt"`
}

var errNotFound = errors.New("sandbox: instance not found")

const schema = `
CREATE TABLE IF NOT EXISTS instances (
	instance_id   TEXT PRIMARY KEY,
	version       TEXT NOT NULL,
	order_id      TEXT NOT NULL,
	order_line_id TEXT NOT NULL DEFAULT '',
	product_id    TEXT NOT NULL DEFAULT '',
	business_id   TEXT NOT NULL,
	customer_id   TEXT NOT NULL DEFAULT '',
	sku_code      TEXT NOT NULL DEFAULT '',
	charging_mode TEXT NOT NULL DEFAULT '',
	status        TEXT NOT NULL,
	expire_time   TEXT NOT NULL DEFAULT '',
	trial         INTEGER NOT NULL DEFAULT 0,
	admin_user    TEXT NOT NULL,
	password      TEXT NOT NULL,
	ready_at_ms   INTEGER NOT NULL,
	refreshes     INTEGER NOT NULL DEFAULT 0,
	upgrades      INTEGER NOT NULL DEFAULT 0,
	test_flag     TEXT NOT NULL DEFAULT '',
	created_at_ms INTEGER NOT NULL,
	updated_at_ms INTEGER NOT NULL
);
-- The idempotency key of newInstance: V1 uses (orderId, productId) with an
-- empty line, V2 (orderId, orderLineId) with an empty product.
CREATE UNIQUE INDEX IF NOT EXISTS instances_order ON instances (order_id, order_line_id, product_id);
-- Orders already applied to an instance (renewals, upgrades): a repeat of
-- the same order must succeed without applying twice.
CREATE TABLE IF NOT EXISTS applied_orders (
	activity      TEXT NOT NULL,
	order_id      TEXT NOT NULL,
	order_line_id TEXT NOT NULL DEFAULT '',
	instance_id   TEXT NOT NULL REFERENCES instances (instance_id),
	applied_at_ms INTEGER NOT NULL,
	PRIMARY KEY (activity, order_id, order_line_id)
);
CREATE TABLE IF NOT EXISTS license_requests (
	event_id           TEXT NOT NULL,
	device_fingerprint TEXT NOT NULL,
	instance_id        TEXT NOT NULL,
	requested_at_ms    INTEGER NOT NULL,
	PRIMARY KEY (event_id, device_fingerprint)
);
CREATE TABLE IF NOT EXISTS order_notifications (
	order_id      TEXT NOT NULL,
	order_line_id TEXT NOT NULL,
	received      INTEGER NOT NULL,
	PRIMARY KEY (order_id, order_line_id)
);
`

type store struct {
	db *sql.DB
}

func openStore(path string) (*store, error) {
	// busy_timeout first matters with WAL; _txlock=immediate takes the write
	// lock at BEGIN so two concurrent creates of one order cannot both read
	// "absent" and then race to insert.
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_busy_timeout=5000&_journal_mode=WAL&_synchronous=NORMAL&_foreign_keys=on&_txlock=immediate"
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(4)
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("sandbox: schema: %w", err)
	}
	return &store{db: db}, nil
}

const instanceColumns = `instance_id, version, order_id, order_line_id, product_id, business_id, customer_id,
	sku_code, charging_mode, status, expire_time, trial, admin_user, password, ready_at_ms,
	refreshes, upgrades, test_flag, created_at_ms, updated_at_ms`

type scanner interface{ Scan(dest ...any) error }

func scanInstance(row scanner) (Instance, error) {
	var in Instance
	var readyAt, createdAt, updatedAt int64
	err := row.Scan(&in.InstanceID, &in.Version, &in.OrderID, &in.OrderLineID, &in.ProductID, &in.BusinessID,
		&in.CustomerID, &in.SKUCode, &in.ChargingMode, &in.Status, &in.ExpireTime, &in.Trial, &in.AdminUser,
		&in.Password, &readyAt, &in.Refreshes, &in.Upgrades, &in.TestFlag, &createdAt, &updatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return in, errNotFound
	}
	in.ReadyAt = time.UnixMilli(readyAt).UTC()
	in.CreatedAt = time.UnixMilli(createdAt).UTC()
	in.UpdatedAt = time.UnixMilli(updatedAt).UTC()
	return in, err
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func getInstance(ctx context.Context, q querier, id string) (Instance, error) {
	return scanInstance(q.QueryRowContext(ctx, `SELECT `+instanceColumns+` FROM instances WHERE instance_id = ?`, id))
}

func (s *store) get(ctx context.Context, id string) (Instance, error) {
	return getInstance(ctx, s.db, id)
}

// createOrGet returns the instance of the order, creating it on first sight.
// The whole step is one immediate transaction, so retries and concurrent
// duplicates of one order always see the same instance.
func (s *store) createOrGet(ctx context.Context, in Instance) (Instance, bool, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Instance{}, false, err
	}
	defer tx.Rollback()
	existing, err := scanInstance(tx.QueryRowContext(ctx, `SELECT `+instanceColumns+
		` FROM instances WHERE order_id = ? AND order_line_id = ? AND product_id = ?`,
		in.OrderID, in.OrderLineID, in.ProductID))
	if err == nil {
		return existing, false, nil
	}
	if !errors.Is(err, errNotFound) {
		return Instance{}, false, err
	}
	// The spec suggests the first businessId as instanceId; it is unique per
	// call, but a different order must never share an id, so fall back to a
	// random one if it is taken.
	if _, err := getInstance(ctx, tx, in.InstanceID); err == nil || in.InstanceID == "" {
		in.InstanceID = "sbx-" + randomHex(12)
	} else if !errors.Is(err, errNotFound) {
		return Instance{}, false, err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO instances (`+instanceColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?)`,
		in.InstanceID, in.Version, in.OrderID, in.OrderLineID, in.ProductID, in.BusinessID, in.CustomerID,
		in.SKUCode, in.ChargingMode, in.Status, in.ExpireTime, in.Trial, in.AdminUser, in.Password,
		in.ReadyAt.UnixMilli(), in.TestFlag, in.CreatedAt.UnixMilli(), in.UpdatedAt.UnixMilli())
	if err != nil {
		return Instance{}, false, err
	}
	if err := tx.Commit(); err != nil {
		return Instance{}, false, err
	}
	return in, true, nil
}

// applyOnce runs apply for an order the first time that order is seen for
// the instance; later repeats succeed without calling it. Unknown or
// released instances give errNotFound.
func (s *store) applyOnce(ctx context.Context, activity, orderID, orderLineID, instanceID string, now time.Time,
	apply func(tx *sql.Tx, in Instance) error) (applied bool, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	in, err := getInstance(ctx, tx, instanceID)
	if err != nil {
		return false, err
	}
	if in.Status == StatusReleased {
		return false, errNotFound
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO applied_orders (activity, order_id, order_line_id, instance_id, applied_at_ms)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, activity, orderID, orderLineID, instanceID, now.UnixMilli())
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	if err := apply(tx, in); err != nil {
		return false, err
	}
	return true, tx.Commit()
}

// setStatus moves a live instance to status; released instances are gone.
func (s *store) setStatus(ctx context.Context, id, status string, now time.Time) error {
	res, err := s.db.ExecContext(ctx, `UPDATE instances SET status = ?, updated_at_ms = ?
		WHERE instance_id = ? AND status <> ?`, status, now.UnixMilli(), id, StatusReleased)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errNotFound
	}
	return nil
}

// release marks an instance released; repeating it succeeds.
func (s *store) release(ctx context.Context, id string, now time.Time) error {
	res, err := s.db.ExecContext(ctx, `UPDATE instances SET status = ?, updated_at_ms = ? WHERE instance_id = ?`,
		StatusReleased, now.UnixMilli(), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errNotFound
	}
	return nil
}

func (s *store) recordLicense(ctx context.Context, eventID, fingerprint, instanceID string, now time.Time) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO license_requests (event_id, device_fingerprint, instance_id, requested_at_ms)
		VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, eventID, fingerprint, instanceID, now.UnixMilli())
	return err
}

func (s *store) recordNotification(ctx context.Context, orderID, orderLineID string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO order_notifications (order_id, order_line_id, received) VALUES (?, ?, 1)
		ON CONFLICT (order_id, order_line_id) DO UPDATE SET received = received + 1`, orderID, orderLineID)
	return err
}

func (s *store) notifications(ctx context.Context, orderID, orderLineID string) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT received FROM order_notifications WHERE order_id = ? AND order_line_id = ?`,
		orderID, orderLineID).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return n, err
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
