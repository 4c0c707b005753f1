package web

import (
	"net/http"
	"strconv"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	mo "github.com/sellercenter/sellercenter/models/orders"
	ov "github.com/sellercenter/sellercenter/views/orders"
)

func (s *Server) ordersList(c echo.Context) error {
	ctx, a := c.Request().Context(), actor(c)
	d := ov.ListData{Query: c.QueryParams(), CanExport: a.Can(models.PermOrdersExport)}
	f, verr := mo.ParseFilter(d.Query, userLoc(c))
	err := verr.Err()
	if err == nil {
		d.Page, err = s.Orders.List(ctx, a, f)
	} else if d.Page.Merchants, err = s.Orders.Merchants(ctx, a); err == nil {
		err = verr // the refused filter is shown again with its merchant choices
	}
	return s.renderList(c, err, func(v *models.ValidationError) templ.Component { d.Err = v; return ov.List(d) })
}

func (s *Server) orderDetail(c echo.Context) error {
	return s.renderOrder(c, ov.DetailData{})
}

func (s *Server) renderOrder(c echo.Context, d ov.DetailData) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	det, err := s.Orders.Get(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	d.D = det
	return s.render(c, http.StatusOK, ov.Detail(d))
}

// The reveals answer with the page itself: what was decrypted is shown this
// once and never stored for a redirect.
func (s *Server) orderRevealCredentials(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	line, err := strconv.ParseInt(c.FormValue("line"), 10, 64)
	if err != nil {
		return models.ErrNotFound
	}
	ai, err := s.Reveal.Credentials(c.Request().Context(), actor(c), id, line)
	if err != nil {
		return err
	}
	return s.renderOrder(c, ov.DetailData{Credentials: map[int64]*models.AppInfo{line: ai}})
}

func (s *Server) orderRevealBuyer(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	pii, err := s.Reveal.Buyer(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return s.renderOrder(c, ov.DetailData{Buyer: pii})
}
