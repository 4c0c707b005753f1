package koogallery

import (
	"bytes"
	"encoding/json"
)

// ResultCode is the resultCode a seller answers with (spec §5).
type ResultCode string

// Result codes of the production interface.
const (
	ResultSuccess                   ResultCode = "000000"
	ResultAuthFailed                ResultCode = "000001"
	ResultInvalidParam              ResultCode = "000002"
	ResultInstanceNotFound          ResultCode = "000003"
	ResultProcessing                ResultCode = "000004"
	ResultInternalError             ResultCode = "000005"
	ResultNoResources               ResultCode = "000100"
	ResultMobileInvalid             ResultCode = "000101"
	ResultEmailInvalid              ResultCode = "000102"
	ResultAlreadyPurchased          ResultCode = "000103"
	ResultProductInternalError      ResultCode = "000104"
	ResultBenefitsSubscribed        ResultCode = "000105"
	ResultSoldOut                   ResultCode = "000106"
	ResultEmailDomainExists         ResultCode = "000107"
	ResultLicenseQuotaExceeded      ResultCode = "000900"
	ResultLicenseOutsideOrderPeriod ResultCode = "000901"
	ResultLicenseExpireRequired     ResultCode = "000902"
	ResultLicenseFingerprintMissing ResultCode = "000903"
)

type meaning struct{ zh, en string }

var resultMeanings = map[ResultCode]meaning{
	ResultSuccess:                   {"成功", "success"},
	ResultAuthFailed:                {"鉴权失败", "authentication failed"},
	ResultInvalidParam:              {"请求参数不合法", "invalid request parameter"},
	ResultInstanceNotFound:          {"实例ID不存在", "instance ID does not exist"},
	ResultProcessing:                {"请求处理中", "request is being processed"},
	ResultInternalError:             {"其它服务内部错误", "other internal service error"},
	ResultNoResources:               {"无可用实例资源分配", "no instance resources available"},
	ResultMobileInvalid:             {"手机号为空或重复", "mobile number not specified or already exists"},
	ResultEmailInvalid:              {"邮箱号为空或重复", "email address not specified or already exists"},
	ResultAlreadyPurchased:          {"该商品不可重复购买", "product already purchased"},
	ResultProductInternalError:      {"该商品内部服务异常", "internal service error of the product"},
	ResultBenefitsSubscribed:        {"该账号已购买权益,无法再开通", "account has already subscribed to the benefits"},
	ResultSoldOut:                   {"该商品资源已售罄", "product resources sold out"},
	ResultEmailDomainExists:         {"该SaaS邮箱域名重复", "SaaS email domain already exists"},
	ResultLicenseQuotaExceeded:      {"该实例当前生效订单可用License额度不足", "the instance's effective order has insufficient License quota"},
	ResultLicenseOutsideOrderPeriod: {"请在当前订单有效日期区间内申请License", "apply for the License within the validity period of the current order"},
	ResultLicenseExpireRequired:     {"包周期License必须输入失效日期", "a period License requires an expiry date"},
	ResultLicenseFingerprintMissing: {"申请License必须输入设备指纹或硬件识别编码", "applying for a License requires a device fingerprint or hardware ID"},
}

// ResultCodes lists every documented code in ascending order.
func ResultCodes() []ResultCode {
	return []ResultCode{
		ResultSuccess, ResultAuthFailed, ResultInvalidParam, ResultInstanceNotFound,
		ResultProcessing, ResultInternalError, ResultNoResources, ResultMobileInvalid,
		ResultEmailInvalid, ResultAlreadyPurchased, ResultProductInternalError,
		ResultBenefitsSubscribed, ResultSoldOut, ResultEmailDomainExists,
		ResultLicenseQuotaExceeded, ResultLicenseOutsideOrderPeriod,
		ResultLicenseExpireRequired, ResultLicenseFingerprintMissing,
	}
}

// ResultCodeMeaning returns the Chinese and English meaning of a code;
// known is false for codes the spec does not list.
func ResultCodeMeaning(code string) (zh, en string, known bool) {
	m, ok := resultMeanings[ResultCode(code)]
	if !ok {
		return "未知结果码", "unknown result code", false
	}
	return m.zh, m.en, true
}

// Meaning returns the Chinese and English meaning of c.
func (c ResultCode) Meaning() (zh, en string) {
	zh, en, _ = ResultCodeMeaning(string(c))
	return zh, en
}

// Known reports whether the spec lists c.
func (c ResultCode) Known() bool {
	_, ok := resultMeanings[c]
	return ok
}

// UnmarshalJSON also accepts a bare number, because some sellers answer
// "resultCode":0; keeping the literal lets the caller report a business code
// instead of a JSON error.
func (c *ResultCode) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] != '"' && b[0] != 'n' {
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		*c = ResultCode(n)
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*c = ResultCode(s)
	return nil
}
