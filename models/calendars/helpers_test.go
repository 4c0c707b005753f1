package calendars

import (
	"context"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/db"
	"github.com/sellercenter/sellercenter/models/dbtest"
)

type fixture struct {
	t      *testing.T
	db     *db.DB
	svc    *Service
	clock  *bizclock.Fake
	acme   int64
	globex int64
	owner  models.Actor // Acme's owner
	ops    models.Actor // the operations manager
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	d := dbtest.Open(t)
	clock := bizclock.NewFake(time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC))
	f := &fixture{t: t, db: d, svc: New(d.Gorm, clock), clock: clock}
	for i, slug := range []string{"acme", "globex"} {
		m := models.Merchant{Slug: slug, Name: slug, Status: models.MerchantActive, CreatedAt: clock.Now(), UpdatedAt: clock.Now()}
		if err := d.Gorm.Create(&m).Error; err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			f.acme = m.ID
		} else {
			f.globex = m.ID
		}
	}
	f.owner = models.Actor{UserID: 0, Email: "owner@acme.test", Role: models.RoleOwner, MerchantID: f.acme}
	f.ops = models.Actor{Email: "ops@demo.test", Role: models.RoleOpsManager}
	return f
}

func (f *fixture) count(table, where string, args ...any) int64 {
	f.t.Helper()
	var n int64
	q := "SELECT count(*) FROM " + table
	if where != "" {
		q += " WHERE " + where
	}
	if err := f.db.SQL.QueryRow(q, args...).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

// acmeInput is DESIGN's Acme: Monday–Friday 09:00–12:00 and 13:30–18:30.
func acmeInput() ReceptionInput {
	in := ReceptionInput{Receiving: true, TimeZone: "Asia/Shanghai", FollowsHolidays: true}
	for wd := time.Monday; wd <= time.Friday; wd++ {
		in.Days[wd] = []RangeText{{"09:00", "12:00"}, {"13:30", "18:30"}}
	}
	return in
}

func ctx() context.Context { return context.Background() }

func mustDate(t *testing.T, s string) bizclock.Date {
	t.Helper()
	d, err := bizclock.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
