package debugger

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/web/koogallery"
)

// MaxParamsBytes bounds a case's parameters (and a composed call's).
const MaxParamsBytes = 8 << 10

// Compose is the debugger form: an activity, the usual identifiers, and any
// further protocol parameters as a JSON object (Extras).
type Compose struct {
	Activity    string
	ProductRef  int64 // optional; names productId where the activity needs one, and ties a saved case to dial tests
	InstanceID  string
	OrderID     string
	OrderLineID string
	BusinessID  string
	Status      string // FREEZE / UNFREEZE (V2) or FREEZE / NORMAL (V1 instanceStatus)
	Scene       string // V2 refreshInstance
	Extras      string
}

// reserved parameters are set by the debugger itself: every call is a test
// call, stamped and signed at send time.
var reserved = map[string]bool{
	koogallery.ParamActivity: true, "testFlag": true, koogallery.ParamTimeStamp: true, koogallery.ParamAuthToken: true,
	koogallery.ParamSignature: true, koogallery.ParamTimestamp: true, koogallery.ParamNonce: true,
}

// formFields maps wire names to the form fields that carry them; every other
// parameter lives in extras.
var formFields = map[string]string{
	"instanceId": "instance_id", "orderId": "order_id", "orderLineId": "order_line_id",
	"businessId": "business_id", "status": "status", "instanceStatus": "status", "scene": "scene",
}

func formField(wire string) string {
	if f, ok := formFields[wire]; ok {
		return f
	}
	return "extras"
}

func quote(s string) json.RawMessage {
	b, _ := json.Marshal(s)
	return b
}

// params turns the form into protocol parameters, reporting bad input in v.
func (c Compose) params(v *models.ValidationError) map[string]json.RawMessage {
	p := map[string]json.RawMessage{}
	if extras := strings.TrimSpace(c.Extras); extras != "" {
		if len(extras) > MaxParamsBytes {
			v.Add("extras", models.M("err.too_long", "Max", MaxParamsBytes))
			return nil
		}
		parsed, msg := parseParams(extras)
		if msg != nil {
			v.Add("extras", *msg)
			return nil
		}
		p = parsed
	}
	statusName := "status"
	if c.Activity == string(koogallery.ActivityInstanceStatus) {
		statusName = "instanceStatus"
	}
	for name, val := range map[string]string{"instanceId": c.InstanceID, "orderId": c.OrderID, "orderLineId": c.OrderLineID,
		"businessId": c.BusinessID, statusName: c.Status, "scene": c.Scene} {
		val = strings.TrimSpace(val)
		if val == "" {
			continue
		}
		if _, dup := p[name]; dup {
			v.Add("extras", models.M("err.debug_param_twice", "Field", name))
			continue
		}
		p[name] = quote(val)
	}
	if b, _ := json.Marshal(p); len(b) > MaxParamsBytes {
		v.Add("extras", models.M("err.too_long", "Max", MaxParamsBytes))
	}
	return p
}

// parseParams reads a JSON object of parameters; reserved names are refused.
func parseParams(text string) (map[string]json.RawMessage, *models.Msg) {
	fields, err := koogallery.ParseJSONBody([]byte(text))
	if err != nil {
		m := models.M("err.json_object")
		switch {
		case !json.Valid([]byte(text)):
			m = models.M("err.debug_extras_json")
		case errors.Is(err, koogallery.ErrDuplicateParam):
			m = models.M("err.duplicate")
		}
		return nil, &m
	}
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if reserved[name] {
			m := models.M("err.debug_param_reserved", "Field", name)
			return nil, &m
		}
	}
	return fields, nil
}

func newBusinessID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// testOrderID names a test order; the marketplace's are "CS…".
func testOrderID(now time.Time) string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return "TEST" + now.UTC().Format("20060102150405") + strings.ToUpper(hex.EncodeToString(b))
}

// withDefaults copies p and fills what a test call needs but the user left
// out: a fresh businessId and test order ids, a test customer, the product's
// productId. testFlag is always "1": a debugger call is never an order.
func withDefaults(v koogallery.Version, a koogallery.Activity, p map[string]json.RawMessage, productID string, now time.Time) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(p)+6)
	for k, val := range p {
		out[k] = val
	}
	set := func(name, val string) {
		if _, ok := out[name]; !ok && val != "" {
			out[name] = quote(val)
		}
	}
	v2 := v == koogallery.V2
	needsOrder, needsLine := false, false
	switch a {
	case koogallery.ActivityNewInstance:
		set("businessId", newBusinessID())
		needsOrder, needsLine = true, v2
		if !v2 {
			set("customerId", "debugger-test-customer")
			set("productId", productID)
		}
	case koogallery.ActivityRefreshInstance, koogallery.ActivityUpgradeInstance, koogallery.ActivityOrderNotify:
		needsOrder, needsLine = true, v2
	case koogallery.ActivityUpgrade:
		needsOrder = true
		set("productId", productID)
	case koogallery.ActivityReleaseInstance:
		needsOrder = !v2
	}
	if needsOrder {
		set("orderId", testOrderID(now))
	}
	if needsLine {
		var orderID string
		_ = json.Unmarshal(out["orderId"], &orderID)
		set("orderLineId", orderID+"-000001")
	}
	out["testFlag"] = quote("1")
	return out
}

// newDTO returns the empty request of an activity.
func newDTO(a koogallery.Activity) koogallery.Request {
	switch a {
	case koogallery.ActivityNewInstance:
		return &koogallery.NewInstanceRequest{}
	case koogallery.ActivityRefreshInstance:
		return &koogallery.RefreshInstanceRequest{}
	case koogallery.ActivityExpireInstance:
		return &koogallery.ExpireInstanceRequest{}
	case koogallery.ActivityReleaseInstance:
		return &koogallery.ReleaseInstanceRequest{}
	case koogallery.ActivityUpgrade:
		return &koogallery.UpgradeRequest{}
	case koogallery.ActivityInstanceStatus:
		return &koogallery.InstanceStatusRequest{}
	case koogallery.ActivityQueryInstance:
		return &koogallery.QueryInstanceRequest{}
	case koogallery.ActivityUpgradeInstance:
		return &koogallery.UpgradeInstanceRequest{}
	case koogallery.ActivityUpdateInstanceStatus:
		return &koogallery.UpdateInstanceStatusRequest{}
	case koogallery.ActivityChangeInstanceCheck:
		return &koogallery.ChangeInstanceCheckRequest{}
	case koogallery.ActivityGetLicenseAsync:
		return &koogallery.GetLicenseAsyncRequest{}
	case koogallery.ActivityOrderNotify:
		return &koogallery.OrderNotifyRequest{}
	}
	return nil
}

// prepare builds the request of a test call and checks it against the
// protocol's tables for the endpoint's version, without sending anything.
func prepare(v koogallery.Version, a koogallery.Activity, p map[string]json.RawMessage, productID string, now time.Time) (koogallery.Request, error) {
	ve := &models.ValidationError{}
	if !a.SupportedIn(v) {
		ve.Add("activity", models.M("err.debug_activity_version", "Protocol", strings.ToUpper(string(v))))
		return nil, ve
	}
	req := newDTO(a)
	body, err := json.Marshal(withDefaults(v, a, p, productID, now))
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(req); err != nil {
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &te):
			ve.Add(formField(te.Field), models.M("err.debug_param_type", "Field", te.Field))
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			ve.Add("extras", models.M("err.debug_param_unknown", "Field", name, "Activity", string(a)))
		default:
			ve.Add("extras", models.M("err.debug_extras_json"))
		}
		return nil, ve
	}
	if err := dryRun(v, req); err != nil {
		var kve *koogallery.ValidationError
		if !errors.As(err, &kve) {
			return nil, err
		}
		for _, f := range kve.Fields {
			field := formField(f.Field)
			switch {
			case f.Problem == "missing" && field != "extras":
				ve.Add(field, models.M("err.required"))
			case f.Problem == "missing":
				ve.Add(field, models.M("err.debug_param_missing", "Field", f.Field))
			case strings.HasPrefix(f.Problem, "not a "):
				ve.Add(field, models.M("err.debug_param_unknown", "Field", f.Field, "Activity", string(a)))
			default:
				ve.Add(field, models.M("err.debug_param_invalid", "Field", f.Field, "Problem", f.Problem))
			}
		}
		return nil, ve
	}
	return req, nil
}

// errDryRun stops a validation-only call at the transport.
var errDryRun = errors.New("dry run: not sent")

type dryTransport struct{}

func (dryTransport) RoundTrip(*http.Request) (*http.Response, error) { return nil, errDryRun }

var dryClient = &koogallery.Client{HTTP: &http.Client{Transport: dryTransport{}}}

// dryRun lets the protocol client build and check req (the same checks it
// makes before every real call) and stops it before anything goes out. It
// returns the client's *koogallery.ValidationError when req breaks the
// protocol's tables.
func dryRun(v koogallery.Version, req koogallery.Request) error {
	out, _ := dryClient.Call(context.Background(), koogallery.Endpoint{URL: "https://dry-run.invalid/produce",
		Key: "dry-run-key", Version: v}, req)
	if out.Class == koogallery.ClassInvalidRequest {
		return out.Err
	}
	return nil
}
