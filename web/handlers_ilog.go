package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/interfacelog"
	ilv "github.com/sellercenter/sellercenter/views/interfacelog"
	"github.com/sellercenter/sellercenter/views/paths"
)

// ilogFilter reads the list filter from the query string (the rules live in
// interfacelog.ParseFilter, shared with the export); a merchant slug is
// resolved for operations managers only.
func (s *Server) ilogFilter(c echo.Context) (interfacelog.Filter, *models.ValidationError, error) {
	f, v := interfacelog.ParseFilter(c.QueryParams(), userLoc(c))
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

func (s *Server) ilogList(c echo.Context) error {
	d := ilv.ListData{Query: url.Values(c.QueryParams()), CanExport: current(c).User.Role.Can(models.PermOrdersExport)}
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
		return redirect(c, paths.InterfaceMessage.String(id))
	}
	if err != nil {
		return err
	}
	s.flash(c, "success", models.M("ilog.restarted"))
	return redirect(c, paths.InterfaceMessage.String(id))
}
