package accounts

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sellercenter/sellercenter/models"
)

// Field limits. E-mail follows RFC 5321's 254-octet path limit.
const (
	MaxEmail       = 254
	MaxPassword    = 1024
	MinPassword    = 10
	MaxName        = 100
	MaxMerchantTag = 40
)

func normEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func checkEmail(v *models.ValidationError, field, email string) {
	switch {
	case email == "":
		v.Add(field, models.M("err.required"))
	case len(email) > MaxEmail:
		v.Add(field, models.M("err.too_long", "Max", MaxEmail))
	case !models.ValidEmail(email):
		v.Add(field, models.M("err.email_format"))
	}
}

func validatePassword(v *models.ValidationError, field, pw string) {
	switch {
	case pw == "":
		v.Add(field, models.M("err.required"))
	case len(pw) > MaxPassword:
		v.Add(field, models.M("err.too_long", "Max", MaxPassword))
	case utf8.RuneCountInString(pw) < MinPassword:
		v.Add(field, models.M("err.password_short", "Min", MinPassword))
	case !utf8.ValidString(pw):
		v.Add(field, models.M("err.invalid_text"))
	}
}

func checkName(v *models.ValidationError, field, name string, required bool) {
	switch {
	case name == "" && required:
		v.Add(field, models.M("err.required"))
	case utf8.RuneCountInString(name) > MaxName:
		v.Add(field, models.M("err.too_long", "Max", MaxName))
	case !utf8.ValidString(name) || strings.ContainsAny(name, "\x00\r\n"):
		v.Add(field, models.M("err.invalid_text"))
	}
}

func checkTimeZone(v *models.ValidationError, field, tz string) {
	if tz == "" || len(tz) > 64 {
		v.Add(field, models.M("err.timezone"))
		return
	}
	if _, err := time.LoadLocation(tz); err != nil {
		v.Add(field, models.M("err.timezone"))
	}
}

// commonZones are offered first in the profile's zone list.
var commonZones = []string{"Asia/Shanghai", "Asia/Hong_Kong", "Asia/Singapore", "Asia/Tokyo", "Europe/Berlin",
	"Europe/London", "America/New_York", "America/Los_Angeles", "UTC"}

// TimeZones lists the zones a user may pick, keeping current in the list.
func TimeZones(current string) []string {
	for _, z := range commonZones {
		if z == current {
			return commonZones
		}
	}
	return append([]string{current}, commonZones...)
}
