package models

import "testing"

func TestSupBuyerSees(t *testing.T) {
	for _, c := range []struct {
		e    SupEvent
		want bool
	}{
		{SupEvent{Kind: SupEvSubmitted, NodeFrom: SupRequirements, NodeTo: SupConfirm}, true},
		{SupEvent{Kind: SupEvRuled, NodeFrom: SupDelivery, NodeTo: SupDelivery}, true},
		{SupEvent{Kind: SupEvSigned}, true},
		{SupEvent{Kind: SupEvSLAOverdue}, false},
		{SupEvent{Kind: SupEvLongRunning}, false},
		{SupEvent{Kind: SupEvAppealWarned}, false},
		{SupEvent{Kind: SupEvAppealOverdue}, false},
		// A node change is shown whatever its kind.
		{SupEvent{Kind: SupEvOldRule, NodeFrom: SupDelivery, NodeTo: SupClosed}, true},
	} {
		if got := SupBuyerSees(c.e); got != c.want {
			t.Errorf("%s %s→%s: %v", c.e.Kind, c.e.NodeFrom, c.e.NodeTo, got)
		}
	}
	if SupBuyerSeesDoc(SupDocument{Kind: SupDocEvidence, Party: SupPartyMerchant}) ||
		!SupBuyerSeesDoc(SupDocument{Kind: SupDocEvidence, Party: SupPartyBuyer}) ||
		!SupBuyerSeesDoc(SupDocument{Kind: SupDocDelivery, Party: SupPartyMerchant}) {
		t.Fatal("documents")
	}
}
