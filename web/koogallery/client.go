package koogallery

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultTimeout is the marketplace's own limit per call in the CN region
// ("默认超时时间为20s"); the EU site documents 5 s.
const DefaultTimeout = 20 * time.Second

// ErrorClass classifies the outcome of a call for the message log and the
// retry policy.
type ErrorClass string

// Error classes, in the order the checks run.
const (
	ClassOK             ErrorClass = "ok"
	ClassInvalidRequest ErrorClass = "invalid_request" // not sent: the request broke the spec tables or the endpoint is unusable
	ClassTimeout        ErrorClass = "timeout"
	ClassConnection     ErrorClass = "connection" // refused, reset, DNS, TLS, cancelled
	ClassHTTPStatus     ErrorClass = "http_status"
	ClassBadBodySign    ErrorClass = "bad_body_sign"
	ClassBadJSON        ErrorClass = "bad_json" // also a non-JSON Content-Type or an oversized body
	ClassMissingField   ErrorClass = "missing_field"
	ClassBusinessCode   ErrorClass = "business_code"
)

// BodySignCheck records what the Body-Sign check of a response found.
type BodySignCheck string

// Body-Sign check results.
const (
	BodySignNotChecked BodySignCheck = "not_checked" // no response
	BodySignOK         BodySignCheck = "ok"
	BodySignLenient    BodySignCheck = "ok_lenient" // matches, but the header deviates from the strict format
	BodySignMissing    BodySignCheck = "missing"
	BodySignMalformed  BodySignCheck = "malformed"
	BodySignMismatch   BodySignCheck = "mismatch"
)

// Exchange is the record of one call as it went over the wire, kept even
// when the call failed. It is a plain struct so a message log can store it;
// use Masked before storing.
type Exchange struct {
	Version           Version       `json:"version"`
	Activity          Activity      `json:"activity"`
	Method            string        `json:"method"`
	URL               string        `json:"url"`
	RequestHeaders    http.Header   `json:"requestHeaders,omitempty"`
	RequestBody       string        `json:"requestBody,omitempty"`
	StartedAt         time.Time     `json:"startedAt"`      // from Client.Now
	Latency           time.Duration `json:"latency"`        // monotonic, request sent to body read
	ResponseStatus    int           `json:"responseStatus"` // 0 when no response arrived
	ResponseHeaders   http.Header   `json:"responseHeaders,omitempty"`
	ResponseBody      string        `json:"responseBody,omitempty"`
	ResponseTruncated bool          `json:"responseTruncated,omitempty"`
	BodySign          BodySignCheck `json:"bodySign"`
}

// Endpoint is a seller's production interface.
type Endpoint struct {
	URL     string  // e.g. https://www.isvwebsite.com/saasproduce
	Key     string  // the access key
	Version Version // V1, V1Post or V2
}

// Client plays the marketplace: it signs a call, sends it and verifies the
// answer. The zero value is usable.
type Client struct {
	// HTTP sends the calls; nil means a client that does not follow
	// redirects, since the marketplace counts anything but 200 as failure.
	HTTP *http.Client
	// Now stamps V1 timeStamps and V2 timestamps; nil means time.Now.
	Now func() time.Time
	// Timeout bounds each call; 0 means DefaultTimeout.
	Timeout time.Duration
	// Nonce makes V2 nonces; nil means 32 random bytes as upper-case hex,
	// the form of the documented examples.
	Nonce func() string
	// MaxResponseBytes bounds the response body read; 0 means 1 MiB.
	MaxResponseBytes int64
	// StrictBodySign fails responses whose Body-Sign matches but deviates
	// from the quoted format the marketplace documents.
	StrictBodySign bool
}

// Outcome is the result of Call. Exchange is always filled as far as the
// call got.
type Outcome struct {
	Class      ErrorClass
	Err        error // nil only for ClassOK
	Exchange   Exchange
	ResultCode ResultCode
	ResultMsg  string
	// Response is *NewInstanceResponse for newInstance,
	// *QueryInstanceResponse for queryInstance and *Response otherwise; nil
	// if the body could not be decoded.
	Response any
}

// OK reports whether the call succeeded in every respect.
func (o *Outcome) OK() bool { return o.Class == ClassOK }

// NewInstance returns the decoded newInstance response, if any.
func (o *Outcome) NewInstance() *NewInstanceResponse {
	r, _ := o.Response.(*NewInstanceResponse)
	return r
}

// QueryInstance returns the decoded queryInstance response, if any.
func (o *Outcome) QueryInstance() *QueryInstanceResponse {
	r, _ := o.Response.(*QueryInstanceResponse)
	return r
}

// CallError is the error of a failed call.
type CallError struct {
	Class ErrorClass
	Err   error
}

func (e *CallError) Error() string { return "koogallery: " + string(e.Class) + ": " + e.Err.Error() }
func (e *CallError) Unwrap() error { return e.Err }

var noRedirectClient = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Client) nonce() string {
	if c.Nonce != nil {
		return c.Nonce()
	}
	var b [32]byte
	_, _ = rand.Read(b[:])
	return strings.ToUpper(hex.EncodeToString(b[:]))
}

// Call signs req for ep, sends it and verifies the response: HTTP 200, a
// JSON Content-Type, a valid Body-Sign, resultCode 000000 and the mandatory
// fields of the activity. The returned Outcome is never nil; err equals
// Outcome.Err.
func (c *Client) Call(ctx context.Context, ep Endpoint, req Request) (*Outcome, error) {
	out := &Outcome{Exchange: Exchange{Version: ep.Version, BodySign: BodySignNotChecked, StartedAt: c.now()}}
	fail := func(class ErrorClass, err error) (*Outcome, error) {
		out.Class = class
		out.Err = &CallError{Class: class, Err: err}
		return out, out.Err
	}
	if req == nil {
		return fail(ClassInvalidRequest, errors.New("nil request"))
	}
	out.Exchange.Activity = req.Activity()

	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	httpReq, err := c.build(ctx, ep, req, &out.Exchange)
	if err != nil {
		return fail(ClassInvalidRequest, err)
	}
	hc := c.HTTP
	if hc == nil {
		hc = noRedirectClient
	}
	out.Exchange.StartedAt = c.now()
	// Latency is a measurement, not protocol logic: it uses the monotonic
	// clock so an injected Now (say, one skewed for a timestamp test) cannot
	// distort it.
	stopwatch := time.Now()
	resp, err := hc.Do(httpReq)
	if err != nil {
		out.Exchange.Latency = time.Since(stopwatch)
		return fail(classifyTransport(err), err)
	}
	defer resp.Body.Close()
	limit := c.MaxResponseBytes
	if limit <= 0 {
		limit = MaxBodyBytes
	}
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	out.Exchange.Latency = time.Since(stopwatch)
	out.Exchange.ResponseStatus = resp.StatusCode
	out.Exchange.ResponseHeaders = resp.Header.Clone()
	truncated := int64(len(body)) > limit
	if truncated {
		body = body[:limit]
	}
	out.Exchange.ResponseBody = string(body)
	out.Exchange.ResponseTruncated = truncated
	if readErr != nil {
		return fail(classifyTransport(readErr), fmt.Errorf("reading response: %w", readErr))
	}
	signErr := c.checkBodySign(ep.Key, resp.Header, body, &out.Exchange)

	if resp.StatusCode != http.StatusOK {
		return fail(ClassHTTPStatus, fmt.Errorf("HTTP status %d, want 200", resp.StatusCode))
	}
	if truncated {
		return fail(ClassBadJSON, fmt.Errorf("response body exceeds %d bytes", limit))
	}
	if mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return fail(ClassBadJSON, fmt.Errorf("Content-Type %q, want application/json", resp.Header.Get("Content-Type")))
	}
	if signErr != nil {
		return fail(ClassBadBodySign, signErr)
	}
	fields, err := ParseJSONBody(body)
	if err != nil {
		return fail(ClassBadJSON, err)
	}
	if _, ok := fields["resultCode"]; !ok {
		return fail(ClassMissingField, &ValidationError{Fields: []FieldError{{Field: "resultCode", Problem: "missing"}}})
	}
	var decoded any
	switch req.Activity() {
	case ActivityNewInstance:
		decoded = &NewInstanceResponse{}
	case ActivityQueryInstance:
		decoded = &QueryInstanceResponse{}
	default:
		decoded = &Response{}
	}
	if err := json.Unmarshal(body, decoded); err != nil {
		return fail(ClassBadJSON, err)
	}
	out.Response = decoded
	base := baseResponse(decoded)
	out.ResultCode, out.ResultMsg = base.ResultCode, base.ResultMsg
	if base.ResultCode != ResultSuccess {
		_, en := base.ResultCode.Meaning()
		return fail(ClassBusinessCode, fmt.Errorf("resultCode %s (%s): %s", base.ResultCode, en, base.ResultMsg))
	}
	if err := validateResponse(ep.Version, decoded).orNil(); err != nil {
		return fail(ClassMissingField, err)
	}
	out.Class = ClassOK
	return out, nil
}

func baseResponse(v any) *Response {
	switch r := v.(type) {
	case *NewInstanceResponse:
		return &r.Response
	case *QueryInstanceResponse:
		return &r.Response
	case *Response:
		return r
	}
	return &Response{}
}

func (c *Client) checkBodySign(key string, h http.Header, body []byte, ex *Exchange) error {
	values := h.Values(HeaderBodySign)
	switch {
	case len(values) == 0:
		ex.BodySign = BodySignMissing
		return ErrBodySignMissing
	case len(values) > 1:
		ex.BodySign = BodySignMalformed
		return fmt.Errorf("%w: %d Body-Sign headers", ErrBodySignMalformed, len(values))
	}
	bs, err := VerifyBodySign(key, values[0], body)
	switch {
	case errors.Is(err, ErrBodySignMismatch):
		ex.BodySign = BodySignMismatch
		return err
	case errors.Is(err, ErrBodySignMissing):
		ex.BodySign = BodySignMissing
		return err
	case err != nil:
		ex.BodySign = BodySignMalformed
		return err
	case !bs.Strict:
		ex.BodySign = BodySignLenient
		if c.StrictBodySign {
			return fmt.Errorf("%w: header %q deviates from the documented format", ErrBodySignMalformed, values[0])
		}
		return nil
	}
	ex.BodySign = BodySignOK
	return nil
}

func classifyTransport(err error) ErrorClass {
	if errors.Is(err, context.DeadlineExceeded) {
		return ClassTimeout
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return ClassTimeout
	}
	return ClassConnection
}

// build signs req and records what will be sent in ex.
func (c *Client) build(ctx context.Context, ep Endpoint, req Request, ex *Exchange) (*http.Request, error) {
	if ep.Key == "" {
		return nil, ErrEmptyKey
	}
	u, err := url.Parse(ep.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("endpoint URL %q is not an absolute http(s) URL", ep.URL)
	}
	if !req.Activity().SupportedIn(ep.Version) {
		if _, ok := ParseVersion(string(ep.Version)); !ok {
			return nil, fmt.Errorf("unknown protocol version %q", ep.Version)
		}
		return nil, fmt.Errorf("activity %q does not exist in %s", req.Activity(), ep.Version)
	}
	w, err := requestToWire(req)
	if err != nil {
		return nil, err
	}
	now := c.now()
	var (
		method  = http.MethodPost
		body    []byte
		headers = http.Header{}
	)
	switch ep.Version {
	case V1, V1Post:
		w.text[ParamTimeStamp] = FormatTimeStamp(now)
		w.raw[ParamTimeStamp] = mustQuote(w.text[ParamTimeStamp])
		existing, err := parseStrictQuery(u.RawQuery)
		if err != nil {
			return nil, fmt.Errorf("endpoint URL: %w", err)
		}
		if err := validateWire(ep.Version, req.Activity(), w, true).orNil(); err != nil {
			return nil, err
		}
		signed := w.values()
		if ep.Version == V1 {
			// A query the seller registered with its URL arrives with the
			// call and is signed like the rest.
			for name, vs := range existing {
				if _, clash := signed[name]; clash {
					return nil, fmt.Errorf("endpoint URL query parameter %q clashes with a call parameter", name)
				}
				signed[name] = vs
			}
		}
		token, err := V1Token(ep.Key, signed)
		if err != nil {
			return nil, err
		}
		if ep.Version == V1 {
			method = http.MethodGet
			u.RawQuery = appendQuery(u.RawQuery, w.values()) + "&" + ParamAuthToken + "=" + url.QueryEscape(token)
			headers.Set("Accept", "application/json")
		} else {
			body = encodeBody(w)
			headers.Set("Content-Type", "application/json;charset=UTF-8")
			// Sent with the spelling of the spec; Go would canonicalise Set
			// to "Authtoken".
			headers[ParamAuthToken] = []string{token}
		}
	case V2:
		if err := validateWire(V2, req.Activity(), w, true).orNil(); err != nil {
			return nil, err
		}
		body = encodeBody(w)
		ts := strconv.FormatInt(now.UnixMilli(), 10)
		nonce := c.nonce()
		sig := V2Signature(ep.Key, nonce, ts, body)
		u.RawQuery = appendQuery(u.RawQuery, url.Values{ParamSignature: {sig}, ParamTimestamp: {ts}, ParamNonce: {nonce}})
		headers.Set("Content-Type", "application/json;charset=utf8") // as the spec documents the marketplace sending it
	}
	var bodyReader io.Reader
	if body != nil {
		bodyReader = bytes.NewReader(body)
	}
	httpReq, err := http.NewRequestWithContext(ctx, method, u.String(), bodyReader)
	if err != nil {
		return nil, err
	}
	for name, vs := range headers {
		httpReq.Header[name] = vs
	}
	ex.Method = method
	ex.URL = httpReq.URL.String()
	ex.RequestHeaders = headers.Clone()
	ex.RequestBody = string(body)
	return httpReq, nil
}

// appendQuery adds params, sorted in Java order and escaped, to a raw query.
func appendQuery(raw string, params url.Values) string {
	names := make([]string, 0, len(params))
	for name := range params {
		names = append(names, name)
	}
	slices.SortFunc(names, compareJava)
	var b strings.Builder
	b.WriteString(raw)
	for _, name := range names {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(name))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(params.Get(name)))
	}
	return b.String()
}

// encodeBody writes the wire parameters as a compact JSON object with keys
// in ascending order, the order every documented V2 example uses.
func encodeBody(w wire) []byte {
	names := make([]string, 0, len(w.raw))
	for name := range w.raw {
		names = append(names, name)
	}
	slices.SortFunc(names, compareJava)
	buf := []byte{'{'}
	for i, name := range names {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendJSONString(buf, name, false)
		buf = append(buf, ':')
		var compact bytes.Buffer
		if err := json.Compact(&compact, w.raw[name]); err == nil {
			buf = append(buf, compact.Bytes()...)
		} else {
			buf = append(buf, w.raw[name]...)
		}
	}
	return append(buf, '}')
}
