package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	mo "github.com/sellercenter/sellercenter/models/orders"
	ov "github.com/sellercenter/sellercenter/views/orders"
)

// orderFilter parses the list's query; a merchant slug is resolved for
// operations managers only (others are scoped to their own merchant anyway).
func (s *Server) orderFilter(c echo.Context, q url.Values) (mo.Filter, *models.ValidationError) {
	f, v := mo.ParseFilter(q, userLoc(c))
	if slug := q.Get("merchant"); slug != "" && current(c).User.Role == models.RoleOpsManager {
		m, err := s.Catalog.MerchantBySlug(c.Request().Context(), slug)
		if err != nil {
			v.Add("merchant", models.M("err.merchant_unknown"))
		} else {
			f.MerchantID = m.ID
		}
	}
	if v.Err() == nil {
		return f, nil
	}
	return f, v
}

func (s *Server) ordersList(c echo.Context) error {
	d := ov.ListData{Query: c.QueryParams(), CanExport: current(c).User.Role.Can(models.PermOrdersExport)}
	if current(c).User.Role == models.RoleOpsManager {
		ms, err := s.Accounts.ListMerchants(c.Request().Context(), actor(c))
		if err != nil {
			return err
		}
		d.Merchants = ms
	}
	f, verr := s.orderFilter(c, d.Query)
	if verr != nil {
		d.Err = verr
		return s.render(c, http.StatusUnprocessableEntity, ov.List(d))
	}
	p, err := s.Orders.List(c.Request().Context(), actor(c), f)
	if errors.Is(err, mo.ErrBadCursor) {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	if err != nil {
		return err
	}
	d.Page = p
	return s.render(c, http.StatusOK, ov.List(d))
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
