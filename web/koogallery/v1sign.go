package koogallery

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Wire names of the authentication parameters.
const (
	ParamAuthToken = "authToken" // V1 query parameter, or header in V1 POST
	ParamTimeStamp = "timeStamp" // V1, yyyyMMddHHmmssSSS
	ParamSignature = "signature" // V2 query
	ParamTimestamp = "timestamp" // V2 query, Unix s or ms
	ParamNonce     = "nonce"     // V2 query
	ParamActivity  = "activity"
)

// V1CanonicalString builds the string a V1 authToken signs: every parameter
// except authToken, first value per name, values as decoded (never
// re-encoded), sorted by name the way Java's TreeMap sorts strings (UTF-16
// code units), joined as name=value with '&'.
func V1CanonicalString(params url.Values) string {
	names := make([]string, 0, len(params))
	size := 0
	for name, vs := range params {
		if name == ParamAuthToken || len(vs) == 0 {
			continue
		}
		names = append(names, name)
		size += len(name) + len(vs[0]) + 2
	}
	slices.SortFunc(names, compareJava)
	var b strings.Builder
	b.Grow(size)
	for i, name := range names {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(name)
		b.WriteByte('=')
		b.WriteString(params[name][0])
	}
	return b.String()
}

// V1Token computes authToken = Base64(HMAC-SHA256(accessKey+timeStamp,
// canonical string)); params must contain timeStamp.
func V1Token(accessKey string, params url.Values) (string, error) {
	ts := params.Get(ParamTimeStamp)
	if ts == "" {
		return "", ErrMissingTimestamp
	}
	m := hmac.New(sha256.New, []byte(accessKey+ts))
	m.Write([]byte(V1CanonicalString(params)))
	return base64.StdEncoding.EncodeToString(m.Sum(nil)), nil
}

// VerifyV1Token checks a received authToken in constant time. A space in
// the token is read as '+': the docs show tokens sent with a raw '+', which
// query decoding turns into a space (spec §2.1 notes).
func VerifyV1Token(accessKey string, params url.Values, token string) error {
	if accessKey == "" {
		return ErrEmptyKey
	}
	token = strings.ReplaceAll(token, " ", "+")
	if token == "" {
		return ErrMissingAuthToken
	}
	want, err := V1Token(accessKey, params)
	if err != nil {
		return err
	}
	if !hmac.Equal([]byte(want), []byte(token)) {
		return ErrBadAuthToken
	}
	return nil
}

// ParseV1Query decodes a V1 query string into the signed parameters and the
// authToken (with the '+' tolerance applied). A repeated name is rejected:
// the marketplace never sends one, and accepting it would let the value that
// is signed (the first) differ from the one another layer acts on.
func ParseV1Query(rawQuery string) (params url.Values, authToken string, err error) {
	params, err = url.ParseQuery(rawQuery)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %v", ErrBadQuery, err)
	}
	for name, vs := range params {
		if len(vs) > 1 {
			return nil, "", fmt.Errorf("%w: %q", ErrDuplicateParam, name)
		}
	}
	authToken = strings.ReplaceAll(params.Get(ParamAuthToken), " ", "+")
	delete(params, ParamAuthToken)
	return params, authToken, nil
}

// FlattenV1Body turns the top-level fields of a V1 POST (联营) JSON body into
// the parameters its authToken signs. The spec confirms only flat string
// fields; for the rest this package chooses: numbers and booleans as their
// JSON literal, objects and arrays as compact JSON, null fields omitted, and
// an authToken field ignored as in the query form.
func FlattenV1Body(fields map[string]json.RawMessage) url.Values {
	params := make(url.Values, len(fields))
	for name, raw := range fields {
		if name == ParamAuthToken {
			continue
		}
		if text, ok := jsonText(raw); ok {
			params.Set(name, text)
		}
	}
	return params
}

// jsonText renders a JSON value as parameter text; ok is false for null.
func jsonText(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", false
	}
	switch raw[0] {
	case 'n':
		return "", false
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", false
		}
		return s, true
	case '{', '[':
		var buf bytes.Buffer
		if err := json.Compact(&buf, raw); err != nil {
			return string(raw), true
		}
		return buf.String(), true
	}
	return string(raw), true
}

// compareJava orders strings as java.lang.String.compareTo does: by UTF-16
// code units. It differs from byte order only when a supplementary character
// meets one in U+E000–U+FFFF, but the signature must match Java exactly.
func compareJava(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if a[:na] != b[:nb] && (ra == utf8.RuneError || rb == utf8.RuneError) {
			// Invalid UTF-8 has no Java order; bytes keep the sort total.
			return strings.Compare(a, b)
		}
		if ra != rb {
			ua, ub := firstUnit(ra), firstUnit(rb)
			if ua != ub {
				return int(ua) - int(ub)
			}
			// Same high surrogate: the low surrogates order like the runes.
			return int(ra) - int(rb)
		}
		a, b = a[na:], b[nb:]
	}
	return len(a) - len(b)
}

func firstUnit(r rune) uint16 {
	if r >= 0x10000 {
		hi, _ := utf16.EncodeRune(r)
		return uint16(hi)
	}
	return uint16(r)
}
