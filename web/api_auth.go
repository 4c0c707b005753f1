package web

import (
	"errors"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
)

// bearerAuth admits only requests with a live integration token. A session
// cookie does not count: the API is for the marketplace, not for browsers.
func (s *Server) bearerAuth(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		// Without the provisioning services wired in, the API is unavailable
		// rather than a nil dereference on every request.
		if s.Catalog == nil || s.Core == nil {
			return echo.ErrServiceUnavailable
		}
		scheme, tok, _ := strings.Cut(strings.TrimSpace(c.Request().Header.Get(echo.HeaderAuthorization)), " ")
		tok = strings.TrimSpace(tok)
		if !strings.EqualFold(scheme, "Bearer") || tok == "" {
			return unauthorized(c)
		}
		if _, err := s.Catalog.AuthenticateToken(c.Request().Context(), tok); err != nil {
			if errors.Is(err, models.ErrNotFound) {
				return unauthorized(c)
			}
			return err
		}
		return next(c)
	}
}

func unauthorized(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderWWWAuthenticate, "Bearer")
	return echo.ErrUnauthorized
}
