package orderseed

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/db"
)

func seedSmall(t *testing.T, lines int) (*db.DB, *Result) {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, filepath.Join(t.TempDir(), "seed.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	acc := accounts.New(d.Gorm, bizclock.System, accounts.TestHashParams, accounts.DefaultLimits)
	res, err := Seed(ctx, d, acc, Config{Lines: lines, Now: time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC), Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return d, res
}

// A seeded call is restarted like one the intake made, so it must carry the
// core's activity, not the name a V2 endpoint is sent (which only the
// message log holds).
func TestSeededCallsCarryTheCoresActivities(t *testing.T) {
	d, res := seedSmall(t, 3000)
	if res.Merchants[0].OwnerEmail != LargestOwnerEmail {
		t.Errorf("largest merchant's owner %q, LargestOwnerEmail %q", res.Merchants[0].OwnerEmail, LargestOwnerEmail)
	}
	// What the order intake makes (provisioning's lineActivity).
	intake := []string{models.ActNewInstance, models.ActRefreshInstance, models.ActReleaseInstance, models.ActUpgrade}
	rows, err := d.SQL.Query(`SELECT c.activity, l.order_type, count(*),
		(SELECT group_concat(DISTINCT m.activity) FROM interface_messages m JOIN calls c2 ON c2.id = m.call_ref
		 JOIN order_lines l2 ON l2.id = c2.order_line_ref WHERE c2.activity = c.activity AND l2.order_type = l.order_type)
		FROM calls c JOIN order_lines l ON l.id = c.order_line_ref GROUP BY c.activity, l.order_type`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	changes := 0
	for rows.Next() {
		var act, typ, msgs string
		var n int
		if err := rows.Scan(&act, &typ, &n, &msgs); err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(intake, act) || !slices.Contains(models.Activities, act) {
			t.Errorf("%d %s calls have activity %q, not one the core makes", n, typ, act)
		}
		if typ == models.OrderChange {
			changes += n
			if act != models.ActUpgrade || msgs != models.ActUpgradeInstance {
				t.Errorf("change calls: activity %q, messages %q; want %q and %q", act, msgs, models.ActUpgrade,
					models.ActUpgradeInstance)
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if changes == 0 {
		t.Fatal("no change orders seeded")
	}
}
