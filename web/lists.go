package web

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
)

// renderList answers a list page from its service's answer: a filter the
// parse or the service refused (an unknown merchant) shows the page again
// with its messages (422); a malformed page position is a 400 (see statusOf);
// any other error is the error page. page builds the view with the refusal.
func (s *Server) renderList(c echo.Context, err error, page func(*models.ValidationError) templ.Component) error {
	if v, ok := asValidation(err); ok {
		return s.render(c, http.StatusUnprocessableEntity, page(v))
	}
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, page(nil))
}

// positionOnly is the parse verdict of a list without a filter form: the page
// position is all its query holds, so a bad one is a malformed link (400),
// not a form to show again.
func positionOnly(v *models.ValidationError) error {
	if v.Err() != nil {
		return models.ErrBadCursor
	}
	return nil
}
