package bulk_test

import (
	"context"
	"testing"

	"github.com/sellercenter/sellercenter/models/db/bulk"
	"github.com/sellercenter/sellercenter/models/dbtest"
)

func TestBatchWritesEveryRowAndDropDerivedRestores(t *testing.T) {
	d := dbtest.Open(t)
	ctx := context.Background()
	if _, err := d.SQL.Exec(`CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT);
		CREATE TABLE b (id INTEGER PRIMARY KEY, a_ref INTEGER REFERENCES a(id));
		CREATE INDEX a_v ON a (v);`); err != nil {
		t.Fatal(err)
	}
	tx, err := d.SQL.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	creates, err := bulk.DropDerived(ctx, tx, "a")
	if err != nil || len(creates) != 1 {
		t.Fatalf("dropped %v, %v", creates, err)
	}
	as, bs := bulk.New(tx, "a", "id", "v"), bulk.New(tx, "b", "id", "a_ref")
	defer as.Close()
	defer bs.Close()
	bs.Before = as.Flush // b's rows reference a's: a is written first
	for i := 1; i <= 1001; i++ {
		if err := as.Add(ctx, i, "x"); err != nil {
			t.Fatal(err)
		}
		if err := bs.Add(ctx, i, i); err != nil {
			t.Fatal(err)
		}
	}
	if err := bs.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	for _, q := range creates {
		if _, err := tx.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	var na, nb, orphans, idx int
	if err := tx.QueryRow(`SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM b),
		(SELECT count(*) FROM b WHERE a_ref NOT IN (SELECT id FROM a)),
		(SELECT count(*) FROM sqlite_master WHERE name = 'a_v')`).Scan(&na, &nb, &orphans, &idx); err != nil {
		t.Fatal(err)
	}
	if na != 1001 || nb != 1001 || orphans != 0 || idx != 1 {
		t.Fatalf("a %d, b %d, orphans %d, index %d", na, nb, orphans, idx)
	}
}
