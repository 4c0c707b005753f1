package invoices

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/dbtest"
)

// statement inserts a statement of a merchant with a fee (the rest follows
// from it) and returns its id.
func (e *tenv) statement(merchant, month, currency string, fee int64, paid bool) int64 {
	e.t.Helper()
	return e.exec(`INSERT INTO settlement_statements (merchant_id, month, currency, gross, fee, refunds, net, line_count, paid,
		paid_at, generated_at) VALUES (?, ?, ?, ?, ?, 0, ?, 1, ?, CASE WHEN ? THEN ? END, ?)`,
		e.ids[merchant], month, currency, fee*20, fee, fee*19, paid, paid, t0, t0)
}

func feeParty() models.InvoiceParty {
	return models.InvoiceParty{Kind: models.InvoiceSpecial, Title: "Acme 科技有限公司", TaxID: "91350100M000100Y43",
		Address: "杭州市西湖区 1 号", Phone: "0571-88888888", Bank: "招商银行杭州分行", Account: "571900000000001",
		Email: "finance@acme.test"}
}

func TestPlatformFeeSelectionForcesNegativesAndNetsTheFee(t *testing.T) {
	e := newTEnv(t)
	ctx, fin := context.Background(), e.finance()
	aug := e.statement("acme", "2026-08", "CNY", 1000, true)
	sep := e.statement("acme", "2026-09", "CNY", 800, true)
	neg := e.statement("acme", "2026-10", "CNY", -300, true)
	usd := e.statement("acme", "2026-09", "USD", 50, true)
	unpaid := e.statement("acme", "2026-11", "CNY", 400, false)
	other := e.statement("globex", "2026-09", "CNY", 700, true)

	q, err := e.svc.QuotePlatformFee(ctx, fin, Selection{IDs: []int64{aug}})
	if err != nil || q.Amount != 700 || q.Currency != "CNY" || !slices.Equal(q.Forced, []int64{neg}) || len(q.Statements) != 2 {
		t.Fatalf("quote %+v %v", q, err)
	}
	for _, id := range []int64{unpaid, other, 999} {
		if _, err := e.svc.QuotePlatformFee(ctx, fin, Selection{IDs: []int64{aug, id}}); dbtest.FieldErr(err, statementField(id)) != "invoices.err.statement_unknown" {
			t.Errorf("statement %d: %v", id, err)
		}
	}
	if _, err := e.svc.QuotePlatformFee(ctx, fin, Selection{IDs: []int64{aug, usd}}); dbtest.FieldErr(err, "") != "invoices.err.statement_currency" {
		t.Errorf("two currencies: %v", err)
	}
	if _, err := e.svc.QuotePlatformFee(ctx, fin, Selection{IDs: []int64{aug}, Excluded: []int64{neg}}); dbtest.FieldErr(err, statementField(neg)) != "invoices.err.negative_required" {
		t.Errorf("negative unticked: %v", err)
	}
	if _, err := e.svc.QuotePlatformFee(ctx, fin, Selection{IDs: []int64{neg}}); dbtest.FieldErr(err, "") != "invoices.err.fee_not_positive" {
		t.Errorf("only the negative: %v", err)
	}
	if _, err := e.svc.QuotePlatformFee(ctx, fin, Selection{}); dbtest.FieldErr(err, "") != "invoices.err.statements_required" {
		t.Errorf("nothing ticked: %v", err)
	}
	// 跨页全选 over CNY less September: August and the forced negative.
	q, err = e.svc.QuotePlatformFee(ctx, fin, Selection{AllMatching: true, Filter: StatementFilter{Currency: "CNY"}, Excluded: []int64{sep}})
	if err != nil || q.Amount != 700 {
		t.Fatalf("all matching %+v %v", q, err)
	}

	in := PlatformFeeInput{Selection: Selection{IDs: []int64{aug, sep}}, InvoiceParty: feeParty()}
	in.Kind = "paper"
	if _, err := e.svc.RequestPlatformFee(ctx, fin, in); dbtest.FieldErr(err, "kind") == "" {
		t.Errorf("paper invoice: %v", err)
	}
	in.InvoiceParty = feeParty()
	in.Bank = ""
	if _, err := e.svc.RequestPlatformFee(ctx, fin, in); dbtest.FieldErr(err, "bank") == "" {
		t.Errorf("专票 without bank: %v", err)
	}
	in.InvoiceParty = feeParty()
	for _, who := range []string{"staff@acme.test", "ro@acme.test", "ops@demo.test"} {
		if _, err := e.svc.RequestPlatformFee(ctx, e.actor(who), in); err != models.ErrForbidden {
			t.Errorf("%s requested: %v", who, err)
		}
	}
	r, err := e.svc.RequestPlatformFee(ctx, fin, in)
	if err != nil || r.Amount != 1500 || r.Status != models.PlatformFeePending || r.Currency != "CNY" {
		t.Fatalf("request %+v %v", r, err)
	}
	if n := e.count("platform_fee_statements", "request_ref = ? AND live = 1", r.ID); n != 3 {
		t.Fatalf("%d statements linked", n)
	}
	if _, err := e.svc.RequestPlatformFee(ctx, fin, in); dbtest.FieldErr(err, statementField(aug)) != "invoices.err.statement_unknown" {
		t.Fatalf("requested twice: %v", err)
	}
	p, err := e.svc.Statements(ctx, fin, StatementFilter{}, "")
	if err != nil || len(p.Rows) != 5 {
		t.Fatalf("statements %v %d", err, len(p.Rows))
	}
	for _, row := range p.Rows {
		if (row.RequestRef != nil) != (row.ID == aug || row.ID == sep || row.ID == neg) || row.Forced {
			t.Errorf("row %d: request %v forced %v", row.ID, row.RequestRef, row.Forced)
		}
	}
}

func TestPlatformFeeDecisionsAndTenancy(t *testing.T) {
	e := newTEnv(t)
	ctx, fin, ops := context.Background(), e.finance(), e.actor("ops@demo.test")
	a := e.statement("acme", "2026-09", "CNY", 1000, true)
	r, err := e.svc.RequestPlatformFee(ctx, fin, PlatformFeeInput{Selection: Selection{IDs: []int64{a}}, InvoiceParty: feeParty()})
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.svc.PlatformFeeDetail(ctx, ops, r.ID)
	if err != nil || !slices.Equal(d.Actions, []models.PlatformFeeAction{models.PlatformFeeIssue, models.PlatformFeeReject}) || len(d.Statements) != 1 {
		t.Fatalf("ops detail %+v %v", d, err)
	}
	if d, err := e.svc.PlatformFeeDetail(ctx, fin, r.ID); err != nil || len(d.Actions) != 0 {
		t.Fatalf("finance detail %+v %v", d, err)
	}
	if _, err := e.svc.PlatformFeeDetail(ctx, e.actor("owner@globex.test"), r.ID); err != models.ErrNotFound {
		t.Fatalf("another merchant read it: %v", err)
	}
	if p, err := e.svc.PlatformFees(ctx, e.actor("owner@globex.test"), PlatformFeeFilter{}, ""); err != nil || len(p.Rows) != 0 {
		t.Fatalf("globex list %v %d", err, len(p.Rows))
	}
	if _, err := e.svc.PlatformFees(ctx, e.actor("ro@acme.test"), PlatformFeeFilter{}, ""); err != models.ErrForbidden {
		t.Fatalf("read-only listed: %v", err)
	}
	if p, err := e.svc.PlatformFees(ctx, ops, PlatformFeeFilter{Status: models.PlatformFeePending}, ""); err != nil || len(p.Rows) != 1 {
		t.Fatalf("ops list %v %+v", err, p)
	}

	if _, err := e.svc.RejectPlatformFee(ctx, fin, r.ID, "抬头有误"); err != models.ErrForbidden {
		t.Fatalf("finance rejected: %v", err)
	}
	if _, err := e.svc.RejectPlatformFee(ctx, ops, r.ID, "抬头有误"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.RejectPlatformFee(ctx, ops, r.ID, "again"); !dbtest.IsConflict(err, "invoices.err.platform_fee_decided") {
		t.Fatalf("rejected twice: %v", err)
	}
	// A rejected request frees its statements for a new one.
	r2, err := e.svc.RequestPlatformFee(ctx, fin, PlatformFeeInput{Selection: Selection{IDs: []int64{a}}, InvoiceParty: feeParty()})
	if err != nil {
		t.Fatalf("request again after rejection: %v", err)
	}
	if _, err := e.svc.IssuePlatformFee(ctx, ops, r2.ID, "26330000000000000001", Upload{Name: "x.txt", R: bytes.NewReader([]byte("hello"))}); dbtest.FieldErr(err, "file") != "invoices.err.file_type" {
		t.Fatalf("text file: %v", err)
	}
	got, err := e.svc.IssuePlatformFee(ctx, ops, r2.ID, "26330000000000000001", Upload{Name: "fee.pdf", R: bytes.NewReader(pdf)})
	if err != nil || got.Status != models.PlatformFeeIssued || got.FileStorage == "" || got.DecidedBy != "ops@demo.test" {
		t.Fatalf("issue %+v %v", got, err)
	}
	if _, path, err := e.svc.PlatformFeeFile(ctx, fin, r2.ID); err != nil || path == "" {
		t.Fatalf("finance download: %v", err)
	}
	if _, _, err := e.svc.PlatformFeeFile(ctx, e.actor("owner@globex.test"), r2.ID); err != models.ErrNotFound {
		t.Fatalf("globex download: %v", err)
	}
	if e.count("notifications", "merchant_id = ?", e.ids["acme"]) != 2 || e.count("audit_log", "action LIKE 'platform_fee.%'") != 4 {
		t.Fatalf("notifications %d, audit %d", e.count("notifications", ""), e.count("audit_log", "action LIKE 'platform_fee.%'"))
	}
}

func TestMarkStatementPaid(t *testing.T) {
	e := newTEnv(t)
	ctx, ops := context.Background(), e.actor("ops@demo.test")
	id := e.statement("acme", "2026-09", "CNY", 1000, false)
	if _, err := e.svc.MarkStatementPaid(ctx, e.finance(), id); err != models.ErrForbidden {
		t.Fatalf("finance marked paid: %v", err)
	}
	st, err := e.svc.MarkStatementPaid(ctx, ops, id)
	if err != nil || !st.Paid || st.PaidAt == nil {
		t.Fatalf("%+v %v", st, err)
	}
	if _, err := e.svc.MarkStatementPaid(ctx, ops, id); !dbtest.IsConflict(err, "invoices.err.statement_already_paid") {
		t.Fatalf("paid twice: %v", err)
	}
	if _, err := e.svc.MarkStatementPaid(ctx, ops, 999); err != models.ErrNotFound {
		t.Fatalf("unknown: %v", err)
	}
}
