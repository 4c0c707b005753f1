package invoices

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/db"
	"github.com/sellercenter/sellercenter/models/dbtest"
)

// t0 is the tests' start: Monday 2026-11-23 10:00 in Shanghai.
var t0 = time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)

type tenv struct {
	t     testing.TB
	db    *db.DB
	clock *bizclock.Fake
	acc   *accounts.Service
	svc   *Service
	ids   map[string]int64 // slug → merchant id
	prod  map[string]int64 // slug → product id
}

const password = dbtest.Password

func newTEnv(t testing.TB) *tenv {
	t.Helper()
	d := dbtest.Open(t)
	clock := bizclock.NewFake(t0)
	acc := accounts.New(d.Gorm, clock, accounts.TestHashParams, accounts.DefaultLimits)
	svc, err := New(d.Gorm, clock, nil, Config{Dir: t.TempDir(), MaxFile: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	e := &tenv{t: t, db: d, clock: clock, acc: acc, svc: svc, ids: map[string]int64{}, prod: map[string]int64{}}
	dbtest.SeedPeople(t, acc, map[string]models.Role{"staff@acme.test": models.RoleOperations,
		"finance@acme.test": models.RoleFinance, "finance2@acme.test": models.RoleFinance, "ro@acme.test": models.RoleReadOnly})
	for _, m := range []string{"acme", "globex"} {
		var id int64
		d.SQL.QueryRow(`SELECT id FROM merchants WHERE slug = ?`, m).Scan(&id)
		e.ids[m] = id
		e.prod[m] = e.exec(`INSERT INTO products (merchant_id, product_id, name, kind, charging_mode, created_at, updated_at)
			VALUES (?, ?, ?, 'saas', 'PERIOD', '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00')`, id, "p-"+m, m)
	}
	ctx, sys := context.Background(), models.SystemActor("test")
	for _, c := range []string{"c-1", "c-2"} {
		if _, err := acc.AddUser(ctx, sys, "", accounts.NewUserInput{Email: c + "@buyer.test", Role: models.RoleBuyer,
			Password: password, CustomerID: c}); err != nil {
			t.Fatal(err)
		}
		e.exec(`INSERT INTO buyers (customer_id, name_masked, created_at, updated_at) VALUES (?, '王*', ?, ?)`, c, t0, t0)
	}
	return e
}

func (e *tenv) exec(q string, args ...any) int64 {
	e.t.Helper()
	res, err := e.db.SQL.Exec(q, args...)
	if err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
	id, _ := res.LastInsertId()
	return id
}

func (e *tenv) actor(email string) models.Actor { return dbtest.Actor(e.t, e.acc, email) }

func (e *tenv) finance() models.Actor { return e.actor("finance@acme.test") }
func (e *tenv) owner() models.Actor   { return e.actor("owner@acme.test") }

var market = models.SystemActor("marketplace")

// line is an order line to seed.
type line struct {
	id        string
	merchant  string
	customer  string
	orderType string
	amount    int64
	currency  string
	status    models.LineStatus
	instance  int64 // instance_ref; 0 for none
	at        time.Time
}

// seedLine inserts an order with one line and returns the line's id.
func (e *tenv) seedLine(l line) int64 {
	e.t.Helper()
	if l.merchant == "" {
		l.merchant = "acme"
	}
	if l.customer == "" {
		l.customer = "c-1"
	}
	if l.orderType == "" {
		l.orderType = models.OrderNew
	}
	if l.currency == "" {
		l.currency = "CNY"
	}
	if l.status == "" {
		l.status = models.LineCompleted
	}
	if l.at.IsZero() {
		l.at = t0.Add(-24 * time.Hour)
	}
	var buyer int64
	e.db.SQL.QueryRow(`SELECT id FROM buyers WHERE customer_id = ?`, l.customer).Scan(&buyer)
	mid := e.ids[l.merchant]
	o := e.exec(`INSERT INTO orders (merchant_id, order_id, order_type, buyer_id, status, amount, currency, created_at,
		received_at, updated_at, request_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '')`,
		mid, "O-"+l.id, l.orderType, buyer, l.status, l.amount, l.currency, l.at, l.at, l.at)
	var inst any
	if l.instance != 0 {
		inst = l.instance
	}
	return e.exec(`INSERT INTO order_lines (order_ref, merchant_id, order_line_id, product_ref, charging_mode, amount, currency,
		instance_ref, status, updated_at, order_code, order_type, ordered_at, buyer_ref)
		VALUES (?, ?, ?, ?, 'PERIOD', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		o, mid, l.id, e.prod[l.merchant], l.amount, l.currency, inst, l.status, l.at, "O-"+l.id, l.orderType, l.at, buyer)
}

// instanceFor makes an instance created by a line and points the line at it.
func (e *tenv) instanceFor(lineRef int64, merchant string) int64 {
	e.t.Helper()
	id := e.exec(`INSERT INTO instances (merchant_id, instance_id, product_id, status, creating_line_ref, created_at, updated_at)
		VALUES (?, ?, ?, 'normal', ?, ?, ?)`, e.ids[merchant], fmt.Sprintf("inst-%d", lineRef), e.prod[merchant], lineRef, t0, t0)
	e.exec(`UPDATE order_lines SET instance_ref = ? WHERE id = ?`, id, lineRef)
	return id
}

func party() models.InvoiceParty {
	return models.InvoiceParty{Kind: models.InvoiceNormal, Title: "杭州云帆科技有限公司", TaxID: "91350100M000100Y43",
		Email: "fin@yunfan.cn"}
}

// request asks for an invoice over lines through the marketplace.
func (e *tenv) request(reqID string, lines ...string) (*RequestView, bool, error) {
	return e.svc.Request(context.Background(), market, RequestInput{RequestID: reqID, CustomerID: "c-1",
		OrderLineIDs: lines, InvoiceParty: party()})
}

func (e *tenv) mustRequest(reqID string, lines ...string) *RequestView {
	e.t.Helper()
	v, _, err := e.request(reqID, lines...)
	if err != nil {
		e.t.Fatalf("request %s: %v", reqID, err)
	}
	return v
}

var pdf = []byte("%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")

func (e *tenv) issue(id, amount int64) *models.Invoice {
	e.t.Helper()
	inv, err := e.svc.Issue(context.Background(), e.finance(), id, IssueInput{Number: fmt.Sprintf("2633%08d", id),
		Date: "2026-11-23", Amount: amount, File: Upload{Name: "invoice.pdf", R: bytes.NewReader(pdf)}})
	if err != nil {
		e.t.Fatalf("issue %d: %v", id, err)
	}
	return inv
}

func (e *tenv) invoice(id int64) models.Invoice { return dbtest.Row[models.Invoice](e.t, e.db, id) }

func (e *tenv) count(table, where string, args ...any) int64 {
	e.t.Helper()
	return dbtest.Count(e.t, e.db, table, where, args...)
}

// refund applies a refunding line as the provisioning core does.
func (e *tenv) refund(lineRef int64) {
	e.t.Helper()
	err := e.db.Gorm.Transaction(func(tx *gorm.DB) error {
		var l models.OrderLine
		if err := tx.First(&l, lineRef).Error; err != nil {
			return err
		}
		return e.svc.LineRefunded(tx, &l, e.clock.Now())
	})
	if err != nil {
		e.t.Fatal(err)
	}
}
