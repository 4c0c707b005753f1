package models

import "testing"

func TestKeyRevocable(t *testing.T) {
	for s, want := range map[string]bool{KeyActive: true, KeyRetiring: true, KeyRevoked: false} {
		if got := (MerchantKey{Status: s}).Revocable(); got != want {
			t.Errorf("%s: Revocable = %v", s, got)
		}
	}
}
