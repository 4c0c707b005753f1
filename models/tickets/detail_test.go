package tickets

import (
	"testing"

	"github.com/sellercenter/sellercenter/models"
)

// The buyer's form shows while a message may go out: on an open ticket,
// or as the message that reopens a finished one.
func TestDetailBuyerWrites(t *testing.T) {
	for _, c := range []struct {
		actions []models.TicketAction
		writes  bool
	}{
		{[]models.TicketAction{models.TicketBuyerMessage, models.TicketRevoke}, true},
		{[]models.TicketAction{models.TicketReopen}, true},
		{[]models.TicketAction{models.TicketConfirm}, false},
		{nil, false},
	} {
		d := &Detail{Actions: c.actions}
		if d.BuyerWrites() != c.writes {
			t.Errorf("%v: BuyerWrites %v", c.actions, d.BuyerWrites())
		}
	}
	if d := (&Detail{Actions: []models.TicketAction{models.TicketConfirm}}); !d.Can(models.TicketConfirm) || d.Can(models.TicketRevoke) {
		t.Error("Can does not follow Actions")
	}
}
