package models

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

var idRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$`)

// IsID says whether s has the shape of a marketplace id (orderId, productId,
// instanceId, ticketId…): letters, digits and _.:- , at most 64.
func IsID(s string) bool { return idRe.MatchString(s) }

// ID checks a marketplace id field.
func (e *ValidationError) ID(field, s string, required bool) {
	switch {
	case s == "" && required:
		e.Add(field, M("err.required"))
	case s != "" && !IsID(s):
		e.Add(field, M("err.id_format"))
	}
}

// Text checks a free text: not blank when required, at most max characters,
// valid UTF-8 without NUL, and line breaks only when multiline.
func (e *ValidationError) Text(field, s string, max int, required, multiline bool) {
	switch {
	case required && strings.TrimSpace(s) == "":
		e.Add(field, M("err.required"))
	case utf8.RuneCountInString(s) > max:
		e.Add(field, M("err.too_long", "Max", max))
	case !utf8.ValidString(s) || strings.ContainsRune(s, 0) || (!multiline && strings.ContainsAny(s, "\r\n")):
		e.Add(field, M("err.invalid_text"))
	}
}
