package orders

import (
	"context"
	"testing"

	"github.com/sellercenter/sellercenter/models"
)

// Each reads rows by column position; the list reads them by name. Both must
// give the same rows in the same order, field by field.
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
			w.LastMessage = nil // the list's extra column
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
