package debugger

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
	"github.com/sellercenter/sellercenter/web/koogallery"
)

// KeyPlaceholder stands for the access key in the strings shown: the steps
// show what is signed, never the secret itself.
const KeyPlaceholder = "‹accessKey›"

// Step is one line of the signature check: a labelled value, or an expected
// value against the received one with a verdict ("ok" or "bad").
type Step struct {
	Label    string // catalog id
	Value    string
	Expected string
	Received string
	Verdict  string // "" for a plain value
}

// Result is what a test call did, for the debugger page.
type Result struct {
	At             time.Time
	CaseName       string
	Protocol       string // v1 or v2
	Activity       string
	Method         string
	URL            string // masked
	RequestText    string // headers and body, masked
	ResponseStatus int
	ResponseText   string // headers and body, masked
	LatencyMS      int64
	Class          string // koogallery error class; "ok" when the call passed every check
	ErrorDetail    string
	ResultCode     string
	ResultMsg      string
	MeaningZH      string
	MeaningEN      string
	Steps          []Step // request signature
	ResponseSteps  []Step // Body-Sign of the answer
}

// OK reports whether the call passed every check.
func (r *Result) OK() bool { return r.Class == string(koogallery.ClassOK) }

// Send makes a test call of the composed activity to the actor's merchant
// endpoint and checks every signature step. The call is made outside any
// transaction and is not an order: nothing enters the interface log, but
// the send is audited.
func (s *Service) Send(ctx context.Context, actor models.Actor, c Compose) (*Result, error) {
	mid, err := merchantOf(actor)
	if err != nil {
		return nil, err
	}
	v := &models.ValidationError{}
	if !knownActivity(c.Activity) {
		v.Add("activity", models.M("err.debug_activity"))
	}
	p := c.params(v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.send(ctx, actor, mid, c.Activity, p, c.ProductRef, nil)
}

// Run sends a saved case of the actor's merchant.
func (s *Service) Run(ctx context.Context, actor models.Actor, caseID int64) (*Result, error) {
	mid, err := merchantOf(actor)
	if err != nil {
		return nil, err
	}
	tc, err := s.caseOf(ctx, mid, caseID)
	if err != nil {
		return nil, err
	}
	p, msg := parseParams(tc.Params)
	if msg != nil {
		return nil, &models.ValidationError{Fields: map[string]models.Msg{"extras": *msg}}
	}
	var product int64
	if tc.ProductRef != nil {
		product = *tc.ProductRef
	}
	return s.send(ctx, actor, mid, tc.Activity, p, product, tc)
}

func (s *Service) send(ctx context.Context, actor models.Actor, mid int64, activity string, p map[string]json.RawMessage,
	productRef int64, tc *models.TestCase) (*Result, error) {
	productID, err := s.productCode(ctx, mid, productRef)
	if err != nil {
		return nil, err
	}
	tgt, err := s.targetFor(ctx, mid)
	if err != nil {
		return nil, err
	}
	req, err := prepare(tgt.version, koogallery.Activity(activity), p, productID, s.now())
	if err != nil {
		return nil, err
	}
	res := s.call(ctx, tgt, req)
	if tc != nil {
		res.CaseName = tc.Name
	}
	ev := audit.Event{Action: models.AuditDebugSent, MerchantID: mid, TargetType: "debugger",
		Detail: map[string]any{"activity": activity, "protocol": tgt.endpoint.Protocol, "class": res.Class, "result_code": res.ResultCode}}
	if tc != nil {
		ev.TargetType, ev.TargetID = "test_case", tc.ID
	}
	if err := audit.Write(s.db.WithContext(ctx), s.now(), actor, ev); err != nil {
		return nil, err
	}
	return res, nil
}

// productCode returns the marketplace productId of one of the merchant's
// products ("" for none); another merchant's product is a field error.
func (s *Service) productCode(ctx context.Context, mid, productRef int64) (string, error) {
	if productRef == 0 {
		return "", nil
	}
	var p models.ProductDialState
	err := s.db.WithContext(ctx).Where("id = ? AND merchant_id = ?", productRef, mid).First(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", &models.ValidationError{Fields: map[string]models.Msg{"product": models.M("err.product_unknown")}}
	}
	if err != nil {
		return "", err
	}
	return p.ProductID, nil
}

// call sends req within the endpoint's timeout and reads the outcome.
func (s *Service) call(ctx context.Context, tgt *target, req koogallery.Request) *Result {
	timeout := time.Duration(tgt.endpoint.TimeoutMS) * time.Millisecond
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	out, _ := s.client.Call(cctx, koogallery.Endpoint{URL: tgt.endpoint.URL, Key: tgt.key, Version: tgt.version}, req)
	res := resultOf(tgt.version, tgt.key, out, s.now())
	// A failed connection's Go error quotes the URL, signature and all.
	res.ErrorDetail = MaskSecrets(res.ErrorDetail, tgt.key)
	return res
}

func headerText(h http.Header) string {
	if len(h) == 0 {
		return ""
	}
	var b strings.Builder
	_ = h.Write(&b)
	return b.String()
}

// resultOf reads an outcome into a Result: the masked exchange, the result
// code (read from the body even when the Body-Sign check stopped the client
// before it), and the signature steps recomputed from what went over the wire.
func resultOf(v koogallery.Version, key string, out *koogallery.Outcome, now time.Time) *Result {
	ex := out.Exchange
	m := ex.Masked()
	r := &Result{At: now, Protocol: string(v), Activity: string(ex.Activity), Method: m.Method, URL: m.URL,
		RequestText: strings.TrimRight(headerText(m.RequestHeaders)+"\n"+m.RequestBody, "\n"), ResponseStatus: ex.ResponseStatus,
		LatencyMS: ex.Latency.Milliseconds(), Class: string(out.Class)}
	if ex.ResponseStatus != 0 {
		r.ResponseText = strings.TrimRight(headerText(m.ResponseHeaders)+"\n"+m.ResponseBody, "\n")
	}
	if out.Err != nil {
		r.ErrorDetail = truncate(models.MaskSecrets(out.Err.Error()), 1000)
	}
	code, msg := out.ResultCode, out.ResultMsg
	if code == "" && ex.ResponseBody != "" {
		var body struct {
			ResultCode koogallery.ResultCode `json:"resultCode"`
			ResultMsg  string                `json:"resultMsg"`
		}
		if json.Unmarshal([]byte(ex.ResponseBody), &body) == nil {
			code, msg = body.ResultCode, body.ResultMsg
		}
	}
	if code != "" {
		r.ResultCode, r.ResultMsg = string(code), truncate(msg, 255)
		r.MeaningZH, r.MeaningEN, _ = koogallery.ResultCodeMeaning(string(code))
	}
	if ex.Method != "" {
		r.Steps = requestSteps(v, key, ex)
	}
	if ex.ResponseStatus != 0 {
		r.ResponseSteps = responseSteps(key, ex)
	}
	return r
}

func verdict(ok bool) string {
	if ok {
		return "ok"
	}
	return "bad"
}

// requestSteps recomputes the request signature from the request as sent.
func requestSteps(v koogallery.Version, key string, ex koogallery.Exchange) []Step {
	u, err := url.Parse(ex.URL)
	if err != nil {
		return nil
	}
	if v == koogallery.V2 {
		q := u.Query()
		sig, ts, nonce := q.Get(koogallery.ParamSignature), q.Get(koogallery.ParamTimestamp), q.Get(koogallery.ParamNonce)
		body := []byte(ex.RequestBody)
		hash := koogallery.V2PayloadHash(key, body)
		want := koogallery.V2Signature(key, nonce, ts, body)
		return []Step{
			{Label: "debug.step.v2_payload", Value: ex.RequestBody},
			{Label: "debug.step.v2_payload_hash", Value: hash},
			{Label: "debug.step.v2_string", Value: KeyPlaceholder + nonce + ts + hash},
			{Label: "debug.step.v2_signature", Expected: want, Received: sig, Verdict: verdict(strings.EqualFold(want, sig))},
		}
	}
	params, token, err := koogallery.ParseV1Query(u.RawQuery)
	if err != nil {
		return nil
	}
	want, _ := koogallery.V1Token(key, params)
	return []Step{
		{Label: "debug.step.v1_canonical", Value: koogallery.V1CanonicalString(params)},
		{Label: "debug.step.v1_hmac_key", Value: KeyPlaceholder + params.Get(koogallery.ParamTimeStamp)},
		{Label: "debug.step.v1_token", Expected: want, Received: token, Verdict: verdict(want == token)},
	}
}

// responseSteps checks the answer's Body-Sign against the exact body bytes.
func responseSteps(key string, ex koogallery.Exchange) []Step {
	body := []byte(ex.ResponseBody)
	want := koogallery.BodySignature(key, body)
	headers := ex.ResponseHeaders.Values(koogallery.HeaderBodySign)
	got, ok := "", false
	if len(headers) == 1 {
		if bs, err := koogallery.ParseBodySign(headers[0]); err == nil {
			got = bs.Signature
		}
		_, err := koogallery.VerifyBodySign(key, headers[0], body)
		ok = err == nil
	}
	return []Step{
		{Label: "debug.step.body_sign_header", Value: strings.Join(headers, "\n")},
		{Label: "debug.step.body_sign", Expected: want, Received: got, Verdict: verdict(ok)},
	}
}
