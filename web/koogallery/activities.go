package koogallery

import (
	"encoding/json"
	"strings"
)

// Version is the protocol generation of a call (spec §0).
type Version string

// Protocol generations sharing one seller URL.
const (
	V1     Version = "v1"      // GET, query parameters, authToken query parameter
	V1Post Version = "v1-post" // 联营: POST JSON, authToken header, same algorithm as V1
	V2     Version = "v2"      // POST JSON, signature/timestamp/nonce query parameters
)

// ParseVersion reads "v1", "v1-post" or "v2".
func ParseVersion(s string) (Version, bool) {
	switch v := Version(strings.ToLower(s)); v {
	case V1, V1Post, V2:
		return v, true
	}
	return "", false
}

// Activity is the activity parameter that selects the operation.
type Activity string

// Activities. Some exist in one generation only; see SupportedIn.
const (
	ActivityNewInstance          Activity = "newInstance"
	ActivityRefreshInstance      Activity = "refreshInstance"
	ActivityExpireInstance       Activity = "expireInstance" // V1
	ActivityReleaseInstance      Activity = "releaseInstance"
	ActivityUpgrade              Activity = "upgrade"        // V1
	ActivityInstanceStatus       Activity = "instanceStatus" // V1
	ActivityQueryInstance        Activity = "queryInstance"
	ActivityUpgradeInstance      Activity = "upgradeInstance"      // V2
	ActivityUpdateInstanceStatus Activity = "updateInstanceStatus" // V2
	ActivityChangeInstanceCheck  Activity = "changeInstanceCheck"  // V2
	ActivityGetLicenseAsync      Activity = "getLicenseAsync"      // V2
	ActivityOrderNotify          Activity = "orderNotify"          // V2
)

// SupportedIn reports whether the spec defines activity a for version v.
func (a Activity) SupportedIn(v Version) bool {
	if v == V1Post {
		v = V1
	}
	_, ok := rules[v][a]
	return ok
}

// Request is implemented by every activity request DTO.
type Request interface {
	Activity() Activity
}

// newRequest returns an empty DTO for a.
func newRequest(a Activity) Request {
	switch a {
	case ActivityNewInstance:
		return &NewInstanceRequest{}
	case ActivityRefreshInstance:
		return &RefreshInstanceRequest{}
	case ActivityExpireInstance:
		return &ExpireInstanceRequest{}
	case ActivityReleaseInstance:
		return &ReleaseInstanceRequest{}
	case ActivityUpgrade:
		return &UpgradeRequest{}
	case ActivityInstanceStatus:
		return &InstanceStatusRequest{}
	case ActivityQueryInstance:
		return &QueryInstanceRequest{}
	case ActivityUpgradeInstance:
		return &UpgradeInstanceRequest{}
	case ActivityUpdateInstanceStatus:
		return &UpdateInstanceStatusRequest{}
	case ActivityChangeInstanceCheck:
		return &ChangeInstanceCheckRequest{}
	case ActivityGetLicenseAsync:
		return &GetLicenseAsyncRequest{}
	case ActivityOrderNotify:
		return &OrderNotifyRequest{}
	}
	return nil
}

// Request DTOs keep every scalar as the string sent on the wire: V1 carries
// only strings, V2 pages disagree on types (testFlag is String(2) on some,
// Integer on others), and signatures cover the text, not a parsed value.

// NewInstanceRequest is newInstance (V1 新购商品, V2 创建实例). V1 sends the
// order fields; V2 sends orderId, orderLineId and businessId, or the rich
// form with buyerInfo and orderInfo.
type NewInstanceRequest struct {
	BusinessID string `json:"businessId,omitempty"` // different on every call
	OrderID    string `json:"orderId,omitempty"`
	TestFlag   string `json:"testFlag,omitempty"` // "1" = debugger or dial test

	// V1 fields.
	CustomerID       string `json:"customerId,omitempty"`
	CustomerName     string `json:"customerName,omitempty"`
	UserID           string `json:"userId,omitempty"`
	UserName         string `json:"userName,omitempty"`
	MobilePhone      string `json:"mobilePhone,omitempty"` // encrypted, see DecryptAuto
	Email            string `json:"email,omitempty"`       // encrypted, see DecryptAuto
	SKUCode          string `json:"skuCode,omitempty"`
	ProductID        string `json:"productId,omitempty"`
	TrialFlag        string `json:"trialFlag,omitempty"`
	ExpireTime       string `json:"expireTime,omitempty"`   // yyyyMMddHHmmss
	ChargingMode     string `json:"chargingMode,omitempty"` // 0 pay-per-use, 1 period, 3 one-time, 5 package
	PeriodType       string `json:"periodType,omitempty"`   // year, month
	PeriodNumber     string `json:"periodNumber,omitempty"`
	OrderAmount      string `json:"orderAmount,omitempty"`
	Amount           string `json:"amount,omitempty"`
	DiskSize         string `json:"diskSize,omitempty"`
	BandWidth        string `json:"bandWidth,omitempty"`
	ProvisionType    string `json:"provisionType,omitempty"`
	SaaSExtendParams string `json:"saasExtendParams,omitempty"` // Base64 JSON, see DecodeExtendParams

	// V2 fields.
	OrderLineID string      `json:"orderLineId,omitempty"`
	BuyerInfo   *BuyerInfo  `json:"buyerInfo,omitempty"`
	OrderInfo   []OrderInfo `json:"orderInfo,omitempty"`
}

// Activity implements Request.
func (*NewInstanceRequest) Activity() Activity { return ActivityNewInstance }

// OrderKey returns the order identity of the call, from the top level or,
// in the rich V2 form, from the first orderInfo entry.
func (r *NewInstanceRequest) OrderKey() (orderID, orderLineID, businessID string) {
	orderID, orderLineID, businessID = r.OrderID, r.OrderLineID, r.BusinessID
	if len(r.OrderInfo) > 0 {
		oi := r.OrderInfo[0]
		if orderID == "" {
			orderID = oi.OrderID
		}
		if orderLineID == "" {
			orderLineID = oi.OrderLineID
		}
		if businessID == "" {
			businessID = oi.BusinessID
		}
	}
	return orderID, orderLineID, businessID
}

// BuyerInfo is the buyer block of the rich V2 newInstance body.
type BuyerInfo struct {
	CustomerID   string `json:"customerId,omitempty"`
	CustomerName string `json:"customerName,omitempty"`
	UserID       string `json:"userId,omitempty"`
	UserName     string `json:"userName,omitempty"`
	MobilePhone  string `json:"mobilePhone,omitempty"`
	Email        string `json:"email,omitempty"`
}

// OrderInfo is one order of the rich V2 newInstance body. Numbers are
// json.Number so a numeric string is accepted too.
type OrderInfo struct {
	BusinessID    string        `json:"businessId,omitempty"`
	OrderID       string        `json:"orderId,omitempty"`
	OrderLineID   string        `json:"orderLineId,omitempty"`
	TrialFlag     string        `json:"trialFlag,omitempty"`
	OrderAmount   json.Number   `json:"orderAmount,omitempty"`
	ChargingMode  string        `json:"chargingMode,omitempty"` // PERIOD, ON_DEMAND, ONE_TIME, ON_DEMAND_PKG
	PeriodType    string        `json:"periodType,omitempty"`
	PeriodNumber  json.Number   `json:"periodNumber,omitempty"`
	ProvisionType json.Number   `json:"provisionType,omitempty"`
	ProductInfo   []ProductInfo `json:"productInfo,omitempty"`
	CreateTime    string        `json:"createTime,omitempty"`
	ExpireTime    string        `json:"expireTime,omitempty"`
	ExtendParams  []NameValue   `json:"extendParams,omitempty"`
}

// ProductInfo is one product line of an OrderInfo.
type ProductInfo struct {
	SKUCode     string      `json:"skuCode,omitempty"`
	ProductID   string      `json:"productId,omitempty"`
	LinearValue json.Number `json:"linearValue,omitempty"`
}

// NameValue is one buyer-filled extension parameter.
type NameValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Scenes of a V2 refreshInstance.
const (
	SceneTrialToFormal            = "TRIAL_TO_FORMAL"
	SceneRenewal                  = "RENEWAL"
	SceneUnsubscribeRenewalPeriod = "UNSUBSCRIBE_RENEWAL_PERIOD"
	SceneRenewalChange            = "RENEWAL_CHANGE"
)

// RefreshInstanceRequest is refreshInstance: renewal, trial→formal, renewal
// cancellation (V1 商品续费, V2 更新实例 with a scene). OrderID is the new
// order; the instance is identified by InstanceID.
type RefreshInstanceRequest struct {
	InstanceID string `json:"instanceId,omitempty"`
	OrderID    string `json:"orderId,omitempty"`
	ProductID  string `json:"productId,omitempty"`
	ExpireTime string `json:"expireTime,omitempty"` // new expiry, 14 or 17 digits
	TestFlag   string `json:"testFlag,omitempty"`

	// V1 fields.
	TrialToFormal string `json:"trialToFormal,omitempty"`
	PeriodType    string `json:"periodType,omitempty"`
	PeriodNumber  string `json:"periodNumber,omitempty"`
	OrderAmount   string `json:"orderAmount,omitempty"` // negative for a renewal cancellation

	// V2 fields.
	OrderLineID string `json:"orderLineId,omitempty"`
	Scene       string `json:"scene,omitempty"`
}

// Activity implements Request.
func (*RefreshInstanceRequest) Activity() Activity { return ActivityRefreshInstance }

// ExpireInstanceRequest is V1 expireInstance (freeze on expiry).
type ExpireInstanceRequest struct {
	InstanceID string `json:"instanceId,omitempty"`
	OrderID    string `json:"orderId,omitempty"`
	TestFlag   string `json:"testFlag,omitempty"`
}

// Activity implements Request.
func (*ExpireInstanceRequest) Activity() Activity { return ActivityExpireInstance }

// ReleaseInstanceRequest is releaseInstance.
type ReleaseInstanceRequest struct {
	InstanceID  string `json:"instanceId,omitempty"`
	OrderID     string `json:"orderId,omitempty"`
	OrderLineID string `json:"orderLineId,omitempty"` // V2
	OrderAmount string `json:"orderAmount,omitempty"` // V1
	TestFlag    string `json:"testFlag,omitempty"`
}

// Activity implements Request.
func (*ReleaseInstanceRequest) Activity() Activity { return ActivityReleaseInstance }

// UpgradeRequest is V1 upgrade (商品升级).
type UpgradeRequest struct {
	InstanceID       string `json:"instanceId,omitempty"`
	OrderID          string `json:"orderId,omitempty"`
	SKUCode          string `json:"skuCode,omitempty"`
	ProductID        string `json:"productId,omitempty"`
	Amount           string `json:"amount,omitempty"`
	DiskSize         string `json:"diskSize,omitempty"`
	BandWidth        string `json:"bandWidth,omitempty"`
	SaaSExtendParams string `json:"saasExtendParams,omitempty"`
	TestFlag         string `json:"testFlag,omitempty"`
}

// Activity implements Request.
func (*UpgradeRequest) Activity() Activity { return ActivityUpgrade }

// UpgradeInstanceRequest is V2 upgradeInstance (实例升级).
type UpgradeInstanceRequest struct {
	InstanceID  string `json:"instanceId,omitempty"`
	OrderID     string `json:"orderId,omitempty"`
	OrderLineID string `json:"orderLineId,omitempty"`
	TestFlag    string `json:"testFlag,omitempty"`
}

// Activity implements Request.
func (*UpgradeInstanceRequest) Activity() Activity { return ActivityUpgradeInstance }

// Instance status values.
const (
	StatusFreeze   = "FREEZE"
	StatusNormal   = "NORMAL"   // V1 instanceStatus
	StatusUnfreeze = "UNFREEZE" // V2 updateInstanceStatus
)

// InstanceStatusRequest is V1 instanceStatus (pay-per-use freeze/unfreeze).
type InstanceStatusRequest struct {
	InstanceID     string `json:"instanceId,omitempty"`
	InstanceStatus string `json:"instanceStatus,omitempty"` // FREEZE or NORMAL
	TestFlag       string `json:"testFlag,omitempty"`
}

// Activity implements Request.
func (*InstanceStatusRequest) Activity() Activity { return ActivityInstanceStatus }

// UpdateInstanceStatusRequest is V2 updateInstanceStatus.
type UpdateInstanceStatusRequest struct {
	InstanceID string `json:"instanceId,omitempty"`
	Status     string `json:"status,omitempty"` // FREEZE or UNFREEZE
	TestFlag   string `json:"testFlag,omitempty"`
}

// Activity implements Request.
func (*UpdateInstanceStatusRequest) Activity() Activity { return ActivityUpdateInstanceStatus }

// QueryInstanceRequest is queryInstance; InstanceID is a comma-separated
// list of at most 100 ids.
type QueryInstanceRequest struct {
	InstanceID string `json:"instanceId,omitempty"`
	TestFlag   string `json:"testFlag,omitempty"`
}

// Activity implements Request.
func (*QueryInstanceRequest) Activity() Activity { return ActivityQueryInstance }

// InstanceIDs splits the comma-separated list.
func (r *QueryInstanceRequest) InstanceIDs() []string {
	var ids []string
	for id := range strings.SplitSeq(r.InstanceID, ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}

// ChangeInstanceCheckRequest is V2 changeInstanceCheck (续费变更校验). The
// spec does not describe productInfo's structure, so it stays raw JSON.
type ChangeInstanceCheckRequest struct {
	InstanceID  string          `json:"instanceId,omitempty"`
	ProductInfo json.RawMessage `json:"productInfo,omitempty"`
	TestFlag    string          `json:"testFlag,omitempty"`
}

// Activity implements Request.
func (*ChangeInstanceCheckRequest) Activity() Activity { return ActivityChangeInstanceCheck }

// GetLicenseAsyncRequest is V2 getLicenseAsync (Online-License products).
type GetLicenseAsyncRequest struct {
	InstanceID        string `json:"instanceId,omitempty"`
	EffectiveTime     string `json:"effectiveTime,omitempty"` // e.g. "2023-10-27 10:30:15 z", see ParseLicenseTime
	ExpireTime        string `json:"expireTime,omitempty"`
	EventID           string `json:"eventId,omitempty"`
	DeviceFingerprint string `json:"deviceFingerprint,omitempty"`
	TestFlag          string `json:"testFlag,omitempty"`
}

// Activity implements Request.
func (*GetLicenseAsyncRequest) Activity() Activity { return ActivityGetLicenseAsync }

// OrderNotifyRequest is V2 orderNotify; testFlag is mandatory here.
type OrderNotifyRequest struct {
	OrderID     string `json:"orderId,omitempty"`
	OrderLineID string `json:"orderLineId,omitempty"`
	TestFlag    string `json:"testFlag,omitempty"`
}

// Activity implements Request.
func (*OrderNotifyRequest) Activity() Activity { return ActivityOrderNotify }

// Response is the body every activity answers with; activities without
// extra fields use it as is.
type Response struct {
	ResultCode ResultCode `json:"resultCode"`
	ResultMsg  string     `json:"resultMsg"`
}

// NewResponse returns a Response whose resultMsg is the code's English
// meaning.
func NewResponse(code ResultCode) Response {
	_, en := code.Meaning()
	return Response{ResultCode: code, ResultMsg: en}
}

// Responses of activities that answer only resultCode and resultMsg.
type (
	RefreshInstanceResponse      = Response
	ExpireInstanceResponse       = Response
	ReleaseInstanceResponse      = Response
	UpgradeResponse              = Response
	UpgradeInstanceResponse      = Response
	InstanceStatusResponse       = Response
	UpdateInstanceStatusResponse = Response
	ChangeInstanceCheckResponse  = Response
	GetLicenseAsyncResponse      = Response
	OrderNotifyResponse          = Response
)

// NewInstanceResponse answers newInstance. V1 returns appInfo; V2 returns
// only instanceId (appInfo comes through queryInstance).
type NewInstanceResponse struct {
	Response
	EncryptType EncryptType `json:"encryptType,omitempty"`
	InstanceID  string      `json:"instanceId,omitempty"`
	AppInfo     *AppInfo    `json:"appInfo,omitempty"`
}

// AppInfo is how the buyer reaches the instance. UserName and Password are
// encrypted (see Encrypt); Memo is emitted as ASCII JSON by WriteResponse.
type AppInfo struct {
	FrontEndURL string `json:"frontEndUrl"`
	AdminURL    string `json:"adminUrl,omitempty"`
	UserName    string `json:"userName,omitempty"`
	Password    string `json:"password,omitempty"`
	Memo        string `json:"memo,omitempty"`
}

// QueryInstanceResponse answers queryInstance.
type QueryInstanceResponse struct {
	Response
	EncryptType EncryptType    `json:"encryptType,omitempty"`
	Info        []InstanceInfo `json:"info,omitempty"`
}

// InstanceInfo is one entry of QueryInstanceResponse.Info.
type InstanceInfo struct {
	InstanceID string      `json:"instanceId"`
	AppInfo    *AppInfo    `json:"appInfo,omitempty"`
	UsageInfo  []UsageInfo `json:"usageInfo,omitempty"`
}

// UsageInfo reports cumulative usage of a pay-per-use instance.
type UsageInfo struct {
	RelatedInstanceID string      `json:"relatedInstanceId,omitempty"`
	UsageValue        json.Number `json:"usageValue"`      // Double(12,4), cumulative
	StatisticalTime   string      `json:"statisticalTime"` // yyyyMMddHHmmssSSS UTC
	DashboardURL      string      `json:"dashboardUrl,omitempty"`
}

// DecodeExtendParams decodes V1 saasExtendParams: Base64 of a JSON array of
// {"name","value"}.
func DecodeExtendParams(s string) ([]NameValue, error) {
	raw, err := decodeBase64Lenient(s)
	if err != nil {
		return nil, err
	}
	var out []NameValue
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, err
	}
	return out, nil
}
