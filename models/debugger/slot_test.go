package debugger

import (
	"context"
	"testing"

	"github.com/sellercenter/sellercenter/models/dbtest"
)

func TestEachSlotIsClaimedOnce(t *testing.T) {
	d := dbtest.Open(t)
	s := &Service{db: d.Gorm}
	ctx := context.Background()
	claim := func(day, hour int) bool {
		t.Helper()
		ok, err := s.claimSlot(ctx, sh(day, hour, 0))
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !claim(5, 10) {
		t.Fatal("first claim refused")
	}
	if claim(5, 10) {
		t.Fatal("a second instance claimed the same slot")
	}
	if !claim(5, 16) || !claim(6, 10) {
		t.Fatal("later slots refused")
	}
	if claim(5, 16) {
		t.Fatal("an earlier slot was claimed after a later one")
	}
}
