package koogallery

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// V2PayloadHash is Lowercase(Hex(HMAC-SHA256(accessKey, payload))), the inner
// part of the V2 canonical request.
func V2PayloadHash(accessKey string, payload []byte) string {
	m := hmac.New(sha256.New, []byte(accessKey))
	m.Write(payload)
	var sum [sha256.Size]byte
	return hex.EncodeToString(m.Sum(sum[:0]))
}

// V2Signature computes the V2 signature query parameter:
// Hex(HMAC-SHA256(accessKey, accessKey + nonce + timestamp + V2PayloadHash)),
// in upper case like the published examples. timestamp is used verbatim, as
// the decimal string sent in the URL.
func V2Signature(accessKey, nonce, timestamp string, payload []byte) string {
	sum := v2Sum(accessKey, nonce, timestamp, payload)
	var out [2 * sha256.Size]byte
	const digits = "0123456789ABCDEF"
	for i, b := range sum {
		out[2*i] = digits[b>>4]
		out[2*i+1] = digits[b&0x0f]
	}
	return string(out[:])
}

func v2Sum(accessKey, nonce, timestamp string, payload []byte) []byte {
	inner := V2PayloadHash(accessKey, payload)
	m := hmac.New(sha256.New, []byte(accessKey))
	m.Write([]byte(accessKey))
	m.Write([]byte(nonce))
	m.Write([]byte(timestamp))
	m.Write([]byte(inner))
	return m.Sum(nil)
}

// v2SignatureMatches compares hex case-insensitively in constant time.
func v2SignatureMatches(accessKey, nonce, timestamp string, payload []byte, signature string) bool {
	got, err := hex.DecodeString(signature)
	if err != nil || len(got) != sha256.Size {
		return false
	}
	return hmac.Equal(got, v2Sum(accessKey, nonce, timestamp, payload))
}

// V2Check verifies the V2 query authentication of one request.
type V2Check struct {
	Key    string
	Now    func() time.Time
	Window time.Duration // allowed |now − timestamp|; 0 means DefaultV2Window
	Nonces *NonceCache   // required: without it replays go unnoticed
}

// DefaultV2Window is the documented limit: "商家需要校验这个时间戳与当前时间相差不超过60s".
const DefaultV2Window = 60 * time.Second

// maxNonceLen bounds the nonce the cache will hold; examples use 16–64.
const maxNonceLen = 128

// PayloadForm says which bytes a V2 signature was found to cover.
type PayloadForm string

// Payload forms, in the order they are tried.
const (
	PayloadRaw    PayloadForm = "raw"    // the body bytes as received
	PayloadSorted PayloadForm = "sorted" // CanonicalJSON of the body
)

// Verify checks timestamp freshness, then the signature over the raw body
// and, failing that, over the key-sorted body (the spec leaves open which
// one RequestPayload is), then records the nonce. The nonce is recorded only
// after the signature holds, so forged requests cannot fill the cache.
func (c V2Check) Verify(signature, timestamp, nonce string, body []byte) (PayloadForm, error) {
	if c.Key == "" {
		return "", ErrEmptyKey
	}
	if c.Nonces == nil {
		return "", errors.New("koogallery: V2Check needs a NonceCache")
	}
	if signature == "" || timestamp == "" || nonce == "" {
		return "", ErrMissingSignature
	}
	if len(nonce) > maxNonceLen || !utf8.ValidString(nonce) {
		return "", ErrBadNonce
	}
	ts, err := ParseUnixTimestamp(timestamp)
	if err != nil {
		return "", err
	}
	now := c.now()
	window := c.Window
	if window <= 0 {
		window = DefaultV2Window
	}
	if d := now.Sub(ts); d > window || d < -window {
		return "", fmt.Errorf("%w: %s off by %s", ErrStaleTimestamp, timestamp, d.Round(time.Millisecond))
	}
	form := PayloadRaw
	if !v2SignatureMatches(c.Key, nonce, timestamp, body, signature) {
		canon, err := CanonicalJSON(body)
		if err != nil || !v2SignatureMatches(c.Key, nonce, timestamp, canon, signature) {
			return "", ErrBadSignature
		}
		form = PayloadSorted
	}
	if !c.Nonces.Use(nonce, now) {
		return "", ErrReplayedNonce
	}
	return form, nil
}

func (c V2Check) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// ParseJSONBody decodes the top level of a JSON object body, keeping each
// value raw. A repeated key is rejected for the same reason as a repeated
// query parameter.
func ParseJSONBody(body []byte) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadJSON, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("%w: body is not a JSON object", ErrBadJSON)
	}
	fields := make(map[string]json.RawMessage)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadJSON, err)
		}
		name, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("%w: field %q: %v", ErrBadJSON, name, err)
		}
		if _, dup := fields[name]; dup {
			return nil, fmt.Errorf("%w: %q", ErrDuplicateParam, name)
		}
		fields[name] = raw
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadJSON, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: data after the top-level object", ErrBadJSON)
	}
	return fields, nil
}

// CanonicalJSON re-serialises a JSON document with object keys sorted
// ascending (Java string order) at every level, no insignificant whitespace,
// numbers verbatim and no HTML escaping — the fallback form of the V2
// RequestPayload.
func CanonicalJSON(body []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadJSON, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: data after the JSON value", ErrBadJSON)
	}
	buf := make([]byte, 0, len(body))
	return appendCanonical(buf, v), nil
}

func appendCanonical(buf []byte, v any) []byte {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, compareJava)
		buf = append(buf, '{')
		for i, k := range keys {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendJSONString(buf, k, false)
			buf = append(buf, ':')
			buf = appendCanonical(buf, v[k])
		}
		return append(buf, '}')
	case []any:
		buf = append(buf, '[')
		for i, e := range v {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = appendCanonical(buf, e)
		}
		return append(buf, ']')
	case string:
		return appendJSONString(buf, v, false)
	case json.Number:
		return append(buf, v...)
	case bool:
		return strconv.AppendBool(buf, v)
	default:
		return append(buf, "null"...)
	}
}

// appendJSONString quotes s with the minimal escapes Java serialisers use;
// with ascii set, every non-ASCII character becomes \uXXXX (surrogate pairs
// above U+FFFF), which the spec asks for in memo.
func appendJSONString(buf []byte, s string, ascii bool) []byte {
	const hexDigits = "0123456789abcdef"
	buf = append(buf, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				buf = append(buf, '\\', c)
			case c == '\n':
				buf = append(buf, '\\', 'n')
			case c == '\r':
				buf = append(buf, '\\', 'r')
			case c == '\t':
				buf = append(buf, '\\', 't')
			case c == '\b':
				buf = append(buf, '\\', 'b')
			case c == '\f':
				buf = append(buf, '\\', 'f')
			case c < 0x20 || (ascii && c == 0x7f):
				buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				buf = append(buf, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !ascii {
			if r == utf8.RuneError && size == 1 {
				buf = append(buf, "\ufffd"...)
			} else {
				buf = append(buf, s[i:i+size]...)
			}
			i += size
			continue
		}
		for _, u := range utf16.Encode([]rune{r}) {
			buf = append(buf, '\\', 'u', hexDigits[u>>12], hexDigits[u>>8&0xf], hexDigits[u>>4&0xf], hexDigits[u&0xf])
		}
		i += size
	}
	return append(buf, '"')
}
