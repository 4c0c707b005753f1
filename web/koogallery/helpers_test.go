package koogallery

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"
)

const testKey = "a1b2c3d4-0000-4000-8000-123456789abc"

var testNow = time.Date(2024, 1, 1, 8, 0, 0, 123e6, time.UTC)

func fixedNow() time.Time { return testNow }

// v1Request builds a signed V1 GET carrying params (timeStamp added).
func v1Request(t testing.TB, key string, params map[string]string) *http.Request {
	t.Helper()
	v := valuesOf(params)
	if _, ok := params[ParamTimeStamp]; !ok {
		v.Set(ParamTimeStamp, FormatTimeStamp(testNow))
	}
	tok, err := V1Token(key, v)
	if err != nil {
		t.Fatal(err)
	}
	return httptest.NewRequest("GET", "/produce?"+appendQuery("", v)+"&authToken="+url.QueryEscape(tok), nil)
}

// v1PostRequest builds a signed V1 POST (联营) with body fields params.
func v1PostRequest(t testing.TB, key string, params map[string]string) *http.Request {
	t.Helper()
	v := valuesOf(params)
	if _, ok := params[ParamTimeStamp]; !ok {
		v.Set(ParamTimeStamp, FormatTimeStamp(testNow))
	}
	body := encodeBody(wireOfValues(v))
	tok, err := V1Token(key, v)
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("POST", "/produce", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header["authToken"] = []string{tok}
	return r
}

// v2Request builds a signed V2 POST with the given raw body.
func v2Request(t testing.TB, key, nonce string, ts time.Time, body []byte) *http.Request {
	t.Helper()
	tss := strconv.FormatInt(ts.UnixMilli(), 10)
	sig := V2Signature(key, nonce, tss, body)
	q := url.Values{ParamSignature: {sig}, ParamTimestamp: {tss}, ParamNonce: {nonce}}
	r := httptest.NewRequest("POST", "/produce?"+q.Encode(), bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json;charset=utf8")
	return r
}

func wireOfValues(v url.Values) wire {
	w := wire{text: map[string]string{}, raw: map[string]json.RawMessage{}}
	for name := range v {
		w.text[name] = v.Get(name)
		w.raw[name] = mustQuote(v.Get(name))
	}
	return w
}

func v2Body(t testing.TB, params map[string]string) []byte {
	t.Helper()
	return encodeBody(wireOfValues(valuesOf(params)))
}

func testVerifier() *Verifier {
	return &Verifier{Key: testKey, Now: fixedNow}
}
