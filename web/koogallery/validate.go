package koogallery

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

type ruleKind uint8

const (
	kText    ruleKind = iota
	kInt              // optional '-' and digits
	kDecimal          // bigdecimal: optional '-', digits, optional fraction
	kTime             // 14 or 17 digits, UTC
	kEnum
	kIDList // comma-separated instance ids
	kJSON   // nested object or array
)

type rule struct {
	name   string
	must   bool
	max    int // characters; 0 means no limit of its own
	kind   ruleKind
	enum   []string
	unless string // mandatory unless this field is present
}

func m(name string, max int) rule { return rule{name: name, must: true, max: max} }
func o(name string, max int) rule { return rule{name: name, max: max} }

func (r rule) as(k ruleKind) rule { r.kind = k; return r }
func (r rule) oneOf(values ...string) rule {
	r.kind, r.enum = kEnum, values
	return r
}
func (r rule) unlessPresent(name string) rule { r.unless = name; return r }

const (
	// maxUnknownLen bounds parameters the tables do not list; the longest
	// listed one (saasExtendParams) allows 2048.
	maxUnknownLen = 4096
	// maxCipherLen bounds the encrypted mobilePhone/email, whose length the
	// tables leave open.
	maxCipherLen = 1024
	maxQueryIDs  = 100
)

// rules are the spec §4 tables. Where the spec is ambiguous they lean to
// accepting what the marketplace has been seen to send:
//   - V1 expireInstance orderId: the table says M, the documented example
//     omits it, so it is optional.
//   - V1 customerName: M on the CN page, O on the intl page, so optional.
//   - queryInstance instanceId: "64" per id, at most 100 ids.
//   - getLicenseAsync times: free text up to 32 characters (the format is
//     only shown by example; ParseLicenseTime reads it).
var rules = map[Version]map[Activity][]rule{
	V1: {
		ActivityNewInstance: {
			m("activity", 20), m("timeStamp", 20), o("testFlag", 2),
			m("customerId", 100), o("customerName", 64), o("userId", 64), o("userName", 64),
			o("mobilePhone", maxCipherLen), o("email", maxCipherLen),
			m("businessId", 64), m("orderId", 64), o("skuCode", 64), m("productId", 64),
			o("trialFlag", 8), o("expireTime", 20).as(kTime),
			o("chargingMode", 3).as(kInt), o("periodType", 10), o("periodNumber", 2).as(kInt),
			o("orderAmount", 20).as(kDecimal),
			o("amount", 7).as(kInt), o("diskSize", 7).as(kInt), o("bandWidth", 7).as(kInt),
			o("provisionType", 2).as(kInt), o("saasExtendParams", 2048),
		},
		ActivityRefreshInstance: {
			m("activity", 20), m("timeStamp", 20), o("testFlag", 2),
			m("orderId", 64), m("instanceId", 64), o("productId", 64),
			m("expireTime", 20).as(kTime), o("trialToFormal", 2),
			o("periodType", 10), o("periodNumber", 2).as(kInt), o("orderAmount", 20).as(kDecimal),
		},
		ActivityExpireInstance: {
			m("activity", 20), m("timeStamp", 20), o("testFlag", 2),
			m("instanceId", 64), o("orderId", 64),
		},
		ActivityReleaseInstance: {
			m("activity", 20), m("timeStamp", 20), o("testFlag", 2),
			m("instanceId", 64), m("orderId", 64), o("orderAmount", 20).as(kDecimal),
		},
		ActivityUpgrade: {
			m("activity", 20), m("timeStamp", 20), o("testFlag", 2),
			m("instanceId", 64), m("orderId", 64), m("skuCode", 64), m("productId", 64),
			o("amount", 7).as(kInt), o("diskSize", 7).as(kInt), o("bandWidth", 7).as(kInt),
			o("saasExtendParams", 2048),
		},
		ActivityInstanceStatus: {
			m("activity", 32), m("timeStamp", 20), o("testFlag", 2),
			m("instanceId", 64), m("instanceStatus", 32).oneOf(StatusFreeze, StatusNormal),
		},
		ActivityQueryInstance: {
			m("activity", 20), m("timeStamp", 20), o("testFlag", 2),
			m("instanceId", 0).as(kIDList),
		},
	},
	V2: {
		ActivityNewInstance: {
			m("activity", 20), o("testFlag", 2),
			m("orderId", 64).unlessPresent("orderInfo"),
			m("orderLineId", 64).unlessPresent("orderInfo"),
			m("businessId", 64).unlessPresent("orderInfo"),
			o("buyerInfo", 0).as(kJSON), o("orderInfo", 0).as(kJSON),
		},
		ActivityQueryInstance: {
			m("activity", 20), o("testFlag", 2), m("instanceId", 0).as(kIDList),
		},
		ActivityRefreshInstance: {
			m("activity", 20), o("testFlag", 2),
			m("scene", 64).oneOf(SceneTrialToFormal, SceneRenewal, SceneUnsubscribeRenewalPeriod, SceneRenewalChange),
			m("orderId", 64), m("orderLineId", 64), m("instanceId", 64), o("productId", 64),
			m("expireTime", 20).as(kTime),
		},
		ActivityUpdateInstanceStatus: {
			m("activity", 32), o("testFlag", 2),
			m("instanceId", 64), m("status", 32).oneOf(StatusFreeze, StatusUnfreeze),
		},
		ActivityReleaseInstance: {
			m("activity", 32), o("testFlag", 2),
			m("instanceId", 64), o("orderId", 64), o("orderLineId", 64),
		},
		ActivityUpgradeInstance: {
			m("activity", 32), o("testFlag", 2),
			m("instanceId", 64), m("orderId", 64), m("orderLineId", 64),
		},
		ActivityChangeInstanceCheck: {
			m("activity", 32), o("testFlag", 2),
			m("instanceId", 64), m("productInfo", 0).as(kJSON),
		},
		ActivityGetLicenseAsync: {
			m("activity", 20), o("testFlag", 2),
			m("instanceId", 64), m("effectiveTime", 32), o("expireTime", 32),
			m("eventId", 64), o("deviceFingerprint", 1024),
		},
		ActivityOrderNotify: {
			m("activity", 20), m("testFlag", 2), m("orderId", 64), m("orderLineId", 64),
		},
	},
}

func baseVersion(v Version) Version {
	if v == V1Post {
		return V1
	}
	return v
}

// validateWire applies the table of (v, a). With strict set, parameters the
// table does not list are errors (used before sending); otherwise they are
// tolerated within a length bound, as the marketplace may add fields.
func validateWire(v Version, a Activity, w wire, strict bool) *ValidationError {
	ve := &ValidationError{}
	table, ok := rules[baseVersion(v)][a]
	if !ok {
		if a == "" {
			ve.add(ParamActivity, "missing")
		} else {
			ve.add(ParamActivity, "%q is not a %s activity", a, v)
		}
		return ve
	}
	listed := make(map[string]bool, len(table))
	for _, r := range table {
		listed[r.name] = true
		val, present := w.text[r.name]
		if !present || val == "" {
			if r.must && (r.unless == "" || !w.has(r.unless)) {
				ve.add(r.name, "missing")
			}
			continue
		}
		if r.kind != kJSON && w.nested(r.name) {
			ve.add(r.name, "must be a string, not a JSON object or array")
			continue
		}
		if !utf8.ValidString(val) {
			ve.add(r.name, "not valid UTF-8")
			continue
		}
		if r.max > 0 && utf8.RuneCountInString(val) > r.max {
			ve.add(r.name, "longer than %d characters", r.max)
			continue
		}
		if problem := checkKind(r, val, w); problem != "" {
			ve.add(r.name, "%s", problem)
		}
	}
	var unknown []string
	for name := range w.text {
		if !listed[name] {
			unknown = append(unknown, name)
		}
	}
	slices.Sort(unknown)
	for _, name := range unknown {
		val := w.text[name]
		switch {
		case strict:
			ve.add(name, "not a %s %s parameter", baseVersion(v), a)
		case !utf8.ValidString(name) || !utf8.ValidString(val):
			ve.add(name, "not valid UTF-8")
		case utf8.RuneCountInString(val) > maxUnknownLen:
			ve.add(name, "longer than %d characters", maxUnknownLen)
		}
	}
	if len(ve.Fields) == 0 {
		return nil
	}
	return ve
}

func checkKind(r rule, val string, w wire) string {
	switch r.kind {
	case kInt:
		if !isInteger(val) {
			return "not an integer"
		}
	case kDecimal:
		if !isDecimal(val) {
			return "not a decimal number"
		}
	case kTime:
		if _, err := ParseTime(val); err != nil {
			return "not yyyyMMddHHmmss or yyyyMMddHHmmssSSS"
		}
	case kEnum:
		if !slices.Contains(r.enum, val) {
			return "must be one of " + strings.Join(r.enum, ", ")
		}
	case kIDList:
		ids := strings.Split(val, ",")
		if len(ids) > maxQueryIDs {
			return "more than 100 instance ids"
		}
		for _, id := range ids {
			id = strings.TrimSpace(id)
			if id == "" {
				return "contains an empty instance id"
			}
			if utf8.RuneCountInString(id) > 64 {
				return "contains an instance id longer than 64 characters"
			}
		}
	case kJSON:
		if w.raw == nil && !isJSONContainer(val) {
			return "not a JSON object or array"
		}
	}
	return ""
}

func isInteger(s string) bool {
	s = strings.TrimPrefix(s, "-")
	return s != "" && allDigits(s)
}

func isDecimal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || !allDigits(whole) {
		return false
	}
	return !hasDot || (frac != "" && allDigits(frac))
}

func isJSONContainer(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || (s[0] != '{' && s[0] != '[') {
		return false
	}
	return validJSON(s)
}

// validateResponse checks the mandatory fields of a successful response,
// as the marketplace's debugger does (spec §1 and §4).
func validateResponse(v Version, resp any) *ValidationError {
	ve := &ValidationError{}
	checkLen := func(field, val string, max int) {
		if utf8.RuneCountInString(val) > max {
			ve.add(field, "longer than %d characters", max)
		}
	}
	checkEncryptType := func(t EncryptType) {
		if t != "" && t.Bits() == 0 {
			ve.add("encryptType", "must be 1 or 2, got %q", string(t))
		}
	}
	checkApp := func(prefix string, app *AppInfo) {
		if app.FrontEndURL == "" {
			ve.add(prefix+"frontEndUrl", "missing")
		}
		checkLen(prefix+"frontEndUrl", app.FrontEndURL, 512)
		checkLen(prefix+"adminUrl", app.AdminURL, 512)
		checkLen(prefix+"userName", app.UserName, 128)
		checkLen(prefix+"password", app.Password, 128)
		checkLen(prefix+"memo", app.Memo, 1024)
	}
	switch r := resp.(type) {
	case *NewInstanceResponse:
		checkLen("resultMsg", r.ResultMsg, 255)
		checkEncryptType(r.EncryptType)
		if r.InstanceID == "" {
			ve.add("instanceId", "missing")
		}
		checkLen("instanceId", r.InstanceID, 64)
		switch {
		case r.AppInfo != nil:
			checkApp("appInfo.", r.AppInfo)
		case baseVersion(v) == V1:
			// The V1 debugger insists on frontEndUrl; V2 delivers appInfo
			// through queryInstance instead.
			ve.add("appInfo.frontEndUrl", "missing")
		}
	case *QueryInstanceResponse:
		checkLen("resultMsg", r.ResultMsg, 255)
		checkEncryptType(r.EncryptType)
		if len(r.Info) == 0 {
			ve.add("info", "missing")
		}
		for i, info := range r.Info {
			p := "info[" + strconv.Itoa(i) + "]."
			if info.InstanceID == "" {
				ve.add(p+"instanceId", "missing")
			}
			if info.AppInfo != nil {
				checkApp(p+"appInfo.", info.AppInfo)
			}
			for j, u := range info.UsageInfo {
				q := p + "usageInfo[" + strconv.Itoa(j) + "]."
				if u.UsageValue == "" {
					ve.add(q+"usageValue", "missing")
				} else if _, err := u.UsageValue.Float64(); err != nil {
					ve.add(q+"usageValue", "not a number")
				}
				if u.StatisticalTime == "" {
					ve.add(q+"statisticalTime", "missing")
				} else if _, err := ParseTime(u.StatisticalTime); err != nil {
					ve.add(q+"statisticalTime", "not yyyyMMddHHmmssSSS")
				}
			}
		}
	case *Response:
		checkLen("resultMsg", r.ResultMsg, 255)
	}
	if len(ve.Fields) == 0 {
		return nil
	}
	return ve
}

// checkDecoded holds rules that need the decoded DTO.
func checkDecoded(v Version, req Request, ve *ValidationError) {
	r, ok := req.(*NewInstanceRequest)
	if !ok || baseVersion(v) != V2 || r.OrderInfo == nil {
		return
	}
	if len(r.OrderInfo) == 0 {
		ve.add("orderInfo", "empty")
		return
	}
	orderID, _, businessID := r.OrderKey()
	if orderID == "" {
		ve.add("orderInfo[0].orderId", "missing")
	}
	if businessID == "" {
		ve.add("orderInfo[0].businessId", "missing")
	}
}

// listedFields returns the parameter names of the table of (v, a).
func listedFields(v Version, a Activity) map[string]bool {
	table := rules[baseVersion(v)][a]
	set := make(map[string]bool, len(table))
	for _, r := range table {
		set[r.name] = true
	}
	return set
}
