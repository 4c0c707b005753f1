package koogallery

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// seller is a test seller endpoint: it verifies with the real Verifier and
// lets each test decide the answer.
type seller struct {
	*httptest.Server
	mu       sync.Mutex
	received []*Incoming
	errs     []error
}

func newSeller(t *testing.T, answer func(w http.ResponseWriter, in *Incoming)) *seller {
	t.Helper()
	s := &seller{}
	v := &Verifier{Key: testKey}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		in, err := v.ParseRequest(r)
		s.mu.Lock()
		s.received = append(s.received, in)
		s.errs = append(s.errs, err)
		s.mu.Unlock()
		if err != nil {
			_ = WriteResponse(w, testKey, NewResponse(ResultCodeForError(err)))
			return
		}
		answer(w, in)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *seller) last() (*Incoming, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.received) == 0 {
		return nil, errors.New("nothing received")
	}
	return s.received[len(s.received)-1], s.errs[len(s.errs)-1]
}

// goodAnswer answers every activity correctly.
func goodAnswer(w http.ResponseWriter, in *Incoming) {
	switch in.Activity {
	case ActivityNewInstance:
		user, _ := Encrypt(testKey, "admin", EncryptAES256)
		_ = WriteResponse(w, testKey, NewInstanceResponse{
			Response: NewResponse(ResultSuccess), EncryptType: EncryptAES256, InstanceID: "inst-1",
			AppInfo: &AppInfo{FrontEndURL: "https://app.example/inst-1", UserName: user, Memo: "备注"},
		})
	case ActivityQueryInstance:
		_ = WriteResponse(w, testKey, QueryInstanceResponse{
			Response: NewResponse(ResultSuccess),
			Info: []InstanceInfo{{InstanceID: "inst-1", AppInfo: &AppInfo{FrontEndURL: "https://app.example/inst-1"},
				UsageInfo: []UsageInfo{{UsageValue: "1.5", StatisticalTime: FormatTimeStamp(testNow)}}}},
		})
	default:
		_ = WriteResponse(w, testKey, NewResponse(ResultSuccess))
	}
}

func requestsFor(v Version) []Request {
	common := []Request{
		&QueryInstanceRequest{InstanceID: "inst-1", TestFlag: "1"},
	}
	if v == V2 {
		return append(common,
			&NewInstanceRequest{BusinessID: "b1", OrderID: "o1", OrderLineID: "o1-000001", TestFlag: "1"},
			&RefreshInstanceRequest{Scene: SceneRenewal, OrderID: "o2", OrderLineID: "o2-1", InstanceID: "inst-1", ExpireTime: "20250101080000"},
			&UpdateInstanceStatusRequest{InstanceID: "inst-1", Status: StatusFreeze},
			&ReleaseInstanceRequest{InstanceID: "inst-1"},
			&UpgradeInstanceRequest{InstanceID: "inst-1", OrderID: "o3", OrderLineID: "o3-1"},
			&ChangeInstanceCheckRequest{InstanceID: "inst-1", ProductInfo: []byte(`{"skuCode":"s"}`)},
			&GetLicenseAsyncRequest{InstanceID: "inst-1", EffectiveTime: "2023-10-27 10:30:15 z", EventID: "e1"},
			&OrderNotifyRequest{OrderID: "o1", OrderLineID: "o1-1", TestFlag: "1"},
		)
	}
	return append(common,
		&NewInstanceRequest{CustomerID: "c1", BusinessID: "b1", OrderID: "o1", ProductID: "p1", CustomerName: "买家"},
		&RefreshInstanceRequest{OrderID: "o2", InstanceID: "inst-1", ExpireTime: "20250101080000"},
		&ExpireInstanceRequest{InstanceID: "inst-1", OrderID: "o1"},
		&ReleaseInstanceRequest{InstanceID: "inst-1", OrderID: "o1"},
		&UpgradeRequest{InstanceID: "inst-1", OrderID: "o3", SKUCode: "s2", ProductID: "p2"},
		&InstanceStatusRequest{InstanceID: "inst-1", InstanceStatus: StatusNormal},
	)
}

func TestClientAllActivitiesOK(t *testing.T) {
	s := newSeller(t, goodAnswer)
	c := &Client{Now: time.Now}
	for _, v := range []Version{V1, V1Post, V2} {
		for _, req := range requestsFor(v) {
			t.Run(string(v)+"/"+string(req.Activity()), func(t *testing.T) {
				out, err := c.Call(context.Background(), Endpoint{URL: s.URL + "/produce", Key: testKey, Version: v}, req)
				if err != nil || !out.OK() {
					t.Fatalf("class %s: %v", out.Class, err)
				}
				in, serverErr := s.last()
				if serverErr != nil || in.Version != v || in.Activity != req.Activity() {
					t.Fatalf("seller saw %+v, %v", in, serverErr)
				}
				ex := out.Exchange
				if ex.ResponseStatus != 200 || ex.BodySign != BodySignOK || ex.Activity != req.Activity() || ex.Version != v || ex.ResponseBody == "" {
					t.Errorf("exchange %+v", ex)
				}
				switch v {
				case V1:
					if ex.Method != "GET" || !strings.Contains(ex.URL, "&authToken=") || ex.RequestBody != "" {
						t.Errorf("V1 exchange %s %s %q", ex.Method, ex.URL, ex.RequestBody)
					}
				case V1Post:
					// The header goes out with the spec's spelling, not Go's canonical one.
					//lint:ignore SA1008 the non-canonical key is the point of the check
					if ex.Method != "POST" || ex.RequestHeaders[ParamAuthToken] == nil || !strings.Contains(ex.RequestBody, `"timeStamp":"`) {
						t.Errorf("V1 POST exchange %v %q", ex.RequestHeaders, ex.RequestBody)
					}
				case V2:
					if ex.Method != "POST" || !strings.Contains(ex.URL, "signature=") || !strings.Contains(ex.URL, "nonce=") {
						t.Errorf("V2 exchange %s", ex.URL)
					}
				}
				if req.Activity() == ActivityNewInstance && out.NewInstance().InstanceID != "inst-1" {
					t.Errorf("instanceId %q", out.NewInstance().InstanceID)
				}
				if req.Activity() == ActivityQueryInstance && out.QueryInstance().Info[0].UsageInfo[0].UsageValue != "1.5" {
					t.Errorf("query %+v", out.QueryInstance())
				}
			})
		}
	}
}

func TestClientErrorClasses(t *testing.T) {
	newInst := &NewInstanceRequest{CustomerID: "c1", BusinessID: "b1", OrderID: "o1", ProductID: "p1"}
	raw := func(status int, contentType, body string, sign func(body string) string) func(http.ResponseWriter, *Incoming) {
		return func(w http.ResponseWriter, _ *Incoming) {
			if contentType != "" {
				w.Header().Set("Content-Type", contentType)
			}
			if sign != nil {
				w.Header().Set(HeaderBodySign, sign(body))
			}
			w.WriteHeader(status)
			_, _ = w.Write([]byte(body))
		}
	}
	good := func(body string) string { return BodySignHeader(testKey, []byte(body)) }
	const okBody = `{"resultCode":"000000","resultMsg":"success","instanceId":"i","appInfo":{"frontEndUrl":"https://x"}}`

	cases := []struct {
		name     string
		answer   func(http.ResponseWriter, *Incoming)
		req      Request
		version  Version
		timeout  time.Duration
		class    ErrorClass
		target   error
		bodySign BodySignCheck
	}{
		{name: "timeout", answer: func(w http.ResponseWriter, in *Incoming) {
			time.Sleep(300 * time.Millisecond)
			goodAnswer(w, in)
		}, timeout: 50 * time.Millisecond, class: ClassTimeout, bodySign: BodySignNotChecked},
		{name: "http status 500", answer: raw(500, "application/json", okBody, good), class: ClassHTTPStatus, bodySign: BodySignOK},
		{name: "redirect is not followed", answer: func(w http.ResponseWriter, _ *Incoming) {
			w.Header().Set("Location", "/elsewhere")
			w.WriteHeader(http.StatusFound)
		}, class: ClassHTTPStatus, bodySign: BodySignMissing},
		{name: "Body-Sign missing", answer: raw(200, "application/json", okBody, nil), class: ClassBadBodySign, target: ErrBodySignMissing, bodySign: BodySignMissing},
		{name: "Body-Sign wrong key", answer: raw(200, "application/json", okBody, func(b string) string { return BodySignHeader("other", []byte(b)) }),
			class: ClassBadBodySign, target: ErrBodySignMismatch, bodySign: BodySignMismatch},
		{name: "Body-Sign over a different body", answer: raw(200, "application/json", okBody, func(b string) string { return BodySignHeader(testKey, []byte(b+"\n")) }),
			class: ClassBadBodySign, target: ErrBodySignMismatch, bodySign: BodySignMismatch},
		{name: "Body-Sign malformed", answer: raw(200, "application/json", okBody, func(string) string { return `sign_type="MD5", signature="x"` }),
			class: ClassBadBodySign, target: ErrBodySignMalformed, bodySign: BodySignMalformed},
		{name: "Body-Sign lenient format accepted", answer: raw(200, "application/json", okBody, func(b string) string {
			return "signature=" + BodySignature(testKey, []byte(b))
		}), class: ClassOK, bodySign: BodySignLenient},
		{name: "not JSON", answer: raw(200, "application/json", `<html>`, good), class: ClassBadJSON, target: ErrBadJSON, bodySign: BodySignOK},
		{name: "JSON of the wrong shape", answer: raw(200, "application/json", `{"resultCode":"000000","instanceId":7}`, good), class: ClassBadJSON, bodySign: BodySignOK},
		{name: "wrong content type", answer: raw(200, "text/html", okBody, good), class: ClassBadJSON, bodySign: BodySignOK},
		{name: "oversized body", answer: raw(200, "application/json", `{"resultCode":"000000","x":"`+strings.Repeat("a", MaxBodyBytes)+`"}`, good),
			class: ClassBadJSON, bodySign: BodySignMismatch},
		{name: "resultCode missing", answer: raw(200, "application/json", `{"resultMsg":"ok"}`, good), class: ClassMissingField, bodySign: BodySignOK},
		{name: "instanceId missing", answer: raw(200, "application/json", `{"resultCode":"000000","resultMsg":"ok","appInfo":{"frontEndUrl":"https://x"}}`, good),
			class: ClassMissingField, bodySign: BodySignOK},
		{name: "frontEndUrl missing (V1)", answer: raw(200, "application/json", `{"resultCode":"000000","resultMsg":"ok","instanceId":"i"}`, good),
			class: ClassMissingField, bodySign: BodySignOK},
		{name: "frontEndUrl not needed (V2)", answer: raw(200, "application/json", `{"resultCode":"000000","resultMsg":"ok","instanceId":"i"}`, good),
			version: V2, req: &NewInstanceRequest{BusinessID: "b", OrderID: "o", OrderLineID: "l"}, class: ClassOK, bodySign: BodySignOK},
		{name: "usage without statisticalTime", answer: raw(200, "application/json", `{"resultCode":"000000","resultMsg":"ok","info":[{"instanceId":"i","usageInfo":[{"usageValue":1}]}]}`, good),
			req: &QueryInstanceRequest{InstanceID: "i"}, class: ClassMissingField, bodySign: BodySignOK},
		{name: "business code", answer: func(w http.ResponseWriter, _ *Incoming) {
			_ = WriteResponse(w, testKey, NewResponse(ResultInternalError))
		},
			class: ClassBusinessCode, bodySign: BodySignOK},
		{name: "numeric resultCode", answer: raw(200, "application/json", `{"resultCode":1,"resultMsg":"x"}`, good), class: ClassBusinessCode, bodySign: BodySignOK},
		{name: "invalid request", req: &NewInstanceRequest{OrderID: "o1"}, class: ClassInvalidRequest, bodySign: BodySignNotChecked},
		{name: "activity of the other version", req: &UpgradeInstanceRequest{InstanceID: "i", OrderID: "o", OrderLineID: "l"}, class: ClassInvalidRequest, bodySign: BodySignNotChecked},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			answer := tc.answer
			if answer == nil {
				answer = goodAnswer
			}
			s := newSeller(t, answer)
			req, version := tc.req, tc.version
			if req == nil {
				req = newInst
			}
			if version == "" {
				version = V1
			}
			c := &Client{Timeout: tc.timeout}
			out, err := c.Call(context.Background(), Endpoint{URL: s.URL + "/produce", Key: testKey, Version: version}, req)
			if out.Class != tc.class {
				t.Fatalf("class %s, want %s (%v)", out.Class, tc.class, err)
			}
			if (err == nil) != (tc.class == ClassOK) || err != out.Err {
				t.Fatalf("err %v, outcome err %v", err, out.Err)
			}
			var ce *CallError
			if err != nil && (!errors.As(err, &ce) || ce.Class != tc.class) {
				t.Errorf("err %T %v is not a CallError of class %s", err, err, tc.class)
			}
			if tc.target != nil && !errors.Is(err, tc.target) {
				t.Errorf("err %v, want %v", err, tc.target)
			}
			if out.Exchange.BodySign != tc.bodySign {
				t.Errorf("body sign %s, want %s", out.Exchange.BodySign, tc.bodySign)
			}
			// The exchange is recorded whatever happened.
			ex := out.Exchange
			if ex.Activity != req.Activity() || ex.StartedAt.IsZero() {
				t.Errorf("exchange %+v", ex)
			}
			if tc.class != ClassInvalidRequest && (ex.URL == "" || ex.Method == "") {
				t.Errorf("exchange lacks the request: %+v", ex)
			}
			if tc.class != ClassInvalidRequest && tc.class != ClassTimeout && (ex.ResponseStatus == 0 || ex.ResponseHeaders == nil) {
				t.Errorf("exchange lacks the response: %+v", ex)
			}
		})
	}
}

func TestClientBusinessCodeKeepsInstanceID(t *testing.T) {
	s := newSeller(t, func(w http.ResponseWriter, _ *Incoming) {
		_ = WriteResponse(w, testKey, NewInstanceResponse{Response: NewResponse(ResultProcessing), InstanceID: "later"})
	})
	out, err := (&Client{}).Call(context.Background(), Endpoint{URL: s.URL, Key: testKey, Version: V2},
		&NewInstanceRequest{BusinessID: "b", OrderID: "o", OrderLineID: "l"})
	if out.Class != ClassBusinessCode || out.ResultCode != ResultProcessing || out.NewInstance().InstanceID != "later" {
		t.Errorf("outcome %+v, %v", out, err)
	}
}

func TestClientConnectionError(t *testing.T) {
	s := httptest.NewServer(http.NotFoundHandler())
	url := s.URL
	s.Close()
	out, err := (&Client{}).Call(context.Background(), Endpoint{URL: url, Key: testKey, Version: V2}, &ReleaseInstanceRequest{InstanceID: "i"})
	if out.Class != ClassConnection || err == nil {
		t.Fatalf("class %s, %v", out.Class, err)
	}
	if out.Exchange.URL == "" || out.Exchange.RequestBody == "" || out.Exchange.ResponseStatus != 0 {
		t.Errorf("exchange %+v", out.Exchange)
	}
}

func TestClientStrictBodySign(t *testing.T) {
	s := newSeller(t, func(w http.ResponseWriter, _ *Incoming) {
		body, _ := MarshalASCII(NewResponse(ResultSuccess))
		WriteSigned(w, body, "signature="+BodySignature(testKey, body))
	})
	out, _ := (&Client{StrictBodySign: true}).Call(context.Background(), Endpoint{URL: s.URL, Key: testKey, Version: V2}, &ReleaseInstanceRequest{InstanceID: "i"})
	if out.Class != ClassBadBodySign || out.Exchange.BodySign != BodySignLenient {
		t.Errorf("class %s sign %s", out.Class, out.Exchange.BodySign)
	}
}

func TestClientEndpointQueryIsSigned(t *testing.T) {
	s := newSeller(t, goodAnswer)
	out, err := (&Client{}).Call(context.Background(), Endpoint{URL: s.URL + "/produce?tenant=t1", Key: testKey, Version: V1}, &ExpireInstanceRequest{InstanceID: "i"})
	if err != nil {
		t.Fatal(err)
	}
	in, _ := s.last()
	if in.Params["tenant"] != "t1" || !strings.Contains(out.Exchange.URL, "?tenant=t1&activity=") {
		t.Errorf("params %v url %s", in.Params, out.Exchange.URL)
	}
}

func TestExchangeMasked(t *testing.T) {
	s := newSeller(t, goodAnswer)
	out, err := (&Client{}).Call(context.Background(), Endpoint{URL: s.URL, Key: testKey, Version: V1},
		&NewInstanceRequest{CustomerID: "c1", BusinessID: "b1", OrderID: "o1", ProductID: "p1", MobilePhone: "Ab3dEf6hIj9kLm2nPRx1dTFsgf9ehxXtAYeBHg==", Email: "e@x"})
	if err != nil {
		t.Fatal(err)
	}
	m := out.Exchange.Masked()
	for _, secret := range []string{"PRx1dTF", "e%40x", "authToken=" + out.Exchange.URL[strings.Index(out.Exchange.URL, "authToken=")+10:]} {
		if strings.Contains(m.URL, secret) {
			t.Errorf("masked URL still has %q: %s", secret, m.URL)
		}
	}
	if !strings.Contains(m.URL, "customerId=c1") || !strings.Contains(m.URL, "mobilePhone=***") {
		t.Errorf("masked URL %s", m.URL)
	}
	if strings.Contains(out.Exchange.URL, "***") {
		t.Error("Masked modified the original")
	}
}
