package koogallery

import (
	"bytes"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"
)

// Seed corpora live in testdata/fuzz/<FuzzName>/; the f.Add calls below
// cover the shapes the spec documents.

func FuzzParseV1Query(f *testing.F) {
	f.Add("activity=newInstance&businessId=61e834ba-7b97-4418-b8f7-e5345137278c&customerId=68cbc86abc2018ab880d92f36422fa0e&expireTime=20250101080000&orderId=CS1906666666ABCDE&productId=00301-666666-0--0&testFlag=1&timeStamp=20240101080000123&authToken=tQ2Gio7RcDuZ+w67njeVlS6r5s71NsqfsIeBPPpNwDo=")
	f.Add("activity=instanceStatus&instanceId=huaweitest123456&instanceStatus=FREEZE&testFlag=1&timeStamp=20230327070251713&authToken=pqlrW7%2BPHC%2F1JE%2BMEjKxC94GGJreoS6PZHd982auw2o%3D")
	f.Add("a=1&a=2")
	f.Add("a=%zz;b")
	f.Fuzz(func(t *testing.T, raw string) {
		params, token, err := ParseV1Query(raw)
		if err != nil {
			if !errors.Is(err, ErrBadQuery) && !errors.Is(err, ErrDuplicateParam) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if params.Has(ParamAuthToken) || strings.Contains(token, " ") {
			t.Fatalf("authToken not extracted: %v %q", params, token)
		}
		for name, vs := range params {
			if len(vs) != 1 {
				t.Fatalf("%s has %d values", name, len(vs))
			}
		}
		_ = V1CanonicalString(params)
		if err := VerifyV1Token(testKey, params, token); err == nil {
			// Only a correctly signed query may pass; recompute to be sure.
			want, _ := V1Token(testKey, params)
			if want != token {
				t.Fatalf("verified with a token that is not the HMAC")
			}
		}
		// The whole seller path must not panic either.
		r := httptest.NewRequest("GET", "/p", nil)
		r.URL.RawQuery = raw
		in, err := testVerifier().ParseRequest(r)
		if err == nil && in.Request == nil {
			t.Fatal("no error and no request")
		}
	})
}

func FuzzParseV2Body(f *testing.F) {
	f.Add([]byte(`{"activity":"newInstance","businessId":"87b94795-0603-4e24-8ae5-69420d60e3c8","orderId":"CS2211181819B4LVS","orderLineId":"CS2211181819B4LVS-000001","testFlag":"1"}`))
	f.Add([]byte(`{"activity":"refreshInstance","expireTime":"20221124023618256","instanceId":"i","orderId":"o","orderLineId":"l","productId":"p","scene":"TRIAL_TO_FORMAL","testFlag":"1"}`))
	f.Add([]byte(`{"activity":"newInstance","buyerInfo":{"customerId":"c"},"orderInfo":[{"businessId":"b","orderId":"o","orderAmount":12.78,"productInfo":[{"linearValue":20}]}]}`))
	f.Add([]byte(`{"activity":"changeInstanceCheck","instanceId":"i","productInfo":{"a":[1,{"b":null}]}}`))
	f.Add([]byte(`{"a":1,"a":2}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if fields, err := ParseJSONBody(body); err == nil {
			c1, err := CanonicalJSON(body)
			if err != nil {
				t.Fatalf("object parsed but not canonicalised: %v", err)
			}
			c2, err := CanonicalJSON(c1)
			if err != nil || !bytes.Equal(c1, c2) {
				t.Fatalf("CanonicalJSON not idempotent:\n%s\n%s", c1, c2)
			}
			_ = FlattenV1Body(fields)
		}
		// A correctly signed body goes through authentication, so this
		// exercises parsing, validation and decoding of arbitrary JSON.
		r := v2Request(t, testKey, "fuzz", testNow, body)
		in, err := testVerifier().ParseRequest(r)
		if err != nil {
			if IsAuthError(err) {
				t.Fatalf("a correctly signed body failed authentication: %v", err)
			}
			if ResultCodeForError(err) != ResultInvalidParam {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if in.Request == nil || in.Request.Activity() != in.Activity {
			t.Fatalf("incoming %+v", in)
		}
	})
}

func FuzzParseBodySign(f *testing.F) {
	f.Add(`sign_type="HMAC-SHA256", signature= "R3zVoaQBzwz0OnqvIoewZxcxNiz+T6EwBZMOTlUOSLU="`)
	f.Add(`signature=abc`)
	f.Add(`sign_type="HMAC-SHA256"; signature="a"; signature="b"`)
	f.Add(`sign_type="`)
	f.Fuzz(func(t *testing.T, header string) {
		bs, err := ParseBodySign(header)
		if err != nil {
			if !errors.Is(err, ErrBodySignMissing) && !errors.Is(err, ErrBodySignMalformed) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if bs.Signature == "" || strings.Contains(bs.Signature, `"`) {
			t.Fatalf("parsed signature %q", bs.Signature)
		}
		// Re-formatting the parsed signature gives a strict header that
		// parses to the same signature.
		again, err := ParseBodySign(FormatBodySign(bs.Signature))
		if strings.ContainsAny(bs.Signature, ",;=") {
			return // cannot be re-embedded unambiguously
		}
		if err != nil || again.Signature != bs.Signature || !again.Strict {
			t.Fatalf("re-parse of %q: %+v, %v", bs.Signature, again, err)
		}
		_, _ = VerifyBodySign(testKey, header, []byte(header))
	})
}

func FuzzDecrypt(f *testing.F) {
	f.Add("Ab3dEf6hIj9kLm2nzGI0Tk8sCF2194FH7yNX8Q==")
	f.Add("Ab3dEf6hIj9kLm2nPRx1dTFsgf9ehxXtAYeBHg==")
	f.Add("Ab3dEf6hIj9kLm2n")
	f.Add("short")
	f.Add("Ab3dEf6hIj9kLm2nzGI0Tk8s F2194FH7yNX8Q==")
	f.Fuzz(func(t *testing.T, value string) {
		for _, et := range []EncryptType{EncryptAES256, EncryptAES128} {
			pt, err := Decrypt(testKey, value, et)
			if err != nil {
				if !isCryptoError(err) {
					t.Fatalf("untyped error %v", err)
				}
				continue
			}
			if !utf8.ValidString(pt) {
				t.Fatal("non-UTF-8 plaintext returned")
			}
			// Decryption of strict Base64 is exactly invertible.
			if len(pt) <= MaxPlaintextBytes {
				again, err := EncryptWithIV(testKey, pt, value[:IVLength], et)
				if err != nil || again != strings.ReplaceAll(value, " ", "+") {
					t.Fatalf("re-encrypt %q: %q, %v", value, again, err)
				}
			}
		}
		if _, _, err := DecryptAuto(testKey, value); err != nil && !isCryptoError(err) {
			t.Fatalf("untyped error %v", err)
		}
	})
}

func isCryptoError(err error) bool {
	for _, target := range []error{ErrBadIV, ErrBadBase64, ErrBadCiphertext, ErrBadPadding, ErrNotUTF8} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}
