package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/exports"
	"github.com/sellercenter/sellercenter/models/i18n"
	"github.com/sellercenter/sellercenter/views/errorpage"
	ev "github.com/sellercenter/sellercenter/views/exports"
	"github.com/sellercenter/sellercenter/views/paths"
)

// exportsPage is the export history (导出记录); the page's script polls it
// while a row is being built.
func (s *Server) exportsPage(c echo.Context) error {
	return s.renderExports(c, http.StatusOK, nil)
}

func (s *Server) renderExports(c echo.Context, status int, verr *models.ValidationError) error {
	f, fv := exports.ParseFilter(c.QueryParams(), userLoc(c))
	if err := positionOnly(fv); err != nil {
		return err
	}
	p, err := s.Exports.List(c.Request().Context(), actor(c), f)
	if err != nil {
		return err
	}
	return s.render(c, status, ev.List(ev.ListData{Page: p, Err: verr}))
}

// exportCreate is the list pages' 导出 form: it queues the export and goes to
// the history; bad input stays on a 422 page and stores nothing.
func (s *Server) exportCreate(c echo.Context) error {
	_, err := s.Exports.Create(c.Request().Context(), actor(c), c.FormValue("kind"), c.FormValue("format"), c.FormValue("query"))
	if v, ok := asValidation(err); ok {
		return s.renderExports(c, http.StatusUnprocessableEntity, v)
	}
	if err != nil {
		return err
	}
	s.flash(c, "success", models.M("exports.created"))
	return redirect(c, paths.Exports.String())
}

func (s *Server) exportRetry(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	err = s.Exports.Retry(c.Request().Context(), actor(c), id)
	if v, ok := asValidation(err); ok && v.Form != nil {
		s.flash(c, "error", *v.Form)
		return redirect(c, paths.Exports.String())
	}
	if err != nil {
		return err
	}
	s.flash(c, "success", models.M("exports.retried"))
	return redirect(c, paths.Exports.String())
}

// exportDownload streams an authorized, audited download from disk (never
// read into memory); an expired file answers 410 with a localized page.
func (s *Server) exportDownload(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	e, f, err := s.Exports.Open(c.Request().Context(), actor(c), id)
	if errors.Is(err, exports.ErrGone) {
		l := i18n.For(lang(c))
		return s.render(c, http.StatusGone, errorpage.Error(http.StatusGone, l.T("exports.gone.title"), l.T("exports.gone"), true))
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set("X-Content-SHA256", e.SHA256)
	return serveDownload(c, f, e.FileName, exports.ContentType(e.Format))
}
