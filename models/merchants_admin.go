package models

// merchantTransitions is the merchant's one transition table: operations
// suspend an active merchant and resume a suspended one; nothing else moves.
var merchantTransitions = map[MerchantStatus][]MerchantStatus{
	MerchantActive:    {MerchantSuspended},
	MerchantSuspended: {MerchantActive},
}

// MerchantTransition checks a merchant status move; unlike a line, the same
// status is refused: suspending a suspended merchant is a stale page.
func MerchantTransition(from, to MerchantStatus) error {
	if allowed(merchantTransitions, from, to) {
		return nil
	}
	return &TransitionError{"merchant", string(from), string(to)}
}

// Suspended reports whether the merchant is suspended: its users cannot
// log in and the provisioning core sends nothing to its endpoint.
func (m Merchant) Suspended() bool { return m.Status == MerchantSuspended }
