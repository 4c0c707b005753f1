package models

import "fmt"

// FormatAmount renders minor units as a decimal string with two decimals,
// as the intake API and messages show money.
func FormatAmount(v int64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}
