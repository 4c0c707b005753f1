package models

import "regexp"

// secretValue finds a secret's value in free text — a query parameter
// (signature=…), a header or JSON field (authToken: …, "password":"…") —
// so that error texts, which quote URLs and bodies as they please, are
// masked like the request's own URL and body.
var secretValue = regexp.MustCompile(`(?i)(\b(?:authToken|signature|password|passwd|userName|accessKey|secretKey|` +
	`appSecret|apiKey|token|customerName|mobilePhone)"?\s*[=:]\s*"?)([^&\s"',;}\]]+)`)

// MaskSecrets replaces the values of signatures, tokens and credentials
// found in a text by ***. The message log masks each error text with it
// when it stores the text and again when it shows it (rows stored before).
func MaskSecrets(text string) string {
	return secretValue.ReplaceAllString(text, "${1}***")
}
