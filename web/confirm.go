package web

import (
	"errors"
	"maps"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/i18n"
	"github.com/sellercenter/sellercenter/views/components"
)

// askConfirm answers an action the service refused for want of a
// confirmation (models.NeedsConfirmError: rejecting a demand, revoking a
// key, disabling a user) with a page asking the question and offering the
// same form again with confirm=1; nothing was changed. The step is on the
// server, so it holds without JavaScript and for any client. It reports
// whether err was such a refusal.
func (s *Server) askConfirm(c echo.Context, err error, action models.Msg, back string) (bool, error) {
	var nc *models.NeedsConfirmError
	if !errors.As(err, &nc) {
		return false, nil
	}
	form, ferr := c.FormParams()
	if ferr != nil {
		return true, ferr
	}
	d := components.ConfirmData{Action: c.Request().URL.Path, Back: localPath(back, "/")}
	l := i18n.For(lang(c))
	d.Title, d.Button, d.Question = l.T("confirm.title"), l.Msg(action), l.Msg(nc.Question)
	for _, name := range slices.Sorted(maps.Keys(form)) {
		if name == "_csrf" || name == "confirm" {
			continue
		}
		for _, v := range form[name] {
			d.Fields = append(d.Fields, [2]string{name, v})
		}
	}
	return true, s.render(c, http.StatusOK, components.Confirm(d))
}

// confirmed reports whether the form carries the confirmation.
func confirmed(c echo.Context) bool { return c.FormValue("confirm") == "1" }
