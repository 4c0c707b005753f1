package models

import (
	"net/mail"
	"strings"
)

// ValidEmail reports whether s is a plain address (no display name) with a
// dotted domain: what every form and API of the app accepts as an e-mail.
func ValidEmail(s string) bool {
	if len(s) > 254 {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".")
}
