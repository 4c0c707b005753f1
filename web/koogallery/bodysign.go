package koogallery

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
)

// HeaderBodySign is the response header carrying the body signature. The
// marketplace does not recognise other spellings such as "Body-sign".
const HeaderBodySign = "Body-Sign"

// SignTypeHMACSHA256 is the only sign_type the spec defines.
const SignTypeHMACSHA256 = "HMAC-SHA256"

// maxBodySignLen bounds the header we parse; a real one is 73 characters.
const maxBodySignLen = 1024

// BodySignature is Base64(HMAC-SHA256(accessKey, body)) over the exact bytes
// sent, leading and trailing whitespace included. The key is the access key
// alone, not key+timeStamp as for the V1 request token.
func BodySignature(accessKey string, body []byte) string {
	m := hmac.New(sha256.New, []byte(accessKey))
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// BodySignHeader formats the Body-Sign value exactly as the spec's example,
// including the space after "signature=": the marketplace asks for the
// example's form to be followed strictly.
func BodySignHeader(accessKey string, body []byte) string {
	return FormatBodySign(BodySignature(accessKey, body))
}

// FormatBodySign wraps a Base64 signature into the Body-Sign header form.
func FormatBodySign(signature string) string {
	return `sign_type="` + SignTypeHMACSHA256 + `", signature= "` + signature + `"`
}

// BodySign is a parsed Body-Sign header.
type BodySign struct {
	SignType  string // "HMAC-SHA256", or "" when the header omitted it
	Signature string // Base64 as sent
	// Strict reports whether both attributes were present and double-quoted
	// as the spec demands; ParseBodySign also accepts looser forms (spacing,
	// attribute case, missing quotes, ';' separators, missing sign_type), and
	// Strict lets a caller report such headers as deviating.
	Strict bool
}

// ParseBodySign parses a Body-Sign header value tolerantly; see BodySign.Strict.
func ParseBodySign(v string) (BodySign, error) {
	var bs BodySign
	if strings.TrimSpace(v) == "" {
		return bs, ErrBodySignMissing
	}
	if len(v) > maxBodySignLen {
		return bs, fmt.Errorf("%w: longer than %d characters", ErrBodySignMalformed, maxBodySignLen)
	}
	var haveType, haveSig, typeQuoted, sigQuoted bool
	for part := range strings.FieldsFuncSeq(v, func(r rune) bool { return r == ',' || r == ';' }) {
		name, value, ok := strings.Cut(part, "=")
		if !ok {
			return bs, fmt.Errorf("%w: %q has no '='", ErrBodySignMalformed, strings.TrimSpace(part))
		}
		name = strings.ToLower(strings.TrimSpace(name))
		value, quoted, err := unquoteAttr(value)
		if err != nil {
			return bs, err
		}
		switch name {
		case "sign_type":
			if haveType {
				return bs, fmt.Errorf("%w: sign_type repeated", ErrBodySignMalformed)
			}
			haveType, typeQuoted, bs.SignType = true, quoted, value
		case "signature":
			if haveSig {
				return bs, fmt.Errorf("%w: signature repeated", ErrBodySignMalformed)
			}
			haveSig, sigQuoted, bs.Signature = true, quoted, value
		}
	}
	if !haveSig || bs.Signature == "" {
		return bs, fmt.Errorf("%w: no signature", ErrBodySignMalformed)
	}
	if haveType && !strings.EqualFold(bs.SignType, SignTypeHMACSHA256) {
		return bs, fmt.Errorf("%w: sign_type %q is not %s", ErrBodySignMalformed, bs.SignType, SignTypeHMACSHA256)
	}
	bs.Strict = haveType && typeQuoted && sigQuoted && bs.SignType == SignTypeHMACSHA256
	return bs, nil
}

func unquoteAttr(v string) (string, bool, error) {
	v = strings.TrimSpace(v)
	if !strings.HasPrefix(v, `"`) {
		if strings.Contains(v, `"`) {
			return "", false, fmt.Errorf("%w: stray quote in %q", ErrBodySignMalformed, v)
		}
		return v, false, nil
	}
	if len(v) < 2 || !strings.HasSuffix(v, `"`) || strings.Contains(v[1:len(v)-1], `"`) {
		return "", false, fmt.Errorf("%w: unbalanced quotes in %q", ErrBodySignMalformed, v)
	}
	return strings.TrimSpace(v[1 : len(v)-1]), true, nil
}

// VerifyBodySign checks a Body-Sign header against the exact body bytes
// received. The parsed header is returned even when the signature does not
// match, so a log can show what was sent.
func VerifyBodySign(accessKey, header string, body []byte) (BodySign, error) {
	if accessKey == "" {
		return BodySign{}, ErrEmptyKey
	}
	bs, err := ParseBodySign(header)
	if err != nil {
		return bs, err
	}
	got, err := base64.StdEncoding.DecodeString(bs.Signature)
	if err != nil {
		return bs, fmt.Errorf("%w: signature is not Base64", ErrBodySignMalformed)
	}
	m := hmac.New(sha256.New, []byte(accessKey))
	m.Write(body)
	if !hmac.Equal(got, m.Sum(nil)) {
		return bs, ErrBodySignMismatch
	}
	return bs, nil
}
