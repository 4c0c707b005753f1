package demo

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/invoices"
)

// demoPDF is a small PDF the demo's issued invoices carry.
var demoPDF = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
	"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// demoInvoices does the invoice steps of the demo on one service.
type demoInvoices struct {
	svc     *invoices.Service
	db      *gorm.DB
	finance models.Actor
	prefix  string // of the request ids
	n       int
}

func newDemoInvoices(ctx context.Context, db *gorm.DB, clock bizclock.Clock, dir, prefix string) (*demoInvoices, error) {
	svc, err := invoices.New(db, clock, nil, invoices.Config{Dir: dir})
	if err != nil {
		return nil, err
	}
	d := &demoInvoices{svc: svc, db: db, prefix: prefix}
	var u models.User
	if err := db.WithContext(ctx).Where("email = ?", "finance@acme.test").First(&u).Error; err != nil {
		return nil, err
	}
	d.finance = models.ActorOf(&u, "127.0.0.1")
	return d, nil
}

// request asks, as the marketplace, for an invoice over the line of order.
func (d *demoInvoices) request(ctx context.Context, order string) (int64, error) {
	var line models.OrderLine
	if err := d.db.WithContext(ctx).Where("order_code = ?", order).First(&line).Error; err != nil {
		return 0, fmt.Errorf("demo invoice: %s: %w", order, err)
	}
	var cust string
	if err := d.db.WithContext(ctx).Model(&models.Buyer{}).Where("id = ?", line.BuyerRef).Pluck("customer_id", &cust).Error; err != nil {
		return 0, err
	}
	d.n++
	v, _, err := d.svc.Request(ctx, models.SystemActor("marketplace"), invoices.RequestInput{
		RequestID: fmt.Sprintf("%s-%04d", d.prefix, d.n), CustomerID: cust, OrderLineIDs: []string{line.OrderLineID},
		InvoiceParty: models.InvoiceParty{Kind: models.InvoiceNormal, Title: "杭州云帆科技有限公司",
			TaxID: "91350100M000100Y43", Email: "it@yunfan.example"}})
	if err != nil {
		return 0, fmt.Errorf("demo invoice request %s: %w", order, err)
	}
	return v.ID, nil
}

func (d *demoInvoices) issue(ctx context.Context, id int64, at time.Time) error {
	var inv models.Invoice
	if err := d.db.WithContext(ctx).First(&inv, id).Error; err != nil {
		return err
	}
	_, err := d.svc.Issue(ctx, d.finance, id, invoices.IssueInput{Number: fmt.Sprintf("2433200000%010d", id),
		Date: bizclock.DateOf(at, bizclock.Shanghai).String(), Amount: inv.Amount,
		File: invoices.Upload{Name: fmt.Sprintf("invoice-%d.pdf", id), R: bytes.NewReader(demoPDF)}})
	return err
}

// SeedInvoices gives Acme an invoice in every state beside the 需退票 one
// the history left (SeedHistory): rejected, revoked, returned and its
// re-issued request (pending), issued, returning, and the demo buyer's
// pending request. Lines of ORD-ACME-0006 stay free for the buyer's form.
func SeedInvoices(ctx context.Context, db *gorm.DB, clock bizclock.Clock, dir string) error {
	now := clock.Now().UTC().Truncate(time.Second)
	d, err := newDemoInvoices(ctx, db, bizclock.NewFake(now), dir, "IR-DEMO")
	if err != nil {
		return err
	}
	id, err := d.request(ctx, "ORD-ACME-0001")
	if err != nil {
		return err
	}
	if _, err := d.svc.Reject(ctx, d.finance, id, "抬头与税号不一致，请核对后重新申请"); err != nil {
		return err
	}
	if id, err = d.request(ctx, "ORD-ACME-0001"); err != nil {
		return err
	}
	var inv models.Invoice
	if err := db.WithContext(ctx).First(&inv, id).Error; err != nil {
		return err
	}
	if _, err := d.svc.RevokeRequest(ctx, models.SystemActor("marketplace"), inv.RequestID); err != nil {
		return err
	}
	if id, err = d.request(ctx, "ORD-ACME-0001"); err != nil {
		return err
	}
	if err := d.issue(ctx, id, now); err != nil {
		return err
	}
	if _, err := d.svc.Return(ctx, d.finance, id, "客户要求更换发票抬头"); err != nil {
		return err
	}
	if _, err := d.svc.ConfirmReturn(ctx, d.finance, id, "HZ24330000000001"); err != nil {
		return err
	}
	if _, _, err := d.svc.Reissue(ctx, d.finance, id, "IR-DEMO-REISSUE"); err != nil {
		return err
	}
	if id, err = d.request(ctx, "ORD-ACME-0002"); err != nil {
		return err
	}
	if err := d.issue(ctx, id, now); err != nil {
		return err
	}
	if id, err = d.request(ctx, "ORD-ACME-0008"); err != nil {
		return err
	}
	if err := d.issue(ctx, id, now); err != nil {
		return err
	}
	if _, err := d.svc.Return(ctx, d.finance, id, "开票金额有误，需红冲"); err != nil {
		return err
	}
	_, err = d.request(ctx, "ORD-ACME-0003")
	return err
}

// SeedStatements gives each demo merchant the settlement statement of the
// current month on the app clock (generated as at the month's end,
// commission 5%), so a new user sees a current statement; marked paid, and
// Acme's finance one platform-fee invoice request over Acme's.
func SeedStatements(ctx context.Context, db *gorm.DB, clock bizclock.Clock, dir string) error {
	now := clock.Now().UTC()
	monthEnd := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, 0)
	d, err := newDemoInvoices(ctx, db, bizclock.NewFake(monthEnd.Add(time.Hour)), dir, "IR-DEMO-S")
	if err != nil {
		return err
	}
	ops := models.SystemActor("demo")
	var acme []int64
	for _, slug := range []string{"acme", "globex"} {
		var m models.Merchant
		if err := db.WithContext(ctx).Where("slug = ?", slug).First(&m).Error; err != nil {
			return err
		}
		if err := d.svc.SetCommission(ctx, ops, m.ID, nil, 500); err != nil {
			return err
		}
		sts, err := d.svc.GenerateStatements(ctx, ops, m.ID, now.Format("2006-01"))
		if err != nil {
			return err
		}
		for _, st := range sts {
			if _, err := d.svc.MarkStatementPaid(ctx, ops, st.ID); err != nil {
				return err
			}
			if slug == "acme" {
				acme = append(acme, st.ID)
			}
		}
	}
	if len(acme) == 0 {
		return nil
	}
	_, err = d.svc.RequestPlatformFee(ctx, d.finance, invoices.PlatformFeeInput{
		Selection: invoices.Selection{IDs: acme},
		InvoiceParty: models.InvoiceParty{Kind: models.InvoiceSpecial, Title: "Acme 科技有限公司", TaxID: "91350100M000100Y43",
			Address: "杭州市西湖区文三路 1 号", Phone: "0571-88880000", Bank: "招商银行杭州分行", Account: "571900000000001",
			Email: "finance@acme.test"}})
	return err
}
