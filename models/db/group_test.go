package db_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models/db"
	"github.com/sellercenter/sellercenter/models/dbtest"
)

// Parts submitted while a group runs are committed together in the next
// one; a failing or panicking part is rolled back alone and gets its own error.
// Grouping is SQLite's (one writer); see TestGroupIsPlainOnPostgreSQL.
func TestGroupCommitsWaitingPartsTogetherAndIsolatesAFailure(t *testing.T) {
	d := openSQLite(t)
	if err := d.Gorm.Exec(`CREATE TABLE g (name TEXT PRIMARY KEY)`).Error; err != nil {
		t.Fatal(err)
	}
	g := db.NewGroup(d.Gorm)
	ctx := context.Background()
	insert := func(name string) func(tx *gorm.DB) error {
		return func(tx *gorm.DB) error { return tx.Exec(`INSERT INTO g VALUES (?)`, name).Error }
	}
	boom := errors.New("boom")

	// The first caller leads and holds its group open until the others wait.
	inFirst, release := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	var firstErr error
	wg.Go(func() {
		firstErr = g.Transaction(ctx, func(tx *gorm.DB) error {
			close(inFirst)
			<-release
			return insert("first")(tx)
		})
	})
	<-inFirst
	errs := make([]error, 4)
	parts := []func(tx *gorm.DB) error{
		insert("ok-1"),
		func(tx *gorm.DB) error {
			if err := insert("failed")(tx); err != nil {
				return err
			}
			return boom // its row must go with it
		},
		insert("ok-2"),
		func(tx *gorm.DB) error {
			if err := insert("panicked")(tx); err != nil {
				return err
			}
			panic("bug") // an error of its own; the others still commit
		},
	}
	for i, fn := range parts {
		wg.Go(func() { errs[i] = g.Transaction(ctx, fn) })
	}
	deadline := time.Now().Add(5 * time.Second)
	for queued(g) < 4 {
		if time.Now().After(deadline) {
			t.Fatal("the parts never queued")
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()

	if firstErr != nil || errs[0] != nil || errs[2] != nil || !errors.Is(errs[1], boom) || errs[3] == nil {
		t.Fatalf("errors: first %v, parts %v", firstErr, errs)
	}
	var names []string
	if err := d.Gorm.Raw(`SELECT name FROM g ORDER BY name`).Scan(&names).Error; err != nil {
		t.Fatal(err)
	}
	if want := []string{"first", "ok-1", "ok-2"}; !equal(names, want) {
		t.Fatalf("rows %v, want %v", names, want)
	}
	if s := g.Stats(); s.Groups != 2 || s.Parts != 5 {
		t.Fatalf("%d parts in %d groups, want 5 in 2 (the waiting four together)", s.Parts, s.Groups)
	}
}

// A lone caller runs a plain transaction: its failed part keeps nothing.
func TestGroupLoneCallerIsAPlainTransaction(t *testing.T) {
	d := openSQLite(t)
	g := db.NewGroup(d.Gorm)
	err := g.Transaction(context.Background(), func(tx *gorm.DB) error {
		if err := tx.Exec(`CREATE TABLE lone (x INTEGER)`).Error; err != nil {
			return err
		}
		return errors.New("undo")
	})
	if err == nil {
		t.Fatal("the part's error was lost")
	}
	var n int
	if err := d.SQL.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'lone'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("a failed lone part was committed (%d, %v)", n, err)
	}
}

// On PostgreSQL writers run side by side: each caller its own transaction
// (as many groups as parts), a failed or panicking one rolled back alone.
func TestGroupIsPlainOnPostgreSQL(t *testing.T) {
	if !dbtest.OnPostgres() {
		t.Log("SQLite run: grouping is covered above; this case needs " + dbtest.PostgresEnv)
		return
	}
	d := dbtest.Open(t)
	if err := d.Gorm.Exec(`CREATE TABLE g (name TEXT PRIMARY KEY)`).Error; err != nil {
		t.Fatal(err)
	}
	g := db.NewGroup(d.Gorm)
	ctx := context.Background()
	errs := make([]error, 3)
	var wg sync.WaitGroup
	wg.Go(func() {
		errs[0] = g.Transaction(ctx, func(tx *gorm.DB) error { return tx.Exec(`INSERT INTO g VALUES ('a')`).Error })
	})
	wg.Go(func() {
		errs[1] = g.Transaction(ctx, func(tx *gorm.DB) error {
			_ = tx.Exec(`INSERT INTO g VALUES ('b')`)
			panic("bug")
		})
	})
	wg.Go(func() {
		errs[2] = g.Transaction(ctx, func(tx *gorm.DB) error {
			_ = tx.Exec(`INSERT INTO g VALUES ('c')`)
			return errors.New("undo")
		})
	})
	wg.Wait()
	if errs[0] != nil || errs[1] == nil || errs[2] == nil {
		t.Fatalf("errors %v", errs)
	}
	var names []string
	if err := d.Gorm.Raw(`SELECT name FROM g ORDER BY name`).Scan(&names).Error; err != nil {
		t.Fatal(err)
	}
	if !equal(names, []string{"a"}) {
		t.Fatalf("rows %v, want [a]", names)
	}
	if s := g.Stats(); s.Groups != 3 || s.Parts != 3 {
		t.Fatalf("%d parts in %d groups, want each alone", s.Parts, s.Groups)
	}
}

func queued(g *db.Group) int { return db.GroupQueued(g) }

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
