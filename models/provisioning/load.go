package provisioning

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/catalog"
	"github.com/sellercenter/sellercenter/web/koogallery"
)

// callCtxSQL reads everything an attempt needs in one statement: the call,
// the merchant's endpoint and signing keys, the line with its order, buyer
// and product, the instance, and the order that created the instance (V1
// expire and release name it). The product is the line's, else the
// instance's.
//
// The id is compared with +? rather than ?: with a bare parameter in the
// WHERE of a join, the bundled SQLite marks the plan as depending on the
// parameter's value, and the driver clears the bindings before each run,
// which expires the statement, so it was parsed and planned again on every
// run (140 µs instead of 32 µs, measured). The plan is the same primary-key
// lookup either way.
var callCtxSQL = `SELECT c.merchant_id, c.activity, c.order_line_ref, c.instance_ref, c.params, c.state, c.business_id,
	c.attempts, c.interval_s, c.deadline_at, c.next_at, c.test_flag, c.restarted, c.manual_by, c.inflight_at,
	e.url, e.protocol, e.encrypt_type, e.timeout_ms, e.max_concurrency,
	l.order_ref, l.order_line_id, l.product_ref, l.sku_code, l.charging_mode, l.period_type, l.period_number,
	l.amount, l.expire_at, l.target_instance_id, l.status, l.supervision,
	o.order_id, o.order_type, b.customer_id, b.pii_enc,
	i.instance_id, i.product_id, i.status, i.creating_line_ref,
	p.id, p.product_id, p.supervised,
	(SELECT co.order_id FROM order_lines cl JOIN orders co ON co.id = cl.order_ref WHERE cl.id = i.creating_line_ref),
	` + catalog.SigningKeysColumn("c.merchant_id") + `
FROM calls c
LEFT JOIN endpoints e ON e.merchant_id = c.merchant_id
LEFT JOIN order_lines l ON l.id = c.order_line_ref
LEFT JOIN orders o ON o.id = l.order_ref
LEFT JOIN buyers b ON b.id = o.buyer_id
LEFT JOIN instances i ON i.id = c.instance_ref
LEFT JOIN products p ON p.id = coalesce(l.product_ref, i.product_id)
WHERE c.id = +?`

// loadCallCtx reads the call and its context; sql.ErrNoRows when the call
// does not exist.
func (s *Service) loadCallCtx(r sqlRun, callID int64, now time.Time) (*callCtx, error) {
	cc := &callCtx{call: models.Call{ID: callID}}
	c := &cc.call
	var (
		lineRef, instRef                            sql.NullInt64
		nextAt, inflightAt                          sql.NullTime
		epURL, epProto                              sql.NullString
		epEnc, epTimeout, epMax                     sql.NullInt64
		lOrder, lProduct, lPeriodN, lAmount         sql.NullInt64
		lID, lSKU, lMode, lPeriod, lTarget, lStatus sql.NullString
		lSupervision                                sql.NullString
		lExpire                                     sql.NullTime
		oID, oType, bCustomer, bPII                 sql.NullString
		iID, iStatus                                sql.NullString
		iProduct, iCreating, pRef                   sql.NullInt64
		pID                                         sql.NullString
		pSupervised                                 sql.NullBool
		creatingOrder, keys                         sql.NullString
	)
	err := r.row(callCtxSQL, []any{now, callID},
		&c.MerchantID, &c.Activity, &lineRef, &instRef, &c.Params, &c.State, &c.BusinessID,
		&c.Attempts, &c.IntervalS, &c.DeadlineAt, &nextAt, &c.TestFlag, &c.Restarted, &c.ManualBy, &inflightAt,
		&epURL, &epProto, &epEnc, &epTimeout, &epMax,
		&lOrder, &lID, &lProduct, &lSKU, &lMode, &lPeriod, &lPeriodN, &lAmount, &lExpire, &lTarget, &lStatus, &lSupervision,
		&oID, &oType, &bCustomer, &bPII,
		&iID, &iProduct, &iStatus, &iCreating,
		&pRef, &pID, &pSupervised,
		&creatingOrder, &keys)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(c.Params), &cc.params); err != nil {
		return nil, fmt.Errorf("call %d params: %w", callID, err)
	}
	c.NextAt = timePtr(nextAt)
	c.InflightAt = timePtr(inflightAt)
	cc.keys = keys.String
	if epURL.Valid {
		cc.endpoint = &models.Endpoint{MerchantID: c.MerchantID, URL: epURL.String, Protocol: epProto.String,
			EncryptType: int(epEnc.Int64), TimeoutMS: int(epTimeout.Int64), MaxConcurrency: int(epMax.Int64)}
		cc.version = koogallery.V1
		if epProto.String == "v2" {
			cc.version = koogallery.V2
		}
	}
	if pRef.Valid {
		cc.product = &models.Product{ID: pRef.Int64, MerchantID: c.MerchantID, ProductID: pID.String, Supervised: pSupervised.Bool}
	}
	if lineRef.Valid {
		if !lID.Valid {
			return nil, fmt.Errorf("call %d: order line %d: %w", callID, lineRef.Int64, sql.ErrNoRows)
		}
		c.OrderLineRef = &lineRef.Int64
		cc.line = &models.OrderLine{ID: lineRef.Int64, OrderRef: lOrder.Int64, MerchantID: c.MerchantID, OrderLineID: lID.String,
			ProductRef: lProduct.Int64, SKUCode: lSKU.String, ChargingMode: lMode.String, PeriodType: lPeriod.String,
			PeriodNumber: int(lPeriodN.Int64), Amount: lAmount.Int64, ExpireAt: timePtr(lExpire),
			TargetInstanceID: lTarget.String, Status: models.LineStatus(lStatus.String), OrderType: oType.String,
			Supervision: models.Supervision(lSupervision.String)}
		cc.order = &models.Order{ID: lOrder.Int64, OrderID: oID.String, OrderType: oType.String}
		if bCustomer.Valid {
			cc.buyer = &models.Buyer{CustomerID: bCustomer.String, PIIEnc: bPII.String}
		}
	}
	if instRef.Valid {
		if !iID.Valid {
			return nil, fmt.Errorf("call %d: instance %d: %w", callID, instRef.Int64, sql.ErrNoRows)
		}
		c.InstanceRef = &instRef.Int64
		cc.instance = &models.Instance{ID: instRef.Int64, MerchantID: c.MerchantID, InstanceID: iID.String, ProductID: iProduct.Int64,
			Status: models.InstanceStatus(iStatus.String), CreatingLineRef: iCreating.Int64}
		cc.creatingOrder = creatingOrder.String
		if cc.line != nil && !models.CreatesInstance(cc.line.OrderType) {
			cc.line.InstanceRef = c.InstanceRef // the target of a renewal, unsubscribe or change
		}
	}
	if cc.creatingOrder == "" && cc.order != nil && models.CreatesInstance(cc.order.OrderType) {
		cc.creatingOrder = cc.order.OrderID
	}
	return cc, nil
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}
