package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/i18n"
	"github.com/sellercenter/sellercenter/views"
)

// meta builds the page meta of the request.
func (s *Server) meta(c echo.Context) *views.Meta {
	m := &views.Meta{L: i18n.For(lang(c)), Path: c.Request().URL.Path, Loc: userLoc(c)}
	m.CSRF, _ = c.Get(keyCSRF).(string)
	if cur := current(c); cur != nil {
		u := cur.User
		m.User, m.Merchant = &u, cur.Merchant
		if cur.Session.Flash != "" {
			var f views.Flash
			if json.Unmarshal([]byte(cur.Session.Flash), &f) == nil {
				m.Flash = &f
			}
			// The flash is shown once: cleared as soon as it is rendered.
			if err := s.Accounts.TakeFlash(c.Request().Context(), sessionToken(c)); err != nil {
				s.Logger.Warn("clear flash", "err", err)
			}
		}
	}
	return m
}

// render writes a full page into a buffer first, so a failing component
// becomes a clean 500 instead of half a page.
func (s *Server) render(c echo.Context, status int, comp templ.Component) error {
	ctx := views.WithMeta(c.Request().Context(), s.meta(c))
	buf := templ.GetBuffer()
	defer templ.ReleaseBuffer(buf)
	if err := comp.Render(ctx, buf); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}

// flash stores a message for the next page of this session.
func (s *Server) flash(c echo.Context, kind string, m models.Msg) {
	b, err := json.Marshal(views.Flash{Kind: kind, Msg: m})
	if err != nil {
		return
	}
	if err := s.Accounts.SetFlash(c.Request().Context(), sessionToken(c), string(b)); err != nil {
		s.Logger.Warn("set flash", "err", err)
	}
}

// redirect answers a successful form post (303 so the browser GETs).
func redirect(c echo.Context, to string) error { return c.Redirect(http.StatusSeeOther, to) }

// localPath accepts only same-site absolute paths, so ?next= cannot send a
// user to another site after login.
func localPath(p, fallback string) string {
	if p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return fallback
	}
	u, err := url.Parse(p)
	if err != nil || u.IsAbs() || u.Host != "" {
		return fallback
	}
	return p
}

// asValidation returns err as a ValidationError when it is one.
func asValidation(err error) (*models.ValidationError, bool) {
	v, ok := err.(*models.ValidationError)
	return v, ok
}
