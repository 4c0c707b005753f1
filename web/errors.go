package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/i18n"
	"github.com/sellercenter/sellercenter/views/errorpage"
)

// statusOf maps an error to its HTTP status and the catalog id explaining it.
func statusOf(err error) (int, string) {
	var he *echo.HTTPError
	var ve *models.ValidationError
	var rl *models.RateLimitedError
	switch {
	case errors.Is(err, models.ErrNotFound):
		return http.StatusNotFound, "error.404"
	case errors.Is(err, models.ErrForbidden):
		return http.StatusForbidden, "error.403"
	case errors.As(err, &ve):
		return http.StatusUnprocessableEntity, "error.422"
	case errors.As(err, &rl):
		return http.StatusTooManyRequests, "error.429"
	case errors.As(err, &he):
		if he.Message == "csrf" {
			return http.StatusForbidden, "error.csrf"
		}
		switch he.Code {
		case http.StatusNotFound, http.StatusForbidden, http.StatusMethodNotAllowed,
			http.StatusRequestEntityTooLarge, http.StatusBadRequest, http.StatusUnauthorized,
			http.StatusTooManyRequests, http.StatusServiceUnavailable:
			return he.Code, "error." + strconv.Itoa(he.Code)
		}
		if he.Code < 500 {
			return he.Code, "error.400"
		}
	}
	return http.StatusInternalServerError, "error.500"
}

// handleError is the one place errors become responses: JSON for the API,
// a localized page otherwise. Internal details are logged, never shown.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	code, msgID := statusOf(err)
	if code >= 500 {
		s.Logger.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
	}
	var rl *models.RateLimitedError
	if errors.As(err, &rl) {
		c.Response().Header().Set("Retry-After", strconv.Itoa(rl.RetryAfterSeconds))
	}
	l := i18n.For(lang(c))
	if strings.HasPrefix(c.Request().URL.Path, "/api/") || strings.HasPrefix(c.Request().Header.Get("Accept"), "application/json") {
		_ = c.JSON(code, apiError{Error: apiErrorBody{Code: strings.TrimPrefix(msgID, "error."), Message: l.T(msgID)}})
		return
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(code)
		return
	}
	title := l.T(msgID + ".title")
	if rerr := s.render(c, code, errorpage.Error(code, title, l.T(msgID), current(c) != nil)); rerr != nil {
		s.Logger.Error("render error page", "err", rerr)
		_ = c.String(code, title)
	}
}

type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}
