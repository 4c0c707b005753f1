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
	var re *requestError
	var ce *models.ConflictError
	switch {
	case errors.Is(err, models.ErrNotFound):
		return http.StatusNotFound, "error.404"
	case errors.Is(err, models.ErrForbidden):
		return http.StatusForbidden, "error.403"
	case errors.As(err, &re), errors.Is(err, models.ErrBadCursor): // re before ve: it wraps one
		return http.StatusBadRequest, "error.400"
	case errors.As(err, &ce):
		return http.StatusConflict, "error.409"
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
	if api := strings.HasPrefix(c.Request().URL.Path, "/api/"); api || strings.HasPrefix(c.Request().Header.Get("Accept"), "application/json") {
		if api {
			l = i18n.For(apiLang(c))
		}
		body := apiErrorOf(err, msgID, l)
		if api && code == http.StatusUnauthorized {
			body.Error.Message = l.T("error.api_token") // the API has bearer tokens, not logins
		}
		_ = c.JSON(code, body)
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

// apiErrorOf builds the JSON error: the specific message when the error
// carries one, and every field message, localized.
func apiErrorOf(err error, msgID string, l *i18n.Localizer) apiError {
	body := apiErrorBody{Code: strings.TrimPrefix(msgID, "error."), Message: l.T(msgID)}
	var ve *models.ValidationError
	var ce *models.ConflictError
	switch {
	case errors.As(err, &ce):
		body.Message = l.Msg(ce.Msg)
	case errors.As(err, &ve):
		if ve.Form != nil {
			body.Message = l.Msg(*ve.Form)
		}
		if len(ve.Fields) > 0 {
			body.Fields = make(map[string]string, len(ve.Fields))
			for k, m := range ve.Fields {
				body.Fields[k] = l.Msg(m)
			}
		}
	}
	return apiError{Error: body}
}
