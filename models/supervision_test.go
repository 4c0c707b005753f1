package models

import (
	"slices"
	"testing"
	"time"
)

// The flow's table, written out independently: every allowed (node, action)
// pair with its target; every other pair must be refused.
func TestSupTransitions(t *testing.T) {
	type key struct {
		n SupNode
		a SupAction
	}
	want := map[key]SupNode{
		{SupRequirements, SupSubmit}: SupConfirm,
		{SupConfirm, SupConfirmReq}:  SupDelivery, {SupConfirm, SupRejectReq}: SupRequirements,
		{SupDelivery, SupDeliver}: SupAcceptance, {SupDelivery, SupShip}: SupAcceptance,
		{SupDelivery, SupActivate}: SupAcceptance,
		{SupAcceptance, SupAccept}: SupDone, {SupAcceptance, SupRejectDeliv}: SupDelivery,
		{SupAcceptance, SupParcelSigned}: SupAcceptance, {SupAcceptance, SupAutoAccept}: SupDone,
	}
	for _, n := range []SupNode{SupRequirements, SupConfirm, SupDelivery, SupAcceptance} {
		want[key{n, SupForceAccept}] = SupDone
		want[key{n, SupReturn}] = SupDelivery
		want[key{n, SupUnsubscribe}] = SupClosed
	}
	for _, n := range SupNodes {
		for _, a := range SupActions {
			to, err := SupTransition(n, a)
			w, ok := want[key{n, a}]
			switch {
			case ok && (err != nil || to != w):
				t.Errorf("%s %s: got %s, %v; want %s", n, a, to, err, w)
			case !ok && err == nil:
				t.Errorf("%s %s: allowed (→ %s), want refused", n, a, to)
			}
		}
	}
}

func TestSupAppealTransitions(t *testing.T) {
	want := map[[2]string]SupAppeal{
		{"none", "file"}: SupAppealOpen, {"open", "rule"}: SupAppealRuled, {"ruled", "file"}: SupAppealOpen,
	}
	for _, s := range SupAppeals {
		for _, a := range SupAppealActions {
			to, err := SupAppealTransition(s, a)
			w, ok := want[[2]string{string(s), string(a)}]
			if ok != (err == nil) || (ok && to != w) {
				t.Errorf("%s %s: got %s, %v; want allowed=%v → %s", s, a, to, err, ok, w)
			}
		}
	}
}

// What each party is offered follows the table, the variant and the freeze.
func TestSupActionsFor(t *testing.T) {
	cases := []struct {
		node   SupNode
		appeal SupAppeal
		v      SupVariant
		p      SupParty
		want   []SupAction
	}{
		{SupRequirements, SupAppealNone, SupManual, SupPartyBuyer, []SupAction{SupSubmit}},
		{SupRequirements, SupAppealNone, SupManual, SupPartyMerchant, nil},
		{SupConfirm, SupAppealNone, SupManual, SupPartyMerchant, []SupAction{SupConfirmReq, SupRejectReq}},
		{SupConfirm, SupAppealRuled, SupManual, SupPartyMerchant, []SupAction{SupConfirmReq, SupRejectReq}},
		{SupConfirm, SupAppealOpen, SupManual, SupPartyMerchant, nil},
		{SupDelivery, SupAppealNone, SupManual, SupPartyMerchant, []SupAction{SupDeliver}},
		{SupDelivery, SupAppealNone, SupHardware, SupPartyMerchant, []SupAction{SupShip}},
		{SupDelivery, SupAppealNone, SupLicense, SupPartyMerchant, []SupAction{SupActivate}},
		{SupAcceptance, SupAppealNone, SupManual, SupPartyBuyer, []SupAction{SupAccept, SupRejectDeliv}},
		{SupAcceptance, SupAppealNone, SupHardware, SupPartyBuyer, []SupAction{SupParcelSigned, SupAccept, SupRejectDeliv}},
		{SupAcceptance, SupAppealNone, SupHardware, SupPartyMerchant, []SupAction{SupParcelSigned}},
		{SupAcceptance, SupAppealOpen, SupHardware, SupPartyBuyer, nil},
		{SupAcceptance, SupAppealNone, SupManual, SupPartyOps, []SupAction{SupForceAccept, SupReturn, SupUnsubscribe}},
		{SupDone, SupAppealNone, SupManual, SupPartyBuyer, nil},
	}
	for _, c := range cases {
		if got := SupActionsFor(c.node, c.appeal, c.v, c.p); !slices.Equal(got, c.want) {
			t.Errorf("%s/%s/%s/%s: %v, want %v", c.node, c.appeal, c.v, c.p, got, c.want)
		}
	}
	for _, n := range SupNodes {
		for _, a := range SupAppeals {
			for _, p := range []SupParty{SupPartyBuyer, SupPartyMerchant, SupPartyOps} {
				want := n.Open() && a != SupAppealOpen && p != SupPartyOps
				if got := SupCanAppeal(n, a, p); got != want {
					t.Errorf("appeal at %s/%s by %s: %v, want %v", n, a, p, got, want)
				}
			}
		}
	}
}

func TestSettleable(t *testing.T) {
	for s, want := range map[Supervision]bool{SupervisionNone: true, SupervisionInProgress: false, SupervisionDone: true} {
		if Settleable(s) != want {
			t.Errorf("%s: %v, want %v", s, !want, want)
		}
	}
}

// The source's example: bought 1 Jan, accepted 1 Feb → valid 1 Feb–1 Mar.
func TestSupShiftedValidity(t *testing.T) {
	sh := time.FixedZone("CST", 8*3600)
	bought := time.Date(2026, 1, 1, 10, 0, 0, 0, sh)
	exp := time.Date(2026, 2, 1, 10, 0, 0, 0, sh)
	acc := time.Date(2026, 2, 1, 15, 0, 0, 0, sh)
	from, to, ok := SupShiftedValidity(bought, &exp, "month", 1, acc, sh)
	if !ok || !from.Equal(acc) || !to.Equal(time.Date(2026, 3, 1, 15, 0, 0, 0, sh)) {
		t.Errorf("month: %v–%v %v", from, to, ok)
	}
	from, to, ok = SupShiftedValidity(bought, &exp, "", 0, acc, sh)
	if !ok || !to.Equal(acc.Add(exp.Sub(bought))) || !from.Equal(acc) {
		t.Errorf("duration: %v–%v %v", from, to, ok)
	}
	if _, _, ok := SupShiftedValidity(bought, nil, "month", 1, acc, sh); ok {
		t.Error("a line without expiry moved")
	}
}
