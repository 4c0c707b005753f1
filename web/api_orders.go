package web

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/provisioning"
)

// orderRequest is POST /api/v1/orders as the marketplace sends it (DESIGN.md
// §4). It is kept apart from provisioning.OrderInput so the wire format can
// stay fixed while the core changes. Buyer and lines are decoded one by one,
// so a 400 can name the exact element ("lines[2].amount").
type orderRequest struct {
	OrderID    string          `json:"orderId"`
	OrderType  string          `json:"orderType"`
	CreateTime string          `json:"createTime"`
	Buyer      json.RawMessage `json:"buyer"`
	Lines      json.RawMessage `json:"lines"`
}

type buyerRequest struct {
	CustomerID   string `json:"customerId"`
	CustomerName string `json:"customerName"`
	UserID       string `json:"userId"`
	UserName     string `json:"userName"`
	MobilePhone  string `json:"mobilePhone"`
	Email        string `json:"email"`
}

// lineRequest's Amount is a string on purpose: a JSON number would pass
// through float64 and could lose cents.
type lineRequest struct {
	OrderLineID  string `json:"orderLineId"`
	ProductID    string `json:"productId"`
	SKUCode      string `json:"skuCode"`
	ChargingMode string `json:"chargingMode"`
	PeriodType   string `json:"periodType"`
	PeriodNumber int    `json:"periodNumber"`
	Amount       string `json:"amount"`
	Currency     string `json:"currency"`
	ExpireTime   string `json:"expireTime"`
	InstanceID   string `json:"instanceId"`
}

// readOrder decodes the body into the core's input. Every shape problem it
// finds is reported at once, as one 400.
func readOrder(body io.Reader) (provisioning.OrderInput, error) {
	var in provisioning.OrderInput
	var req orderRequest
	if err := decodeStrict(body, "", &req); err != nil {
		return in, err
	}
	bad := &models.ValidationError{}
	collect := func(err error) bool {
		if err == nil {
			return true
		}
		re, ok := err.(*requestError)
		if !ok {
			return false
		}
		for k, m := range re.v.Fields {
			bad.Add(k, m)
		}
		return true
	}

	in.OrderID, in.OrderType = req.OrderID, req.OrderType
	in.CreateTime = parseTime(bad, "createTime", req.CreateTime)

	var buyer buyerRequest
	if err := decodeRaw(req.Buyer, "buyer.", &buyer); !collect(err) {
		return in, err
	}
	in.Buyer = provisioning.BuyerInput{CustomerID: buyer.CustomerID, CustomerName: buyer.CustomerName,
		UserID: buyer.UserID, UserName: buyer.UserName, MobilePhone: buyer.MobilePhone, Email: buyer.Email}

	var raws []json.RawMessage
	if err := decodeRaw(req.Lines, "lines.", &raws); !collect(err) {
		return in, err
	}
	for i, raw := range raws {
		at := fmt.Sprintf("lines[%d].", i)
		var l lineRequest
		if err := decodeRaw(raw, at, &l); !collect(err) {
			return in, err
		}
		li := provisioning.LineInput{OrderLineID: l.OrderLineID, ProductID: l.ProductID, SKUCode: l.SKUCode,
			ChargingMode: l.ChargingMode, PeriodType: l.PeriodType, PeriodNumber: l.PeriodNumber, Amount: l.Amount,
			Currency: l.Currency, InstanceID: l.InstanceID}
		if l.ExpireTime != "" {
			t := parseTime(bad, at+"expireTime", l.ExpireTime)
			li.ExpireTime = &t
		}
		in.Lines = append(in.Lines, li)
	}
	if bad.Err() != nil {
		return in, &requestError{v: bad}
	}
	return in, nil
}

// parseTime reads an RFC 3339 time; empty is left zero for the core to call
// it missing. UTC, so the same instant written with another offset is the
// same order, not a conflicting repeat.
func parseTime(bad *models.ValidationError, field, s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		bad.Add(field, models.M("err.time_rfc3339"))
		return time.Time{}
	}
	return t.UTC()
}

// apiOrderCreate is POST /api/v1/orders: 201 for a new order, 200 with the
// recorded order when the marketplace repeats it.
func (s *Server) apiOrderCreate(c echo.Context) error {
	in, err := readOrder(c.Request().Body)
	if err != nil {
		return err
	}
	view, created, err := s.Core.AcceptOrder(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return apiCreated(c, created, "/api/v1/orders/"+url.PathEscape(view.OrderID), view)
}

// apiCreated answers an idempotent create: 201 with its Location when the
// call created the resource, 200 with the recorded one when it was a repeat.
func apiCreated(c echo.Context, created bool, location string, view any) error {
	if !created {
		return apiJSON(c, http.StatusOK, view)
	}
	c.Response().Header().Set(echo.HeaderLocation, location)
	return apiJSON(c, http.StatusCreated, view)
}

// apiOrderGet is GET /api/v1/orders/{orderId}.
func (s *Server) apiOrderGet(c echo.Context) error {
	view, err := s.Core.Order(c.Request().Context(), c.Param("orderId"))
	if err != nil {
		return err
	}
	return apiJSON(c, http.StatusOK, view)
}
