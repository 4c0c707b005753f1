package provisioning

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/web/koogallery"
)

// newBusinessID is the call's businessId. The marketplace sends a new one on
// every call; we keep one per call across its retries, so a seller that keys
// its instance on the first businessId (as the guide recommends) sees the
// same value on every retry and can never create twice.
func newBusinessID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// callCtx is everything a call needs to be built.
type callCtx struct {
	call     models.Call
	params   CallParams
	endpoint *models.Endpoint
	version  koogallery.Version
	line     *models.OrderLine
	order    *models.Order
	buyer    *models.Buyer
	product  *models.Product
	instance *models.Instance
	// creatingOrder is the id of the order that created the instance; V1
	// expire and release name that order.
	creatingOrder string
	// keys are the merchant's signing keys as catalog.SigningKeysColumn
	// selected them (still sealed).
	keys string
	// usedKey is the key the last send signed with; credentials in the
	// answer are encrypted with it.
	usedKey string
	// created is the instance a create's answer describes, its credentials
	// decrypted and sealed before the record's transaction opens.
	created *createdInstance
}

var chargingCodes = map[string]string{
	models.ChargingOnDemand: "0", models.ChargingPeriod: "1", models.ChargingOneTime: "3", models.ChargingOnDemandPkg: "5",
}

func testFlag(c models.Call) string {
	if c.TestFlag {
		return "1"
	}
	return ""
}

// wireActivity is the activity the endpoint's protocol names for a call.
func (cc *callCtx) wireActivity() koogallery.Activity {
	v2 := cc.version == koogallery.V2
	switch cc.call.Activity {
	case models.ActNewInstance:
		if cc.call.State == models.CallPolling {
			return koogallery.ActivityQueryInstance
		}
		return koogallery.ActivityNewInstance
	case models.ActExpireInstance:
		if v2 {
			return koogallery.ActivityUpdateInstanceStatus
		}
		return koogallery.ActivityExpireInstance
	case models.ActUpdateStatus:
		if v2 {
			return koogallery.ActivityUpdateInstanceStatus
		}
		return koogallery.ActivityInstanceStatus
	case models.ActUpgrade:
		if v2 {
			return koogallery.ActivityUpgradeInstance
		}
		return koogallery.ActivityUpgrade
	}
	return koogallery.Activity(cc.call.Activity)
}

func (cc *callCtx) orderID() string {
	if cc.order != nil {
		return cc.order.OrderID
	}
	return ""
}

func (cc *callCtx) lineID() string {
	if cc.line != nil {
		return cc.line.OrderLineID
	}
	return ""
}

func (cc *callCtx) instanceID() string {
	if cc.instance != nil {
		return cc.instance.InstanceID
	}
	if cc.params.InstanceID != "" {
		return cc.params.InstanceID
	}
	if cc.line != nil {
		return cc.line.TargetInstanceID
	}
	return ""
}

// request builds the protocol request of the call.
func (cc *callCtx) request(customerName string) koogallery.Request {
	tf := testFlag(cc.call)
	v2 := cc.version == koogallery.V2
	switch cc.wireActivity() {
	case koogallery.ActivityQueryInstance:
		return &koogallery.QueryInstanceRequest{InstanceID: cc.instanceID(), TestFlag: tf}
	case koogallery.ActivityNewInstance:
		if v2 {
			return &koogallery.NewInstanceRequest{OrderID: cc.orderID(), OrderLineID: cc.lineID(), BusinessID: cc.call.BusinessID, TestFlag: tf}
		}
		r := &koogallery.NewInstanceRequest{BusinessID: cc.call.BusinessID, OrderID: cc.orderID(), TestFlag: tf,
			CustomerName: customerName}
		if cc.buyer != nil {
			r.CustomerID = cc.buyer.CustomerID
		}
		if cc.product != nil {
			r.ProductID = cc.product.ProductID
		}
		if l := cc.line; l != nil {
			r.SKUCode = l.SKUCode
			r.ChargingMode = chargingCodes[l.ChargingMode]
			r.PeriodType = l.PeriodType
			if l.PeriodNumber > 0 {
				r.PeriodNumber = strconv.Itoa(l.PeriodNumber)
			}
			r.OrderAmount = FormatAmount(l.Amount)
			if l.ExpireAt != nil {
				r.ExpireTime = koogallery.FormatExpireTime(*l.ExpireAt)
			}
		}
		if cc.order != nil && cc.order.OrderType == models.OrderTrial {
			r.TrialFlag = "1"
		}
		return r
	case koogallery.ActivityRefreshInstance:
		r := &koogallery.RefreshInstanceRequest{InstanceID: cc.instanceID(), OrderID: cc.orderID(), TestFlag: tf}
		if l := cc.line; l != nil {
			if l.ExpireAt != nil {
				r.ExpireTime = koogallery.FormatExpireTime(*l.ExpireAt)
			}
			if cc.product != nil {
				r.ProductID = cc.product.ProductID
			}
			if v2 {
				r.OrderLineID, r.Scene = l.OrderLineID, cc.params.Scene
			} else {
				r.PeriodType = l.PeriodType
				if l.PeriodNumber > 0 {
					r.PeriodNumber = strconv.Itoa(l.PeriodNumber)
				}
				r.OrderAmount = FormatAmount(l.Amount)
				if cc.params.Scene == "TRIAL_TO_FORMAL" {
					r.TrialToFormal = "1"
				}
			}
		}
		return r
	case koogallery.ActivityExpireInstance:
		return &koogallery.ExpireInstanceRequest{InstanceID: cc.instanceID(), OrderID: cc.creatingOrderID(), TestFlag: tf}
	case koogallery.ActivityInstanceStatus:
		st := cc.params.Status
		if st == koogallery.StatusUnfreeze {
			st = koogallery.StatusNormal
		}
		return &koogallery.InstanceStatusRequest{InstanceID: cc.instanceID(), InstanceStatus: st, TestFlag: tf}
	case koogallery.ActivityUpdateInstanceStatus:
		return &koogallery.UpdateInstanceStatusRequest{InstanceID: cc.instanceID(), Status: cc.params.Status, TestFlag: tf}
	case koogallery.ActivityReleaseInstance:
		r := &koogallery.ReleaseInstanceRequest{InstanceID: cc.instanceID(), OrderID: cc.orderID(), TestFlag: tf}
		if r.OrderID == "" && !v2 {
			r.OrderID = cc.creatingOrderID()
		}
		if v2 {
			r.OrderLineID = cc.lineID()
		}
		return r
	case koogallery.ActivityUpgradeInstance:
		return &koogallery.UpgradeInstanceRequest{InstanceID: cc.instanceID(), OrderID: cc.orderID(), OrderLineID: cc.lineID(), TestFlag: tf}
	case koogallery.ActivityUpgrade:
		r := &koogallery.UpgradeRequest{InstanceID: cc.instanceID(), OrderID: cc.orderID(), TestFlag: tf}
		if cc.line != nil {
			r.SKUCode = cc.line.SKUCode
		}
		if cc.product != nil {
			r.ProductID = cc.product.ProductID
		}
		return r
	}
	return nil
}

func (cc *callCtx) creatingOrderID() string { return cc.creatingOrder }
