package demands

import (
	"testing"

	"github.com/sellercenter/sellercenter/models"
)

func TestDetailAnswerAndFollowUp(t *testing.T) {
	for _, c := range []struct {
		actions           []models.DemandAction
		answer, followsUp bool
	}{
		{[]models.DemandAction{models.DemandAccept, models.DemandReject}, true, false},
		{[]models.DemandAction{models.DemandReject}, true, false},
		{nil, false, false}, // open, but out of time
		{[]models.DemandAction{models.DemandAddNote}, false, true},
		{[]models.DemandAction{models.DemandClose}, false, true},
	} {
		d := &Detail{Actions: c.actions}
		if d.CanAnswer() != c.answer || d.CanFollowUp() != c.followsUp {
			t.Errorf("%v: CanAnswer %v, CanFollowUp %v", c.actions, d.CanAnswer(), d.CanFollowUp())
		}
	}
}
