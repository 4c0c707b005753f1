package supervision_test

import (
	"testing"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/dbtest"
	"github.com/sellercenter/sellercenter/models/supervision"
)

// The SQL gate and models.Settleable agree on every supervision value, and
// the held-back condition is its exact negation.
func TestGateAgreesWithTheSettleableRule(t *testing.T) {
	d := dbtest.Open(t)
	g := supervision.Gate{}
	pass, pargs := g.SettleableSQL()
	held, hargs := g.UnsettleableSQL()
	for _, s := range models.Supervisions {
		var p, h int
		if err := d.Gorm.Raw("SELECT count(*) FROM (SELECT ? AS supervision) ol WHERE "+pass, append([]any{s}, pargs...)...).Scan(&p).Error; err != nil {
			t.Fatal(err)
		}
		if err := d.Gorm.Raw("SELECT count(*) FROM (SELECT ? AS supervision) ol WHERE "+held, append([]any{s}, hargs...)...).Scan(&h).Error; err != nil {
			t.Fatal(err)
		}
		if (p == 1) != models.Settleable(s) || p+h != 1 {
			t.Errorf("%s: passes %d, held %d, rule says settleable=%v", s, p, h, models.Settleable(s))
		}
	}
}
