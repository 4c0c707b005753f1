package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/notify"
	nv "github.com/sellercenter/sellercenter/views/notifications"
	"github.com/sellercenter/sellercenter/views/paths"
)

func (s *Server) notificationsPage(c echo.Context) error {
	p, err := s.Notify.List(c.Request().Context(), actor(c), 0, 0)
	if err != nil {
		return err
	}
	d := nv.Data{Unread: p.Unread}
	for _, n := range p.Items {
		d.Items = append(d.Items, nv.Item{Notification: n, Msg: models.Msg{ID: n.MsgID, Args: notify.Args(n)}})
	}
	return s.render(c, http.StatusOK, nv.List(d))
}

func (s *Server) notificationsRead(c echo.Context) error {
	if err := s.Notify.MarkAllRead(c.Request().Context(), actor(c)); err != nil {
		return err
	}
	return redirect(c, paths.Notifications.String())
}
