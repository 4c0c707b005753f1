package interfacelog_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/dbtest"
	"github.com/sellercenter/sellercenter/models/interfacelog"
)

// Paging walks every call of the filter once, in the list's order, newest
// first or (an order-id prefix) by order id; a merchant sees only its calls
// and operations see every merchant's, with the merchant's name.
func TestListPagesCallsByTenancyAndOrder(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t)
	acc := accounts.New(d.Gorm, bizclock.System, accounts.TestHashParams, accounts.DefaultLimits)
	var mids []int64
	for i, name := range []string{"Acme 云", "Globex 软件"} {
		m, _, err := acc.CreateMerchant(ctx, models.SystemActor("test"), accounts.NewMerchantInput{Slug: fmt.Sprintf("m%d", i),
			Name: name, OwnerEmail: fmt.Sprintf("o%d@t.test", i), OwnerPassword: "owner-password-1"})
		if err != nil {
			t.Fatal(err)
		}
		mids = append(mids, m.ID)
	}
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	const n = 130
	for i := range n {
		mid := mids[i%2]
		at := t0.Add(time.Duration(i/3) * time.Minute) // ties on first_at across ids
		order := fmt.Sprintf("CS%02d%03d", i%7, i)
		if err := d.Gorm.Exec(`INSERT INTO calls (merchant_id, activity, state, interval_s, window_s, first_at, deadline_at,
			created_at, updated_at, order_id, order_line_id) VALUES (?, 'newInstance', 'succeeded', 120, 7200, ?, ?, ?, ?, ?, ?)`,
			mid, at, at.Add(2*time.Hour), at, at, order, order+"-1").Error; err != nil {
			t.Fatal(err)
		}
	}
	svc := interfacelog.New(d.Gorm, nil)
	owner := models.Actor{UserID: 1, Role: models.RoleOwner, MerchantID: mids[0]}
	ops := models.Actor{UserID: 2, Role: models.RoleOpsManager}
	walk := func(actor models.Actor, f interfacelog.Filter) []interfacelog.CallRow {
		var all []interfacelog.CallRow
		for range 20 {
			p, err := svc.List(ctx, actor, f)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, p.Rows...)
			if p.Next == "" {
				return all
			}
			f.Cursor = p.Next
		}
		t.Fatal("paging does not end")
		return nil
	}
	check := func(name string, rows []interfacelog.CallRow, want int, less func(a, b interfacelog.CallRow) bool) {
		t.Helper()
		seen := map[int64]bool{}
		for i, r := range rows {
			if seen[r.ID] {
				t.Fatalf("%s: call %d twice", name, r.ID)
			}
			seen[r.ID] = true
			if i > 0 && !less(rows[i-1], r) {
				t.Fatalf("%s: out of order at %d", name, i)
			}
		}
		if len(rows) != want {
			t.Fatalf("%s: %d calls, want %d", name, len(rows), want)
		}
	}
	newest := func(a, b interfacelog.CallRow) bool {
		return a.FirstAt.After(b.FirstAt) || a.FirstAt.Equal(b.FirstAt) && a.ID > b.ID
	}
	byOrder := func(a, b interfacelog.CallRow) bool {
		return a.OrderID < b.OrderID || a.OrderID == b.OrderID && newest(a, b)
	}

	mine := walk(owner, interfacelog.Filter{})
	check("merchant", mine, n/2, newest)
	for _, r := range mine {
		if r.MerchantID != mids[0] {
			t.Fatalf("merchant sees call %d of merchant %d", r.ID, r.MerchantID)
		}
	}
	all := walk(ops, interfacelog.Filter{})
	check("platform", all, n, newest)
	for _, r := range all {
		if want := map[int64]string{mids[0]: "Acme 云", mids[1]: "Globex 软件"}[r.MerchantID]; r.MerchantName != want {
			t.Fatalf("call %d merchant name %q", r.ID, r.MerchantName)
		}
	}
	prefix := walk(ops, interfacelog.Filter{OrderID: "CS0*"})
	check("prefix", prefix, 130, byOrder)
	prefix = walk(owner, interfacelog.Filter{OrderID: "CS03*"})
	want := 0
	for i := range n {
		if i%2 == 0 && i%7 == 3 {
			want++
		}
	}
	check("merchant prefix", prefix, want, byOrder)
	// A cursor of one ordering does not page the other.
	p, err := svc.List(ctx, ops, interfacelog.Filter{})
	if err != nil || p.Next == "" {
		t.Fatal(err)
	}
	if _, err := svc.List(ctx, ops, interfacelog.Filter{OrderID: "CS*", Cursor: p.Next}); err != models.ErrBadCursor {
		t.Fatalf("time cursor on a prefix list: %v", err)
	}
}
