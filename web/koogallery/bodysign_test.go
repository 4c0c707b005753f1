package koogallery

import (
	"errors"
	"testing"
)

func TestParseBodySign(t *testing.T) {
	const sig = "R3zVoaQBzwz0OnqvIoewZxcxNiz+T6EwBZMOTlUOSLU="
	cases := []struct {
		header string
		strict bool
		target error
	}{
		{`sign_type="HMAC-SHA256", signature= "` + sig + `"`, true, nil},
		{`sign_type="HMAC-SHA256",signature="` + sig + `"`, true, nil},
		{`  SIGN_TYPE = "HMAC-SHA256" ;	Signature =  "` + sig + `"  `, true, nil},
		{`signature= "` + sig + `", sign_type="HMAC-SHA256"`, true, nil},
		{`sign_type="hmac-sha256", signature="` + sig + `"`, false, nil},
		{`sign_type=HMAC-SHA256, signature=` + sig, false, nil},
		{`signature="` + sig + `"`, false, nil},
		{`sign_type="HMAC-SHA256", signature="` + sig + `", extra="x"`, true, nil},
		{``, false, ErrBodySignMissing},
		{`   `, false, ErrBodySignMissing},
		{`sign_type="HMAC-SHA256"`, false, ErrBodySignMalformed},
		{`sign_type="MD5", signature="` + sig + `"`, false, ErrBodySignMalformed},
		{`signature="` + sig, false, ErrBodySignMalformed},
		{`signature=` + sig + `"`, false, ErrBodySignMalformed},
		{`signature=""`, false, ErrBodySignMalformed},
		{`signature="a", signature="b"`, false, ErrBodySignMalformed},
		{`garbage`, false, ErrBodySignMalformed},
	}
	for _, tc := range cases {
		bs, err := ParseBodySign(tc.header)
		if tc.target != nil {
			if !errors.Is(err, tc.target) {
				t.Errorf("%q: %v, want %v", tc.header, err, tc.target)
			}
			continue
		}
		if err != nil || bs.Signature != sig || bs.Strict != tc.strict {
			t.Errorf("%q: %+v, %v; want strict=%v", tc.header, bs, err, tc.strict)
		}
	}
}

func TestVerifyBodySignRejectsNonBase64(t *testing.T) {
	if _, err := VerifyBodySign(testKey, `sign_type="HMAC-SHA256", signature="***"`, nil); !errors.Is(err, ErrBodySignMalformed) {
		t.Errorf("err %v", err)
	}
	if _, err := VerifyBodySign("", BodySignHeader("k", nil), nil); !errors.Is(err, ErrEmptyKey) {
		t.Errorf("empty key: %v", err)
	}
}
