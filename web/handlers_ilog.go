package web

import (
	"net/http"
	"strconv"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/interfacelog"
	ilv "github.com/sellercenter/sellercenter/views/interfacelog"
	"github.com/sellercenter/sellercenter/views/paths"
)

func (s *Server) ilogList(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	d := ilv.ListData{Query: c.QueryParams(), CanExport: a.Can(models.PermOrdersExport), Platform: a.IsPlatform()}
	f, verr := interfacelog.ParseFilter(d.Query, userLoc(c))
	err := verr.Err()
	if err == nil {
		d.Page, err = s.ILog.List(ctx, a, f)
	} else if d.Page.Merchants, err = s.ILog.Merchants(ctx, a); err == nil {
		err = verr // the refused filter is shown again with its merchant choices
	}
	return s.renderList(c, err, func(v *models.ValidationError) templ.Component { d.Err = v; return ilv.List(d) })
}

// ilogDetail is a call's page; ?attempt=n shows that attempt's exchange.
func (s *Server) ilogDetail(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	attempt, _ := strconv.Atoi(c.QueryParam("attempt"))
	d, err := s.ILog.Get(c.Request().Context(), actor(c), id, max(attempt, 0))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, ilv.Detail(d))
}

// ilogRestart is 重新启动 from a call's page: it restarts the call and
// returns to the same page, which refreshes itself until the new attempt is
// answered.
func (s *Server) ilogRestart(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	err = s.Core.Restart(c.Request().Context(), actor(c), id)
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
