package views

import "testing"

func TestMoneyHasThousandsSeparators(t *testing.T) {
	for minor, want := range map[int64]string{
		0: "0.00 CNY", 5: "0.05 CNY", 99999: "999.99 CNY", 100000: "1,000.00 CNY",
		123456789: "1,234,567.89 CNY", -123456789: "-1,234,567.89 CNY", 100000000000: "1,000,000,000.00 CNY",
	} {
		if got := Money(minor, "CNY"); got != want {
			t.Errorf("Money(%d) = %q, want %q", minor, got, want)
		}
	}
}
