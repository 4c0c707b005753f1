package web

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/interfacelog"
	ilv "github.com/sellercenter/sellercenter/views/interfacelog"
	"github.com/sellercenter/sellercenter/views/paths"
)

func (s *Server) ilogList(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	d := ilv.ListData{Query: c.QueryParams(), CanExport: a.Can(models.PermOrdersExport)}
	f, verr := interfacelog.ParseFilter(d.Query, userLoc(c))
	err := verr.Err()
	if err == nil {
		d.Page, err = s.ILog.List(ctx, a, f)
	} else if d.Page.Merchants, err = s.ILog.Merchants(ctx, a); err == nil {
		err = verr // the refused filter is shown again with its merchant choices
	}
	return s.renderList(c, err, func(v *models.ValidationError) templ.Component { d.Err = v; return ilv.List(d) })
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
