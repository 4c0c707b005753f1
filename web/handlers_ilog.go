package web

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/interfacelog"
	ilv "github.com/sellercenter/sellercenter/views/interfacelog"
)

// dateRange parses from/to date fields in the viewer's zone; to is inclusive.
func dateRange(c echo.Context, v *models.ValidationError) (from, to time.Time) {
	loc := userLoc(c)
	parse := func(field string) time.Time {
		s := c.QueryParam(field)
		if s == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation("2006-01-02", s, loc)
		if err != nil || t.Year() < 2000 || t.Year() > 2100 {
			v.Add(field, models.M("err.date_format"))
			return time.Time{}
		}
		return t
	}
	from, to = parse("from"), parse("to")
	if !to.IsZero() {
		to = to.AddDate(0, 0, 1)
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		v.Add("to", models.M("err.range_inverted"))
	}
	return from, to
}

// ilogFilter reads the list filter from the query string; unknown values are
// refused, not ignored, so a shared link never silently shows something else.
func (s *Server) ilogFilter(c echo.Context) (interfacelog.Filter, *models.ValidationError, error) {
	v := &models.ValidationError{}
	f := interfacelog.Filter{Activity: c.QueryParam("activity"), OrderID: c.QueryParam("order"),
		State: models.CallState(c.QueryParam("state")), ErrorClass: c.QueryParam("class"), Cursor: c.QueryParam("cursor")}
	f.From, f.To = dateRange(c, v)
	if f.Activity != "" && !oneOf(f.Activity, models.Activities...) {
		v.Add("activity", models.M("err.filter_value"))
	}
	if f.State != "" && !oneOf(f.State, models.CallStates...) {
		v.Add("state", models.M("err.filter_value"))
	}
	if f.ErrorClass != "" && !oneOf(f.ErrorClass, interfacelog.ErrorClasses...) {
		v.Add("class", models.M("err.filter_value"))
	}
	if len(f.OrderID) > 65 {
		v.Add("order", models.M("err.too_long", "Max", 64))
	}
	if slug := c.QueryParam("merchant"); slug != "" && current(c).User.Role.Can(models.PermAdminMerchants) {
		m, err := s.Catalog.MerchantBySlug(c.Request().Context(), slug)
		if err != nil {
			v.Add("merchant", models.M("err.merchant_unknown"))
		} else {
			f.MerchantID = m.ID
		}
	}
	if v.Err() != nil {
		return f, v, nil
	}
	return f, nil, nil
}

func oneOf[T comparable](x T, xs ...T) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

func (s *Server) ilogList(c echo.Context) error {
	d := ilv.ListData{Query: url.Values(c.QueryParams())}
	if current(c).User.Role.Can(models.PermAdminMerchants) {
		ms, err := s.Accounts.ListMerchants(c.Request().Context(), actor(c))
		if err != nil {
			return err
		}
		d.Merchants = ms
	}
	f, verr, err := s.ilogFilter(c)
	if err != nil {
		return err
	}
	if verr != nil {
		d.Err = verr
		return s.render(c, http.StatusUnprocessableEntity, ilv.List(d))
	}
	p, err := s.ILog.List(c.Request().Context(), actor(c), f)
	if errors.Is(err, interfacelog.ErrBadCursor) {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	if err != nil {
		return err
	}
	d.Rows, d.Next = p.Rows, p.Next
	return s.render(c, http.StatusOK, ilv.List(d))
}

func (s *Server) ilogDetail(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	d, err := s.ILog.Get(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, ilv.Detail(d))
}

// ilogRestart is 重新启动 from a message's detail page: it restarts the
// message's call and returns to the same page.
func (s *Server) ilogRestart(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	d, err := s.ILog.Get(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	err = s.Core.Restart(c.Request().Context(), actor(c), d.Call.ID)
	if v, ok := asValidation(err); ok && v.Form != nil {
		s.flash(c, "error", *v.Form)
		return redirect(c, c.Request().URL.Path[:len(c.Request().URL.Path)-len("/restart")])
	}
	if err != nil {
		return err
	}
	s.flash(c, "success", models.M("ilog.restarted"))
	return redirect(c, c.Request().URL.Path[:len(c.Request().URL.Path)-len("/restart")])
}
