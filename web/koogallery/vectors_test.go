package koogallery

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
)

// vectors mirrors testdata/vectors.json, the worked vectors of the spec.
type vectors struct {
	V1Tokens []struct {
		Name, AccessKey, Canonical, HMACKey, AuthToken string
		Params                                         map[string]string
	}
	V1TokenTransport []struct {
		Name, RawQuery, AuthToken, Canonical string
	}
	V2Signatures []struct {
		Name, AccessKey, Timestamp, Nonce, Payload, Inner, Signature string
	}
	BodySigns []struct {
		Name, AccessKey, Body, Signature, Header string
	}
	Keys []struct {
		Name, AccessKey, AES128, AES256 string
	}
	Encryptions []struct {
		Name, AccessKey, Plaintext, IV, EncryptType, Value string
	}
	Times          []timeVector
	UnixTimestamps []timeVector
	LicenseTimes   []timeVector
	ASCIIJSON      []struct {
		Name, Memo, JSON string
	}
	PlaintextLimit struct {
		Name           string
		MaxBytes       int
		MaxCipherChars int
	}
}

type timeVector struct {
	Name, In, UTC string
}

func loadVectors(t testing.TB) vectors {
	t.Helper()
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectors
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	if len(v.V1Tokens) == 0 || len(v.V2Signatures) == 0 || len(v.BodySigns) == 0 || len(v.Keys) == 0 || len(v.Encryptions) == 0 {
		t.Fatal("vectors.json lost a section")
	}
	return v
}

func valuesOf(m map[string]string) url.Values {
	v := url.Values{}
	for k, s := range m {
		v.Set(k, s)
	}
	return v
}

func TestVectorV1Token(t *testing.T) {
	for _, vec := range loadVectors(t).V1Tokens {
		t.Run(vec.Name, func(t *testing.T) {
			params := valuesOf(vec.Params)
			if got := V1CanonicalString(params); got != vec.Canonical {
				t.Errorf("canonical string\n got %s\nwant %s", got, vec.Canonical)
			}
			if got := vec.AccessKey + params.Get(ParamTimeStamp); got != vec.HMACKey {
				t.Errorf("HMAC key %q, want %q", got, vec.HMACKey)
			}
			got, err := V1Token(vec.AccessKey, params)
			if err != nil || got != vec.AuthToken {
				t.Fatalf("V1Token = %q, %v; want %q", got, err, vec.AuthToken)
			}
			if err := VerifyV1Token(vec.AccessKey, params, vec.AuthToken); err != nil {
				t.Errorf("VerifyV1Token: %v", err)
			}
			// The token must survive the raw-'+' transport the docs show.
			if err := VerifyV1Token(vec.AccessKey, params, strings.ReplaceAll(vec.AuthToken, "+", " ")); err != nil {
				t.Errorf("VerifyV1Token with '+' decoded as space: %v", err)
			}

			// And through the seller-side helper, as a real GET.
			q := url.Values{}
			for k, s := range vec.Params {
				q.Set(k, s)
			}
			q.Set(ParamAuthToken, vec.AuthToken)
			r := httptest.NewRequest("GET", "https://isv.example/saasproduce?"+q.Encode(), nil)
			ver := &Verifier{Key: vec.AccessKey}
			in, err := ver.ParseRequest(r)
			if err != nil {
				t.Fatalf("ParseRequest: %v", err)
			}
			ni, ok := in.Request.(*NewInstanceRequest)
			if !ok || ni.OrderID != vec.Params["orderId"] || ni.CustomerID != vec.Params["customerId"] || in.Version != V1 {
				t.Errorf("ParseRequest decoded %+v (%s)", in.Request, in.Version)
			}
		})
	}
}

func TestVectorV1TokenTransport(t *testing.T) {
	for _, vec := range loadVectors(t).V1TokenTransport {
		t.Run(vec.Name, func(t *testing.T) {
			params, token, err := ParseV1Query(vec.RawQuery)
			if err != nil {
				t.Fatal(err)
			}
			if token != vec.AuthToken {
				t.Errorf("authToken %q, want %q", token, vec.AuthToken)
			}
			if got := V1CanonicalString(params); got != vec.Canonical {
				t.Errorf("canonical\n got %s\nwant %s", got, vec.Canonical)
			}
		})
	}
}

func TestVectorV2Signature(t *testing.T) {
	for _, vec := range loadVectors(t).V2Signatures {
		t.Run(vec.Name, func(t *testing.T) {
			payload := []byte(vec.Payload)
			if got := V2PayloadHash(vec.AccessKey, payload); got != vec.Inner {
				t.Errorf("inner %s, want %s", got, vec.Inner)
			}
			if got := V2Signature(vec.AccessKey, vec.Nonce, vec.Timestamp, payload); got != vec.Signature {
				t.Errorf("signature %s, want %s", got, vec.Signature)
			}
			ts, err := ParseUnixTimestamp(vec.Timestamp)
			if err != nil {
				t.Fatal(err)
			}
			check := func(body []byte, sig string) (PayloadForm, error) {
				c := V2Check{Key: vec.AccessKey, Now: func() time.Time { return ts.Add(30 * time.Second) }, Nonces: NewNonceCache(0, 0)}
				return c.Verify(sig, vec.Timestamp, vec.Nonce, body)
			}
			if form, err := check(payload, vec.Signature); err != nil || form != PayloadRaw {
				t.Errorf("raw payload: %s, %v", form, err)
			}
			if _, err := check(payload, strings.ToLower(vec.Signature)); err != nil {
				t.Errorf("lower-case hex must be accepted: %v", err)
			}
			// The same document with keys out of order and whitespace
			// verifies through the key-sorted fallback (spec §2.3 (b)).
			var m map[string]any
			if err := json.Unmarshal(payload, &m); err != nil {
				t.Fatal(err)
			}
			reordered := []byte("{ \"testFlag\": \"1\", \"orderLineId\": \"" + m["orderLineId"].(string) +
				"\", \"orderId\": \"" + m["orderId"].(string) + "\", \"businessId\": \"" + m["businessId"].(string) +
				"\", \"activity\": \"" + m["activity"].(string) + "\" }\n")
			if form, err := check(reordered, vec.Signature); err != nil || form != PayloadSorted {
				t.Errorf("reordered payload: %s, %v", form, err)
			}
			canon, err := CanonicalJSON(reordered)
			if err != nil || string(canon) != vec.Payload {
				t.Errorf("CanonicalJSON = %s, %v", canon, err)
			}
		})
	}
}

func TestVectorBodySign(t *testing.T) {
	for _, vec := range loadVectors(t).BodySigns {
		t.Run(vec.Name, func(t *testing.T) {
			body := []byte(vec.Body)
			if got := BodySignature(vec.AccessKey, body); got != vec.Signature {
				t.Errorf("signature %s, want %s", got, vec.Signature)
			}
			if got := BodySignHeader(vec.AccessKey, body); got != vec.Header {
				t.Errorf("header\n got %s\nwant %s", got, vec.Header)
			}
			bs, err := VerifyBodySign(vec.AccessKey, vec.Header, body)
			if err != nil || !bs.Strict {
				t.Errorf("VerifyBodySign: %+v, %v", bs, err)
			}
			// "包括开始和结束的空格": a trailing newline is a different body.
			if _, err := VerifyBodySign(vec.AccessKey, vec.Header, append(body, '\n')); !errors.Is(err, ErrBodySignMismatch) {
				t.Errorf("trailing newline: %v, want mismatch", err)
			}
			// The server helper emits exactly these bytes for this response.
			rec := httptest.NewRecorder()
			if err := WriteResponse(rec, vec.AccessKey, Response{ResultCode: ResultSuccess, ResultMsg: "success."}); err != nil {
				t.Fatal(err)
			}
			if rec.Body.String() != vec.Body || rec.Header().Get(HeaderBodySign) != vec.Header {
				t.Errorf("WriteResponse wrote %q with %q", rec.Body.String(), rec.Header().Get(HeaderBodySign))
			}
		})
	}
}

func TestVectorKeyDerivation(t *testing.T) {
	for _, vec := range loadVectors(t).Keys {
		t.Run(vec.Name, func(t *testing.T) {
			for bits, want := range map[int]string{128: vec.AES128, 256: vec.AES256} {
				k, err := DeriveKey(vec.AccessKey, bits)
				if err != nil || hex.EncodeToString(k) != want {
					t.Errorf("AES-%d key %x, %v; want %s", bits, k, err, want)
				}
			}
		})
	}
}

func TestVectorEncryption(t *testing.T) {
	for _, vec := range loadVectors(t).Encryptions {
		t.Run(vec.Name, func(t *testing.T) {
			et := EncryptType(vec.EncryptType)
			got, err := EncryptWithIV(vec.AccessKey, vec.Plaintext, vec.IV, et)
			if err != nil || got != vec.Value {
				t.Fatalf("EncryptWithIV = %q, %v; want %q", got, err, vec.Value)
			}
			pt, err := Decrypt(vec.AccessKey, vec.Value, et)
			if err != nil || pt != vec.Plaintext {
				t.Errorf("Decrypt = %q, %v", pt, err)
			}
			pt, detected, err := DecryptAuto(vec.AccessKey, vec.Value)
			if err != nil || pt != vec.Plaintext || detected != et {
				t.Errorf("DecryptAuto = %q, %s, %v; want %s", pt, detected, err, et)
			}
		})
	}
}

func TestVectorTimes(t *testing.T) {
	v := loadVectors(t)
	run := func(vecs []timeVector, parse func(string) (time.Time, error)) {
		for _, vec := range vecs {
			t.Run(vec.Name, func(t *testing.T) {
				want, err := time.Parse(time.RFC3339Nano, vec.UTC)
				if err != nil {
					t.Fatal(err)
				}
				got, err := parse(vec.In)
				if err != nil || !got.Equal(want) {
					t.Errorf("parse(%q) = %v, %v; want %v", vec.In, got, err, want)
				}
			})
		}
	}
	run(v.Times, ParseTime)
	run(v.UnixTimestamps, ParseUnixTimestamp)
	run(v.LicenseTimes, ParseLicenseTime)
	for _, vec := range v.Times {
		got, _ := ParseTime(vec.In)
		var back string
		if len(vec.In) == 17 {
			back = FormatTimeStamp(got)
		} else {
			back = FormatExpireTime(got)
		}
		if back != vec.In {
			t.Errorf("format(%v) = %s, want %s", got, back, vec.In)
		}
	}
}

func TestVectorASCIIJSON(t *testing.T) {
	for _, vec := range loadVectors(t).ASCIIJSON {
		got, err := MarshalASCII(vec.Memo)
		if err != nil || string(got) != vec.JSON {
			t.Errorf("%s: MarshalASCII = %s, %v; want %s", vec.Name, got, err, vec.JSON)
		}
	}
}

func TestVectorPlaintextLimit(t *testing.T) {
	lim := loadVectors(t).PlaintextLimit
	if lim.MaxBytes != MaxPlaintextBytes {
		t.Fatalf("MaxPlaintextBytes = %d, spec says %d", MaxPlaintextBytes, lim.MaxBytes)
	}
	key := "a1b2c3d4-0000-4000-8000-123456789abc"
	for _, et := range []EncryptType{EncryptAES256, EncryptAES128} {
		v, err := Encrypt(key, strings.Repeat("x", lim.MaxBytes), et)
		if err != nil || len(v) > lim.MaxCipherChars {
			t.Errorf("%d bytes: %d characters, %v", lim.MaxBytes, len(v), err)
		}
		_, err = Encrypt(key, strings.Repeat("x", lim.MaxBytes+1), et)
		var tooLong *PlaintextTooLongError
		if !errors.As(err, &tooLong) || tooLong.Bytes != lim.MaxBytes+1 || !errors.Is(err, ErrPlaintextTooLong) {
			t.Errorf("%d bytes: %v, want PlaintextTooLongError", lim.MaxBytes+1, err)
		}
	}
	// 80 bytes would really overflow: 16 + Base64(96 bytes) = 144.
	if n := IVLength + 4*((16*((lim.MaxBytes+1)/16+1)+2)/3); n <= lim.MaxCipherChars {
		t.Errorf("limit arithmetic: 80 bytes give %d characters", n)
	}
}
