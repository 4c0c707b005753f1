package koogallery

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// randText draws strings mixing ASCII, the characters query encoding cares
// about, CJK, emoji and JSON escapes.
func randText(r *rand.Rand, maxRunes int) string {
	pools := []string{
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
		" +&=%?#/\\\"'<>\t\n",
		"中文云商店实例续费",
		"😀🎉𝄞",
		"éüßñ\u2028\u00a0",
	}
	n := r.IntN(maxRunes + 1)
	var b strings.Builder
	for i := 0; i < n; i++ {
		pool := []rune(pools[r.IntN(len(pools))])
		b.WriteRune(pool[r.IntN(len(pool))])
	}
	return b.String()
}

func randKey(r *rand.Rand) string {
	if r.IntN(4) == 0 {
		return randText(r, 40) + "k" // non-ASCII keys too
	}
	var b [16]byte
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return strconv.Quote(string(b[:]))
}

func newRand(t testing.TB) *rand.Rand {
	t.Helper()
	return rand.New(rand.NewPCG(20240101, 8))
}

func TestPropertyV1SignVerify(t *testing.T) {
	r := newRand(t)
	for iter := 0; iter < 300; iter++ {
		key := randKey(r)
		params := url.Values{ParamTimeStamp: {FormatTimeStamp(testNow)}}
		for i := r.IntN(6); i >= 0; i-- {
			params.Set("p"+randText(r, 4)+strconv.Itoa(i), randText(r, 20))
		}
		tok, err := V1Token(key, params)
		if err != nil {
			t.Fatal(err)
		}
		// Through the wire: encode as the client does, decode as the seller does.
		raw := appendQuery("", params) + "&authToken=" + url.QueryEscape(tok)
		got, gotTok, err := ParseV1Query(raw)
		if err != nil {
			t.Fatalf("ParseV1Query(%q): %v", raw, err)
		}
		if err := VerifyV1Token(key, got, gotTok); err != nil {
			t.Fatalf("iteration %d: %v", iter, err)
		}
		// Tamper one byte of the signed content: a name, a value or the token.
		canon := V1CanonicalString(params)
		tampered := tamperValues(r, params)
		if V1CanonicalString(tampered) == canon {
			continue // the flip produced an identical signed string
		}
		if err := VerifyV1Token(key, tampered, tok); !errors.Is(err, ErrBadAuthToken) {
			t.Fatalf("tampered params verified: %v", err)
		}
		badTok := []byte(tok)
		i := r.IntN(len(badTok))
		badTok[i] ^= 1 << r.IntN(7)
		if string(badTok) != tok && strings.ReplaceAll(string(badTok), " ", "+") != tok {
			if err := VerifyV1Token(key, params, string(badTok)); err == nil {
				t.Fatalf("tampered token %q verified", badTok)
			}
		}
		if err := VerifyV1Token(key+"x", params, tok); err == nil {
			t.Fatal("other key verified")
		}
	}
}

// tamperValues flips one bit of one byte of one name or value.
func tamperValues(r *rand.Rand, params url.Values) url.Values {
	names := make([]string, 0, len(params))
	for n := range params {
		names = append(names, n)
	}
	flip := func(s string) string {
		if s == "" {
			return "x"
		}
		b := []byte(s)
		b[r.IntN(len(b))] ^= 1 << r.IntN(8)
		return string(b)
	}
	target := names[r.IntN(len(names))]
	out := url.Values{}
	for _, n := range names {
		out[n] = append([]string(nil), params[n]...)
	}
	if r.IntN(2) == 0 && target != ParamTimeStamp && target != ParamAuthToken {
		v := out[target]
		delete(out, target)
		out[flip(target)] = v
	} else {
		out[target][0] = flip(out[target][0])
	}
	return out
}

func TestPropertyV2SignVerify(t *testing.T) {
	r := newRand(t)
	for iter := 0; iter < 300; iter++ {
		key := randKey(r)
		fields := map[string]string{"activity": "releaseInstance", "instanceId": randText(r, 20)}
		for i := r.IntN(4); i >= 0; i-- {
			fields["x"+randText(r, 3)] = randText(r, 30)
		}
		body := v2Body(t, fields)
		nonce := "n" + strconv.Itoa(iter)
		ts := strconv.FormatInt(testNow.UnixMilli(), 10)
		sig := V2Signature(key, nonce, ts, body)
		check := V2Check{Key: key, Now: fixedNow, Nonces: NewNonceCache(0, 0)}
		if _, err := check.Verify(sig, ts, nonce, body); err != nil {
			t.Fatalf("iteration %d: %v", iter, err)
		}
		orig, _ := ParseJSONBody(body)

		// Any single-byte change of the body either fails or leaves a body
		// that means exactly the same (e.g. a hex digit's case in \u00XX).
		tb := bytes.Clone(body)
		i := r.IntN(len(tb))
		tb[i] ^= byte(1 + r.IntN(255))
		check.Nonces = NewNonceCache(0, 0)
		if _, err := check.Verify(sig, ts, nonce, tb); err == nil {
			got, perr := ParseJSONBody(tb)
			if perr != nil || !sameJSONValues(orig, got) {
				t.Fatalf("tampered body %q verified", tb)
			}
		}
		// Nonce, timestamp and signature are covered as well.
		for _, tc := range []struct{ sig, ts, nonce string }{
			{sig, ts, nonce + "x"},
			{sig, strconv.FormatInt(testNow.UnixMilli()+1, 10), nonce},
			{flipHex(r, sig), ts, nonce},
		} {
			check.Nonces = NewNonceCache(0, 0)
			if _, err := check.Verify(tc.sig, tc.ts, tc.nonce, body); err == nil {
				t.Fatalf("tampered %+v verified", tc)
			}
		}
	}
}

func sameJSONValues(a, b map[string]json.RawMessage) bool {
	if len(a) != len(b) {
		return false
	}
	for k, va := range a {
		vb, ok := b[k]
		if !ok {
			return false
		}
		var x, y any
		if json.Unmarshal(va, &x) != nil || json.Unmarshal(vb, &y) != nil || !reflect.DeepEqual(x, y) {
			return false
		}
	}
	return true
}

// flipHex changes one hex digit to a different value (not just its case).
func flipHex(r *rand.Rand, s string) string {
	b := []byte(s)
	i := r.IntN(len(b))
	v, _ := strconv.ParseUint(string(b[i]), 16, 8)
	b[i] = "0123456789ABCDEF"[(v+1+uint64(r.IntN(15)))%16]
	return string(b)
}

func TestPropertyBodySign(t *testing.T) {
	r := newRand(t)
	for iter := 0; iter < 300; iter++ {
		key := randKey(r)
		resp := NewInstanceResponse{Response: NewResponse(ResultSuccess), InstanceID: randText(r, 10),
			AppInfo: &AppInfo{FrontEndURL: "https://" + randText(r, 20), Memo: randText(r, 40)}}
		rec := httptest.NewRecorder()
		if err := WriteResponse(rec, key, resp); err != nil {
			t.Fatal(err)
		}
		body, header := rec.Body.Bytes(), rec.Header().Get(HeaderBodySign)
		if _, err := VerifyBodySign(key, header, body); err != nil {
			t.Fatalf("iteration %d: %v", iter, err)
		}
		var back NewInstanceResponse
		if err := json.Unmarshal(body, &back); err != nil || back.AppInfo.Memo != strings.ToValidUTF8(resp.AppInfo.Memo, "\ufffd") {
			t.Fatalf("ASCII JSON round trip: %q vs %q (%v)", back.AppInfo.Memo, resp.AppInfo.Memo, err)
		}
		tb := bytes.Clone(body)
		tb[r.IntN(len(tb))] ^= byte(1 + r.IntN(255))
		if _, err := VerifyBodySign(key, header, tb); !errors.Is(err, ErrBodySignMismatch) {
			t.Fatalf("tampered body: %v", err)
		}
		if _, err := VerifyBodySign(key, header, append(bytes.Clone(body), ' ')); !errors.Is(err, ErrBodySignMismatch) {
			t.Fatalf("appended space: %v", err)
		}
	}
}

func TestPropertyEncryptDecrypt(t *testing.T) {
	r := newRand(t)
	for iter := 0; iter < 500; iter++ {
		key := randKey(r)
		pt := randText(r, 30)
		for len(pt) > MaxPlaintextBytes {
			_, size := utf8.DecodeLastRuneInString(pt)
			pt = pt[:len(pt)-size]
		}
		et := []EncryptType{EncryptAES256, EncryptAES128}[r.IntN(2)]
		v, err := Encrypt(key, pt, et)
		if err != nil {
			t.Fatalf("Encrypt(%q): %v", pt, err)
		}
		if len(v) > 128 {
			t.Fatalf("%d-byte plaintext gave %d characters", len(pt), len(v))
		}
		got, err := Decrypt(key, v, et)
		if err != nil || got != pt {
			t.Fatalf("Decrypt = %q, %v; want %q", got, err, pt)
		}
		got, detected, err := DecryptAuto(key, v)
		if err != nil || got != pt || detected != et {
			t.Fatalf("DecryptAuto = %q, %s, %v; want %q, %s", got, detected, err, pt, et)
		}
	}
}

func TestPropertyClockSkewWindow(t *testing.T) {
	r := newRand(t)
	body := []byte(`{"activity":"releaseInstance","instanceId":"i"}`)
	for iter := 0; iter < 200; iter++ {
		skew := time.Duration(r.Int64N(int64(4*time.Minute))) - 2*time.Minute
		ts := strconv.FormatInt(testNow.Add(skew).UnixMilli(), 10)
		c := V2Check{Key: testKey, Now: fixedNow, Nonces: NewNonceCache(0, 0)}
		_, err := c.Verify(V2Signature(testKey, "n", ts, body), ts, "n", body)
		inside := skew.Abs() <= DefaultV2Window
		if inside != (err == nil) || (!inside && !errors.Is(err, ErrStaleTimestamp)) {
			t.Fatalf("skew %s: %v", skew, err)
		}
	}
}
