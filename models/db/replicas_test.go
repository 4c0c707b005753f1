package db_test

import (
	"context"
	"testing"

	"github.com/sellercenter/sellercenter/models/db"
	"github.com/sellercenter/sellercenter/models/dbtest"
)

// With SELLERCENTER_DB_REPLICAS set, list reads go to the replica and every
// other query (and every write) stays on the primary. Two test databases
// stand in for primary and replica: a row only the "replica" has shows
// where each query went.
func TestListReadsGoToReplicasEverythingElseToThePrimary(t *testing.T) {
	if !dbtest.OnPostgres() {
		t.Log("replicas are PostgreSQL's: this case needs " + dbtest.PostgresEnv)
		return
	}
	primary, replica := dbtest.Open(t), dbtest.Open(t)
	if err := replica.Gorm.Exec(`INSERT INTO app_settings (key, value) VALUES ('where', 'replica')`).Error; err != nil {
		t.Fatal(err)
	}
	t.Setenv(db.ReplicasEnv, replica.DSN)
	d, err := db.Open(context.Background(), primary.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var onList, onPlain int64
	if err := db.ListReads(d.Gorm).Raw(`SELECT count(*) FROM app_settings WHERE key = 'where'`).Scan(&onList).Error; err != nil {
		t.Fatal(err)
	}
	if err := d.Gorm.Raw(`SELECT count(*) FROM app_settings WHERE key = 'where'`).Scan(&onPlain).Error; err != nil {
		t.Fatal(err)
	}
	if onList != 1 || onPlain != 0 {
		t.Fatalf("list read saw %d rows (want the replica's 1), plain read %d (want the primary's 0)", onList, onPlain)
	}
	if err := db.ListReads(d.Gorm).Exec(`INSERT INTO app_settings (key, value) VALUES ('written', 'x')`).Error; err != nil {
		t.Fatal(err)
	}
	if n := dbtest.Count(t, primary, "app_settings", "key = 'written'"); n != 1 {
		t.Fatalf("a write through the list handle went elsewhere (primary has %d)", n)
	}
}
