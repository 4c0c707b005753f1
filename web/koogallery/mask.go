package koogallery

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// Mask replaces a masked value.
const Mask = "***"

// maskedNames are compared case-insensitively: one-time tokens (authToken,
// signature) that a log must not let anyone replay, buyer PII (names,
// mobilePhone, email) and credentials (userName, password).
var maskedNames = map[string]bool{
	"authtoken":    true,
	"signature":    true,
	"mobilephone":  true,
	"email":        true,
	"password":     true,
	"customername": true,
	"username":     true,
}

var maskedHeaders = []string{"Authtoken", "Authorization", "Cookie", "Set-Cookie", "X-Sign"}

func isMaskedName(name string) bool { return maskedNames[strings.ToLower(name)] }

// MaskURL masks the values of secret and PII query parameters of a URL and
// leaves every other byte as it was, so the log still shows what was sent.
func MaskURL(raw string) string {
	base, query, ok := strings.Cut(raw, "?")
	if !ok {
		return raw
	}
	query, fragment, hasFragment := strings.Cut(query, "#")
	out := base + "?" + MaskQuery(query)
	if hasFragment {
		out += "#" + fragment
	}
	return out
}

// MaskQuery masks secret and PII values of a raw query string.
func MaskQuery(query string) string {
	pairs := strings.Split(query, "&")
	for i, pair := range pairs {
		name, _, hasValue := strings.Cut(pair, "=")
		if !hasValue {
			continue
		}
		decoded, err := url.QueryUnescape(name)
		if err != nil {
			decoded = name
		}
		if isMaskedName(decoded) {
			pairs[i] = name + "=" + Mask
		}
	}
	return strings.Join(pairs, "&")
}

// MaskJSON masks the values of secret and PII keys at any depth of a JSON
// text, keeping everything else byte for byte. Text that is not JSON is
// scanned the same way, so a half-received body is still masked.
func MaskJSON(body string) string {
	var b strings.Builder
	b.Grow(len(body))
	i := 0
	for i < len(body) {
		c := body[i]
		if c != '"' {
			b.WriteByte(c)
			i++
			continue
		}
		end := stringEnd(body, i)
		tok := body[i:end]
		b.WriteString(tok)
		i = end
		j := skipSpace(body, i)
		if j >= len(body) || body[j] != ':' {
			continue
		}
		var key string
		if json.Unmarshal([]byte(tok), &key) != nil || !isMaskedName(key) {
			continue
		}
		k := skipSpace(body, j+1)
		b.WriteString(body[i:k])
		i = k
		if k >= len(body) {
			break
		}
		switch {
		case body[k] == '"':
			i = stringEnd(body, k)
			b.WriteString(`"` + Mask + `"`)
		case body[k] == '-' || (body[k] >= '0' && body[k] <= '9'):
			i = k
			for i < len(body) && strings.IndexByte("+-.eE0123456789", body[i]) >= 0 {
				i++
			}
			b.WriteString(`"` + Mask + `"`)
		}
	}
	return b.String()
}

// stringEnd returns the index just past the JSON string starting at s[i].
func stringEnd(s string, i int) int {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(s)
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// MaskHeaders returns a copy of h with credential headers masked.
func MaskHeaders(h http.Header) http.Header {
	if h == nil {
		return nil
	}
	out := h.Clone()
	for name := range out {
		for _, secret := range maskedHeaders {
			if strings.EqualFold(name, secret) {
				out[name] = []string{Mask}
			}
		}
	}
	return out
}

// Masked returns a copy of the exchange fit for a message log: secret and
// PII values in the URL, headers and bodies are replaced by Mask.
func (e Exchange) Masked() Exchange {
	e.URL = MaskURL(e.URL)
	e.RequestHeaders = MaskHeaders(e.RequestHeaders)
	e.ResponseHeaders = MaskHeaders(e.ResponseHeaders)
	e.RequestBody = MaskJSON(e.RequestBody)
	e.ResponseBody = MaskJSON(e.ResponseBody)
	return e
}
