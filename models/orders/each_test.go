package orders

import (
	"context"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
)

// Each and the list read rows by column position (scanPage) from their own
// queries. Both must give the same rows in the same order, field by field.
func TestEachGivesTheListsRowsFieldByField(t *testing.T) {
	f := newFixture(t, 300)
	owner := models.Actor{UserID: 1, Role: models.RoleOwner, MerchantID: f.acme}
	for _, flt := range []Filter{{}, {Sort: SortAmountAsc}, {Sort: SortTimeAsc, Type: models.OrderTypes[0]}} {
		var want []Row
		page := flt
		page.Limit = 37
		for {
			p, err := f.svc.List(context.Background(), owner, page)
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, p.Rows...)
			if p.Next == "" {
				break
			}
			page.Cursor = p.Next
		}
		var got []Row
		n, err := f.svc.Each(context.Background(), owner, flt, func(r Row) error {
			got = append(got, r)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n != int64(len(want)) || len(got) != len(want) || len(want) == 0 {
			t.Fatalf("%+v: Each gave %d rows (n=%d), the list %d", flt, len(got), n, len(want))
		}
		for i := range want {
			w, g := want[i], got[i]
			w.CallID = nil // the list's extra column
			if (w.ExpireAt == nil) != (g.ExpireAt == nil) || (w.ExpireAt != nil && !w.ExpireAt.Equal(*g.ExpireAt)) ||
				!w.OrderedAt.Equal(g.OrderedAt) {
				t.Fatalf("%+v row %d: times differ: %+v vs %+v", flt, i, w, g)
			}
			w.ExpireAt, g.ExpireAt, w.OrderedAt = nil, nil, g.OrderedAt
			if w != g {
				t.Fatalf("%+v row %d:\nlist %+v\neach %+v", flt, i, w, g)
			}
		}
	}
}

// The list's page carries each line's call state and the call (its page in
// the message log; Each leaves it out), read by position.
func TestListCarriesCallStateAndCall(t *testing.T) {
	f := newFixture(t, 30)
	owner := models.Actor{UserID: 1, Role: models.RoleOwner, MerchantID: f.acme}
	var line models.OrderLine
	for _, l := range f.lines {
		if l.MerchantID == f.acme {
			line = l
			break
		}
	}
	db := f.svc.db
	now := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	if err := db.Exec(`INSERT INTO calls (id, merchant_id, activity, order_line_ref, state, interval_s, window_s, first_at, deadline_at,
		created_at, updated_at) VALUES (77, ?, 'newInstance', ?, 'failed', 60, 3600, ?, ?, ?, ?)`,
		f.acme, line.ID, now, now, now, now).Error; err != nil {
		t.Fatal(err)
	}
	for i, id := range []int{501, 503, 502} {
		if err := db.Exec(`INSERT INTO interface_messages (id, merchant_id, call_ref, attempt_no, at, activity, protocol, method, url, outcome)
			VALUES (?, ?, 77, ?, ?, 'newInstance', 'v1', 'POST', 'https://x.test', 'error')`, id, f.acme, i+1, now).Error; err != nil {
			t.Fatal(err)
		}
	}
	p, err := f.svc.List(context.Background(), owner, Filter{OrderPrefix: line.OrderCode})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Rows) != 1 {
		t.Fatalf("%d rows", len(p.Rows))
	}
	r := p.Rows[0]
	if r.LineID != line.ID || r.CallState != models.CallState("failed") || r.CallID == nil || *r.CallID != 77 ||
		r.Customer == "" || r.ProductID == "" {
		t.Fatalf("row %+v", r)
	}
	p, err = f.svc.List(context.Background(), owner, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range p.Rows {
		if r.LineID != line.ID && (r.CallID != nil || r.CallState != "") {
			t.Fatalf("line %d without a call: %+v", r.LineID, r)
		}
	}
}
