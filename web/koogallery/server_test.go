package koogallery

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseRequestV1GetActivities(t *testing.T) {
	cases := []struct {
		params map[string]string
		want   Request
	}{
		{map[string]string{"activity": "newInstance", "customerId": "c1", "businessId": "b1", "orderId": "o1", "productId": "p1", "chargingMode": "1", "testFlag": "1", "saasExtendParams": "W10="},
			&NewInstanceRequest{CustomerID: "c1", BusinessID: "b1", OrderID: "o1", ProductID: "p1", ChargingMode: "1", TestFlag: "1", SaaSExtendParams: "W10="}},
		{map[string]string{"activity": "refreshInstance", "orderId": "o2", "instanceId": "i1", "expireTime": "20250101080000", "trialToFormal": "1", "orderAmount": "-12.5"},
			&RefreshInstanceRequest{OrderID: "o2", InstanceID: "i1", ExpireTime: "20250101080000", TrialToFormal: "1", OrderAmount: "-12.5"}},
		{map[string]string{"activity": "expireInstance", "instanceId": "i1"}, &ExpireInstanceRequest{InstanceID: "i1"}},
		{map[string]string{"activity": "releaseInstance", "instanceId": "i1", "orderId": "o1"}, &ReleaseInstanceRequest{InstanceID: "i1", OrderID: "o1"}},
		{map[string]string{"activity": "upgrade", "instanceId": "i1", "orderId": "o3", "skuCode": "s2", "productId": "p2", "amount": "5"},
			&UpgradeRequest{InstanceID: "i1", OrderID: "o3", SKUCode: "s2", ProductID: "p2", Amount: "5"}},
		{map[string]string{"activity": "instanceStatus", "instanceId": "i1", "instanceStatus": "FREEZE"}, &InstanceStatusRequest{InstanceID: "i1", InstanceStatus: "FREEZE"}},
		{map[string]string{"activity": "queryInstance", "instanceId": "i1,i2"}, &QueryInstanceRequest{InstanceID: "i1,i2"}},
	}
	for _, tc := range cases {
		name := tc.params["activity"]
		t.Run(name, func(t *testing.T) {
			for _, build := range []func(testing.TB, string, map[string]string) *http.Request{v1Request, v1PostRequest} {
				r := build(t, testKey, tc.params)
				in, err := testVerifier().ParseRequest(r)
				if err != nil {
					t.Fatalf("%s: %v", r.Method, err)
				}
				if !reflect.DeepEqual(in.Request, tc.want) {
					t.Errorf("%s: decoded %+v, want %+v", r.Method, in.Request, tc.want)
				}
				wantVersion := V1
				if r.Method == "POST" {
					wantVersion = V1Post
				}
				if in.Version != wantVersion || in.Activity != Activity(name) {
					t.Errorf("%s: version %s activity %s", r.Method, in.Version, in.Activity)
				}
				if _, ok := in.Params[ParamAuthToken]; ok {
					t.Error("authToken leaked into Params")
				}
			}
		})
	}
}

func TestParseRequestV2Activities(t *testing.T) {
	cases := []struct {
		body string
		want Request
	}{
		{`{"activity":"newInstance","businessId":"b1","orderId":"o1","orderLineId":"o1-000001","testFlag":"1"}`,
			&NewInstanceRequest{BusinessID: "b1", OrderID: "o1", OrderLineID: "o1-000001", TestFlag: "1"}},
		{`{"activity":"queryInstance","instanceId":"i1","testFlag":1}`, &QueryInstanceRequest{InstanceID: "i1", TestFlag: "1"}},
		{`{"activity":"refreshInstance","expireTime":"20221124023618256","instanceId":"i1","orderId":"o2","orderLineId":"o2-1","productId":"p","scene":"RENEWAL","testFlag":"1"}`,
			&RefreshInstanceRequest{ExpireTime: "20221124023618256", InstanceID: "i1", OrderID: "o2", OrderLineID: "o2-1", ProductID: "p", Scene: "RENEWAL", TestFlag: "1"}},
		{`{"activity":"updateInstanceStatus","instanceId":"i1","status":"UNFREEZE"}`, &UpdateInstanceStatusRequest{InstanceID: "i1", Status: "UNFREEZE"}},
		{`{"activity":"releaseInstance","instanceId":"i1"}`, &ReleaseInstanceRequest{InstanceID: "i1"}},
		{`{"activity":"upgradeInstance","instanceId":"i1","orderId":"o3","orderLineId":"o3-1"}`, &UpgradeInstanceRequest{InstanceID: "i1", OrderID: "o3", OrderLineID: "o3-1"}},
		{`{"activity":"changeInstanceCheck","instanceId":"i1","productInfo":{"skuCode":"s","linearValue":3}}`,
			&ChangeInstanceCheckRequest{InstanceID: "i1", ProductInfo: json.RawMessage(`{"skuCode":"s","linearValue":3}`)}},
		{`{"activity":"getLicenseAsync","instanceId":"i1","effectiveTime":"2023-10-27 10:30:15 z","eventId":"e1","deviceFingerprint":"fp"}`,
			&GetLicenseAsyncRequest{InstanceID: "i1", EffectiveTime: "2023-10-27 10:30:15 z", EventID: "e1", DeviceFingerprint: "fp"}},
		{`{"activity":"orderNotify","orderId":"o1","orderLineId":"o1-1","testFlag":"0"}`, &OrderNotifyRequest{OrderID: "o1", OrderLineID: "o1-1", TestFlag: "0"}},
	}
	for i, tc := range cases {
		t.Run(string(tc.want.Activity()), func(t *testing.T) {
			r := v2Request(t, testKey, "nonce-"+string(rune('a'+i)), testNow, []byte(tc.body))
			in, err := testVerifier().ParseRequest(r)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(in.Request, tc.want) {
				t.Errorf("decoded %+v, want %+v", in.Request, tc.want)
			}
			if in.Version != V2 || in.Payload != PayloadRaw || string(in.Body) != tc.body {
				t.Errorf("version %s payload %s body %q", in.Version, in.Payload, in.Body)
			}
		})
	}
}

func TestParseRequestV2RichNewInstance(t *testing.T) {
	body := `{"activity":"newInstance","buyerInfo":{"customerId":"c","customerName":"n","userId":"u","userName":"un","mobilePhone":"m","email":"e"},"orderInfo":[{"businessId":"b1","orderId":"o1","trialFlag":"0","orderAmount":12.78,"chargingMode":"PERIOD","periodType":"month","periodNumber":5,"provisionType":1,"productInfo":[{"skuCode":"s","productId":"p","linearValue":20}],"createTime":"20221024194509","expireTime":"20221224194509","extendParams":[{"name":"emailDomainName","value":"test.xxxx.com"}]}],"testFlag":"1"}`
	in, err := testVerifier().ParseRequest(v2Request(t, testKey, "n1", testNow, []byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	r := in.Request.(*NewInstanceRequest)
	orderID, _, businessID := r.OrderKey()
	if orderID != "o1" || businessID != "b1" || r.BuyerInfo.CustomerID != "c" || r.OrderInfo[0].OrderAmount != "12.78" ||
		r.OrderInfo[0].ProductInfo[0].LinearValue != "20" || r.OrderInfo[0].ExtendParams[0].Value != "test.xxxx.com" {
		t.Errorf("decoded %+v", r)
	}

	// Without orderInfo the top-level ids are mandatory again; with an
	// orderInfo lacking them the request is still rejected.
	for _, bad := range []string{
		`{"activity":"newInstance","buyerInfo":{"customerId":"c"}}`,
		`{"activity":"newInstance","orderInfo":[{"trialFlag":"0"}]}`,
		`{"activity":"newInstance","orderInfo":{"orderId":"o"}}`,
	} {
		_, err := testVerifier().ParseRequest(v2Request(t, testKey, "n-"+bad, testNow, []byte(bad)))
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%s: %v, want ValidationError", bad, err)
		}
	}
}

func TestParseRequestErrors(t *testing.T) {
	okV1 := map[string]string{"activity": "expireInstance", "instanceId": "i1"}
	okV2 := []byte(`{"activity":"releaseInstance","instanceId":"i1"}`)
	big := bytes.Repeat([]byte(" "), MaxBodyBytes+1)
	cases := []struct {
		name   string
		req    func() *http.Request
		target error
		code   ResultCode
	}{
		{"wrong key V1", func() *http.Request { return v1Request(t, "other", okV1) }, ErrBadAuthToken, ResultAuthFailed},
		{"wrong key V1 POST", func() *http.Request { return v1PostRequest(t, "other", okV1) }, ErrBadAuthToken, ResultAuthFailed},
		{"wrong key V2", func() *http.Request { return v2Request(t, "other", "n", testNow, okV2) }, ErrBadSignature, ResultAuthFailed},
		{"missing timeStamp", func() *http.Request {
			return httptest.NewRequest("GET", "/p?activity=expireInstance&instanceId=i1&authToken=abc", nil)
		}, ErrMissingTimestamp, ResultAuthFailed},
		{"missing authToken", func() *http.Request {
			return httptest.NewRequest("GET", "/p?activity=expireInstance&instanceId=i1&timeStamp=20240101080000123", nil)
		}, ErrMissingAuthToken, ResultAuthFailed},
		{"duplicate query parameter", func() *http.Request {
			r := v1Request(t, testKey, okV1)
			r.URL.RawQuery += "&instanceId=i2"
			return r
		}, ErrDuplicateParam, ResultInvalidParam},
		{"duplicate JSON key", func() *http.Request {
			return v2Request(t, testKey, "n", testNow, []byte(`{"activity":"releaseInstance","instanceId":"i1","instanceId":"i2"}`))
		}, ErrDuplicateParam, ResultInvalidParam},
		{"bad escape", func() *http.Request { return httptest.NewRequest("GET", "/p?a=%zz", nil) }, ErrBadQuery, ResultInvalidParam},
		{"stale V2 timestamp", func() *http.Request { return v2Request(t, testKey, "n", testNow.Add(-61*time.Second), okV2) }, ErrStaleTimestamp, ResultAuthFailed},
		{"future V2 timestamp", func() *http.Request { return v2Request(t, testKey, "n", testNow.Add(61*time.Second), okV2) }, ErrStaleTimestamp, ResultAuthFailed},
		{"V2 timestamp not a number", func() *http.Request {
			r := v2Request(t, testKey, "n", testNow, okV2)
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "timestamp=", "timestamp=x", 1)
			return r
		}, ErrBadTimestamp, ResultAuthFailed},
		{"V2 without nonce", func() *http.Request {
			r := v2Request(t, testKey, "n", testNow, okV2)
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "nonce=n", "nonce=", 1)
			return r
		}, ErrMissingSignature, ResultAuthFailed},
		{"V2 nonce too long", func() *http.Request { return v2Request(t, testKey, strings.Repeat("n", 129), testNow, okV2) }, ErrBadNonce, ResultAuthFailed},
		{"POST without credentials", func() *http.Request { return httptest.NewRequest("POST", "/p", bytes.NewReader(okV2)) }, ErrMissingSignature, ResultAuthFailed},
		{"body over 1 MiB", func() *http.Request { return v2Request(t, testKey, "n", testNow, big) }, ErrBodyTooLarge, ResultInvalidParam},
		{"body not JSON", func() *http.Request { return v2Request(t, testKey, "n", testNow, []byte("activity=x")) }, ErrBadJSON, ResultInvalidParam},
		{"body a JSON array", func() *http.Request { return v2Request(t, testKey, "n", testNow, []byte(`[1]`)) }, ErrBadJSON, ResultInvalidParam},
		{"trailing data", func() *http.Request { return v2Request(t, testKey, "n", testNow, []byte(`{"activity":"x"}{}`)) }, ErrBadJSON, ResultInvalidParam},
		{"PUT", func() *http.Request { return httptest.NewRequest("PUT", "/p", nil) }, ErrMethod, ResultInvalidParam},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := testVerifier().ParseRequest(tc.req())
			if !errors.Is(err, tc.target) {
				t.Fatalf("err = %v, want %v", err, tc.target)
			}
			if got := ResultCodeForError(err); got != tc.code {
				t.Errorf("result code %s, want %s", got, tc.code)
			}
		})
	}
}

func TestParseRequestValidation(t *testing.T) {
	long := strings.Repeat("x", 65)
	cases := []struct {
		name   string
		req    func() *http.Request
		fields []string
	}{
		{"V1 newInstance missing fields", func() *http.Request {
			return v1Request(t, testKey, map[string]string{"activity": "newInstance", "orderId": "o"})
		}, []string{"customerId", "businessId", "productId"}},
		{"V1 over-long and mistyped", func() *http.Request {
			return v1Request(t, testKey, map[string]string{"activity": "refreshInstance", "orderId": long, "instanceId": "i", "expireTime": "2025-01-01", "periodNumber": "x"})
		}, []string{"orderId", "expireTime", "periodNumber"}},
		{"V1 instanceStatus enum", func() *http.Request {
			return v1Request(t, testKey, map[string]string{"activity": "instanceStatus", "instanceId": "i", "instanceStatus": "UNFREEZE"})
		}, []string{"instanceStatus"}},
		{"V1 unknown activity", func() *http.Request {
			return v1Request(t, testKey, map[string]string{"activity": "upgradeInstance", "instanceId": "i"})
		}, []string{"activity"}},
		{"V1 non-UTF-8 value", func() *http.Request {
			r := v1Request(t, testKey, map[string]string{"activity": "expireInstance", "instanceId": "i\xff"})
			return r
		}, []string{"instanceId"}},
		{"V1 over-long unknown parameter", func() *http.Request {
			return v1Request(t, testKey, map[string]string{"activity": "expireInstance", "instanceId": "i", "extra": strings.Repeat("y", 4097)})
		}, []string{"extra"}},
		{"V2 refresh scene", func() *http.Request {
			return v2Request(t, testKey, "n", testNow, []byte(`{"activity":"refreshInstance","scene":"RENEW","orderId":"o","orderLineId":"l","instanceId":"i","expireTime":"20250101080000"}`))
		}, []string{"scene"}},
		{"V2 object where a string belongs", func() *http.Request {
			return v2Request(t, testKey, "n", testNow, []byte(`{"activity":"releaseInstance","instanceId":{"id":"i"}}`))
		}, []string{"instanceId"}},
		{"V2 orderNotify testFlag is mandatory", func() *http.Request {
			return v2Request(t, testKey, "n", testNow, []byte(`{"activity":"orderNotify","orderId":"o","orderLineId":"l"}`))
		}, []string{"testFlag"}},
		{"V2 queryInstance with 101 ids", func() *http.Request {
			ids := strings.TrimSuffix(strings.Repeat("i,", 101), ",")
			return v2Request(t, testKey, "n", testNow, []byte(`{"activity":"queryInstance","instanceId":"`+ids+`"}`))
		}, []string{"instanceId"}},
		{"V2 V1-only activity", func() *http.Request {
			return v2Request(t, testKey, "n", testNow, []byte(`{"activity":"expireInstance","instanceId":"i"}`))
		}, []string{"activity"}},
		{"V2 missing activity", func() *http.Request {
			return v2Request(t, testKey, "n", testNow, []byte(`{"instanceId":"i"}`))
		}, []string{"activity"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in, err := testVerifier().ParseRequest(tc.req())
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v, want ValidationError", err)
			}
			if got := ve.FieldNames(); !slices.Equal(got, tc.fields) {
				t.Errorf("fields %v, want %v (%v)", got, tc.fields, err)
			}
			if ResultCodeForError(err) != ResultInvalidParam || in == nil || in.Version == "" {
				t.Errorf("code %s, incoming %+v", ResultCodeForError(err), in)
			}
		})
	}
}

func TestParseRequestReplayAndWindow(t *testing.T) {
	v := testVerifier()
	body := []byte(`{"activity":"releaseInstance","instanceId":"i1"}`)
	if _, err := v.ParseRequest(v2Request(t, testKey, "once", testNow, body)); err != nil {
		t.Fatal(err)
	}
	if _, err := v.ParseRequest(v2Request(t, testKey, "once", testNow, body)); !errors.Is(err, ErrReplayedNonce) {
		t.Fatalf("replay: %v", err)
	}
	// A forged request must not burn a nonce the marketplace will use.
	if _, err := v.ParseRequest(v2Request(t, "wrong", "fresh", testNow, body)); !errors.Is(err, ErrBadSignature) {
		t.Fatal(err)
	}
	if _, err := v.ParseRequest(v2Request(t, testKey, "fresh", testNow, body)); err != nil {
		t.Errorf("nonce used by a forged request was burnt: %v", err)
	}
	// Seconds are accepted as well as milliseconds.
	tss := "1704096000" // 2024-01-01T08:00:00Z
	r := httptest.NewRequest("POST", "/p?signature="+V2Signature(testKey, "sec", tss, body)+"&timestamp="+tss+"&nonce=sec", bytes.NewReader(body))
	if _, err := v.ParseRequest(r); err != nil {
		t.Errorf("timestamp in seconds: %v", err)
	}

	// V1 has no documented window; when one is configured it applies.
	v1 := &Verifier{Key: testKey, Now: func() time.Time { return testNow.Add(11 * time.Minute) }}
	params := map[string]string{"activity": "expireInstance", "instanceId": "i"}
	if _, err := v1.ParseRequest(v1Request(t, testKey, params)); err != nil {
		t.Errorf("V1 without window: %v", err)
	}
	v1.V1Window = 10 * time.Minute
	if _, err := v1.ParseRequest(v1Request(t, testKey, params)); !errors.Is(err, ErrStaleTimestamp) {
		t.Errorf("V1 with window: %v", err)
	}
}

func TestWriteResponseASCIIAndSigned(t *testing.T) {
	rec := httptest.NewRecorder()
	resp := NewInstanceResponse{
		Response:    NewResponse(ResultSuccess),
		EncryptType: EncryptAES256,
		InstanceID:  "i1",
		AppInfo:     &AppInfo{FrontEndURL: "https://x.example/?a=1&b=<2>", Memo: "中文 😀"},
	}
	if err := WriteResponse(rec, testKey, resp); err != nil {
		t.Fatal(err)
	}
	body := rec.Body.Bytes()
	for _, c := range body {
		if c >= 0x80 {
			t.Fatalf("non-ASCII byte in %s", body)
		}
	}
	if !bytes.Contains(body, []byte(`"memo":"\u4e2d\u6587 \ud83d\ude00"`)) || !bytes.Contains(body, []byte(`a=1&b=<2>`)) {
		t.Errorf("body %s", body)
	}
	if body[len(body)-1] == '\n' {
		t.Error("trailing newline would break the Body-Sign")
	}
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/json" {
		t.Errorf("status %d content type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	if _, err := VerifyBodySign(testKey, rec.Header().Get(HeaderBodySign), body); err != nil {
		t.Error(err)
	}
	var back NewInstanceResponse
	if err := json.Unmarshal(body, &back); err != nil || back.AppInfo.Memo != "中文 😀" {
		t.Errorf("round trip: %+v %v", back.AppInfo, err)
	}
}
