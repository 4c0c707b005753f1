package models

import "testing"

func TestMerchantTransitionTable(t *testing.T) {
	cases := []struct {
		from, to MerchantStatus
		ok       bool
	}{
		{MerchantActive, MerchantSuspended, true},
		{MerchantSuspended, MerchantActive, true},
		{MerchantActive, MerchantActive, false},
		{MerchantSuspended, MerchantSuspended, false},
		{MerchantStatus("gone"), MerchantActive, false},
	}
	for _, c := range cases {
		if err := MerchantTransition(c.from, c.to); (err == nil) != c.ok {
			t.Errorf("%s → %s: err %v, want allowed=%v", c.from, c.to, err, c.ok)
		}
	}
}
