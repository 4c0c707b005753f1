package supervision

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sellercenter/sellercenter/models"
)

// ParseFilter reads a flow list's query: node, appeal, overdue=1,
// turn=merchant, product (the product's id), customer (customerId), from
// and to (days, YYYY-MM-DD, in loc; to inclusive) and the page position
// (before=<id> or, with a time filter, before=<id>.<unix>).
func ParseFilter(q url.Values, loc *time.Location) (Filter, *models.ValidationError) {
	v := &models.ValidationError{}
	var f Filter
	if loc == nil {
		loc = time.UTC
	}
	if n := q.Get("node"); n != "" {
		if !slices.Contains(models.SupNodes, models.SupNode(n)) {
			v.Add("node", models.M("err.filter_value"))
		}
		f.Node = models.SupNode(n)
	}
	if a := q.Get("appeal"); a != "" {
		if !slices.Contains(models.SupAppeals, models.SupAppeal(a)) {
			v.Add("appeal", models.M("err.filter_value"))
		}
		f.Appeal = models.SupAppeal(a)
	}
	switch q.Get("overdue") {
	case "", "0":
	case "1":
		f.Overdue = true
	default:
		v.Add("overdue", models.M("err.filter_value"))
	}
	switch q.Get("turn") {
	case "":
	case "merchant":
		f.MerchantTurn = true
	default:
		v.Add("turn", models.M("err.filter_value"))
	}
	f.Customer = strings.TrimSpace(q.Get("customer"))
	if len(f.Customer) > 64 {
		v.Add("customer", models.M("err.filter_value"))
	}
	f.ProductCode = strings.TrimSpace(q.Get("product"))
	if len(f.ProductCode) > 64 {
		v.Add("product", models.M("err.filter_value"))
	}
	day := func(key string) time.Time {
		s := q.Get(key)
		if s == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation("2006-01-02", s, loc)
		if err != nil {
			v.Add(key, models.M("err.filter_value"))
			return time.Time{}
		}
		return t
	}
	f.From = day("from")
	if to := day("to"); !to.IsZero() {
		f.To = to.AddDate(0, 0, 1)
	}
	if b := q.Get(models.ParamBefore); b != "" {
		id, at, ok := strings.Cut(b, ".")
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil || n <= 0 {
			v.Add(models.ParamBefore, models.M("err.cursor"))
		} else {
			f.BeforeID = n
		}
		if ok {
			u, err := strconv.ParseInt(at, 10, 64)
			if err != nil {
				v.Add(models.ParamBefore, models.M("err.cursor"))
			}
			f.BeforeAt = time.Unix(u, 0).UTC()
		}
	}
	return f, v
}

// NextQuery is the query of the page after p for the list's query q; nil
// when p is the last page.
func (p Page) NextQuery(q url.Values) url.Values {
	if p.NextID == 0 {
		return nil
	}
	n := url.Values{}
	for k, vs := range q {
		n[k] = vs
	}
	b := strconv.FormatInt(p.NextID, 10)
	if !p.NextAt.IsZero() {
		b += "." + strconv.FormatInt(p.NextAt.Unix(), 10)
	}
	n.Set(models.ParamBefore, b)
	return n
}

// AppealDetail is the flow of an appeal with everything its page shows,
// for operations (the queue links appeals by their own id).
func (s *Service) AppealDetail(ctx context.Context, actor models.Actor, appealID int64) (*Detail, error) {
	if !actor.IsPlatform() || !actor.Can(models.PermAdminAppeals) {
		return nil, models.ErrForbidden
	}
	var flow int64
	if err := s.db.WithContext(ctx).Model(&models.SupAppealRow{}).Where("id = ?", appealID).
		Pluck("flow_ref", &flow).Error; err != nil {
		return nil, err
	}
	if flow == 0 {
		return nil, models.ErrNotFound
	}
	return s.Detail(ctx, actor, flow)
}
