package models

// supMerchantSide are the event kinds that concern the merchant or
// operations only: the SLA flag and the long-running warnings speak to the
// merchant, the ruling clock's warning and escalation to operations.
var supMerchantSide = map[string]bool{SupEvSLAOverdue: true, SupEvLongRunning: true, SupEvAppealWarned: true,
	SupEvAppealOverdue: true}

// SupBuyerSees says whether a buyer's timeline shows an event: every node
// change and ruling does, whoever made it; the merchant- and
// operations-side bookkeeping does not.
func SupBuyerSees(e SupEvent) bool {
	if e.NodeTo != "" && e.NodeTo != e.NodeFrom || e.Kind == SupEvRuled {
		return true
	}
	return !supMerchantSide[e.Kind]
}

// SupBuyerSeesDoc says whether a buyer sees a flow's document: what the
// merchant delivered or proved and the buyer's own files; the merchant's
// appeal evidence is for operations.
func SupBuyerSeesDoc(d SupDocument) bool {
	return d.Kind != SupDocEvidence || d.Party == SupPartyBuyer
}
