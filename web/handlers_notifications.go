package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models/notify"
	nv "github.com/sellercenter/sellercenter/views/notifications"
	"github.com/sellercenter/sellercenter/views/paths"
)

func (s *Server) notificationsPage(c echo.Context) error {
	f, verr := notify.ParseFilter(c.QueryParams(), userLoc(c))
	if err := positionOnly(verr); err != nil {
		return err
	}
	p, err := s.Notify.List(c.Request().Context(), actor(c), f)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, nv.List(nv.Data{Page: p, Platform: actor(c).IsPlatform()}))
}

func (s *Server) notificationsRead(c echo.Context) error {
	if err := s.Notify.MarkAllRead(c.Request().Context(), actor(c)); err != nil {
		return err
	}
	return redirect(c, paths.Notifications.String())
}
