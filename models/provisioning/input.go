package provisioning

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/sellercenter/sellercenter/models"
)

// OrderInput is an order as the marketplace's order query reports it.
type OrderInput struct {
	OrderID    string
	OrderType  string
	CreateTime time.Time
	Buyer      BuyerInput
	Lines      []LineInput
}

// BuyerInput is the buyer of an order.
type BuyerInput struct {
	CustomerID   string
	CustomerName string
	UserID       string
	UserName     string
	MobilePhone  string
	Email        string
}

// LineInput is one order line; Amount is the decimal string as sent.
type LineInput struct {
	OrderLineID  string
	ProductID    string
	SKUCode      string
	ChargingMode string
	PeriodType   string
	PeriodNumber int
	Amount       string
	Currency     string
	ExpireTime   *time.Time
	InstanceID   string
}

// ParseAmount turns a decimal string into minor units (fen/cents). At most
// two decimals: money is integer minor units here, and a third decimal would
// have to be rounded, which loses money silently.
func ParseAmount(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 20 {
		return 0, false
	}
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || (hasDot && (frac == "" || len(frac) > 2)) {
		return 0, false
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > math.MaxInt64/100-1 {
		return 0, false
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	v := w*100 + f
	if neg {
		v = -v
	}
	return v, true
}

// FormatAmount renders minor units as a decimal string.
func FormatAmount(v int64) string { return models.FormatAmount(v) }

// validate checks the shape of an order; catalogue and instance checks need
// the database and come after.
func (in *OrderInput) validate(now time.Time) *models.ValidationError {
	v := &models.ValidationError{}
	v.ID("orderId", in.OrderID, true)
	valid := false
	for _, t := range models.OrderTypes {
		valid = valid || t == in.OrderType
	}
	if !valid {
		v.Add("orderType", models.M("err.enum", "Values", strings.Join(models.OrderTypes, ", ")))
	}
	if in.CreateTime.IsZero() {
		v.Add("createTime", models.M("err.required"))
	} else if in.CreateTime.After(now.Add(5 * time.Minute)) {
		v.Add("createTime", models.M("err.future_time"))
	}
	v.ID("buyer.customerId", in.Buyer.CustomerID, true)
	v.Text("buyer.customerName", in.Buyer.CustomerName, 64, true, false)
	v.Text("buyer.userId", in.Buyer.UserID, 64, false, false)
	v.Text("buyer.userName", in.Buyer.UserName, 64, false, false)
	v.Text("buyer.mobilePhone", in.Buyer.MobilePhone, 32, false, false)
	v.Text("buyer.email", in.Buyer.Email, 254, false, false)
	if in.Buyer.Email != "" && !models.ValidEmail(in.Buyer.Email) {
		v.Add("buyer.email", models.M("err.email_format"))
	}
	if len(in.Lines) == 0 {
		v.Add("lines", models.M("err.required"))
	}
	if len(in.Lines) > 50 {
		v.Add("lines", models.M("err.too_many", "Max", 50))
	}
	seen := map[string]bool{}
	for i, l := range in.Lines {
		f := func(name string) string { return fmt.Sprintf("lines[%d].%s", i, name) }
		v.ID(f("orderLineId"), l.OrderLineID, true)
		if seen[l.OrderLineID] {
			v.Add(f("orderLineId"), models.M("err.duplicate"))
		}
		seen[l.OrderLineID] = true
		v.ID(f("productId"), l.ProductID, true)
		v.Text(f("skuCode"), l.SKUCode, 64, false, false)
		modeOK := false
		for _, m := range models.ChargingModes {
			modeOK = modeOK || m == l.ChargingMode
		}
		if !modeOK {
			v.Add(f("chargingMode"), models.M("err.enum", "Values", strings.Join(models.ChargingModes, ", ")))
		}
		if l.ChargingMode == models.ChargingPeriod {
			if l.PeriodType != "year" && l.PeriodType != "month" {
				v.Add(f("periodType"), models.M("err.enum", "Values", "year, month"))
			}
			// Absurd periods are refused: the marketplace sells at most 5
			// years or 60 months in one order.
			max := 60
			if l.PeriodType == "year" {
				max = 5
			}
			if l.PeriodNumber < 1 || l.PeriodNumber > max {
				v.Add(f("periodNumber"), models.M("err.range", "Min", 1, "Max", max))
			}
		} else if l.PeriodType != "" || l.PeriodNumber != 0 {
			v.Add(f("periodType"), models.M("err.period_not_allowed"))
		}
		amount, ok := ParseAmount(l.Amount)
		switch {
		case !ok:
			v.Add(f("amount"), models.M("err.amount_format"))
		case amount < 0 && in.OrderType != models.OrderRenew:
			// Only a renewal cancellation (退续费) carries a negative amount.
			v.Add(f("amount"), models.M("err.amount_negative"))
		}
		if l.Currency != "" && l.Currency != "CNY" && l.Currency != "USD" {
			v.Add(f("currency"), models.M("err.enum", "Values", "CNY, USD"))
		}
		if models.CreatesInstance(in.OrderType) {
			if l.InstanceID != "" {
				v.Add(f("instanceId"), models.M("err.instance_not_allowed"))
			}
		} else {
			v.ID(f("instanceId"), l.InstanceID, true)
		}
		if l.ExpireTime != nil && l.ExpireTime.Before(in.CreateTime) {
			v.Add(f("expireTime"), models.M("err.expire_before_create"))
		}
	}
	return v
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
