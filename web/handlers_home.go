package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/views"
	"github.com/sellercenter/sellercenter/views/buyer"
	"github.com/sellercenter/sellercenter/views/overview"
	"github.com/sellercenter/sellercenter/views/paths"
)

func itoa(n int) string { return strconv.Itoa(n) }

// home is the overview (总览); buyers have their own landing page.
func (s *Server) home(c echo.Context) error {
	cur := current(c)
	if !cur.User.Role.Can(models.PermOverview) {
		return redirect(c, paths.Buyer.String())
	}
	h, err := s.Overview.Home(c.Request().Context(), actor(c), userLoc(c))
	if err != nil {
		return err
	}
	d := overview.Data{User: &cur.User, Merchant: cur.Merchant, Figures: h.Figures}
	for _, it := range h.Board {
		d.Todos = append(d.Todos, overview.Todo{Key: it.Key, Count: it.Count, Link: it.Link})
	}
	for _, k := range h.Clocks {
		d.Clocks = append(d.Clocks, overview.Clock{Area: k.Area, Ref: k.Ref, Title: k.Title, Link: k.Link,
			Clock: views.ClockView{Status: k.Status, Left: k.Left, Ticking: k.Ticking, WarnLeft: k.WarnLeft}})
	}
	return s.render(c, http.StatusOK, overview.Overview(d))
}

func (s *Server) buyerHome(c echo.Context) error {
	return s.render(c, http.StatusOK, buyer.Home(&current(c).User))
}
