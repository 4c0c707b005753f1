package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/text/language"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/i18n"
)

// apiBodyLimit bounds an intake request: an order has at most 50 lines, far
// below this, so anything larger is refused before it is parsed.
const apiBodyLimit = "1M"

// apiRoutes registers the marketplace intake API under /api/v1.
func (s *Server) apiRoutes(g *echo.Group) {
	// Every body is small but a 服务监管 event's, which may carry documents:
	// that route has its own limit.
	g.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: apiBodyLimit,
		Skipper: func(c echo.Context) bool { return c.Path() == supEventsRoute }}))
	// The document is public so an integrator can read it before holding a token.
	g.GET("/openapi.json", s.apiOpenAPI)

	a := g.Group("", s.bearerAuth)
	a.POST("/orders", s.apiOrderCreate)
	a.GET("/orders/:orderId", s.apiOrderGet)
	a.POST("/instances/:instanceId/events", s.apiInstanceEvent)
	a.POST("/tickets", s.apiTicketCreate)
	a.GET("/tickets/:ticketId", s.apiTicketGet)
	a.POST("/invoice-requests", s.apiInvoiceRequestCreate)
	a.GET("/invoice-requests/:requestId", s.apiInvoiceRequestGet)
	a.POST("/invoice-requests/:requestId/revoke", s.apiInvoiceRequestRevoke)
	a.POST("/supervision/:orderLineId/events", s.apiSupervisionEvent, middleware.BodyLimit(s.supAPIBodyLimit()))
}

// apiLang is the language of API messages: integrations are machines, so
// English unless the caller explicitly prefers Chinese. The session and
// language cookie do not apply here.
func apiLang(c echo.Context) i18n.Lang {
	tags, _, err := language.ParseAcceptLanguage(c.Request().Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return i18n.EN
	}
	m := language.NewMatcher([]language.Tag{language.English, language.SimplifiedChinese})
	if _, idx, conf := m.Match(tags...); idx == 1 && conf != language.No {
		return i18n.ZH
	}
	return i18n.EN
}

// requestError is a body that is not the documented JSON (malformed, an
// unknown field, a wrong type): 400, unlike a well-formed but invalid order
// (ValidationError, 422). It unwraps to its field messages for the error
// handler.
type requestError struct{ v *models.ValidationError }

func (e *requestError) Error() string { return "bad request: " + e.v.Error() }
func (e *requestError) Unwrap() error { return e.v }

func badRequest(field string, m models.Msg) *requestError {
	v := &models.ValidationError{}
	v.Add(field, m)
	return &requestError{v: v}
}

// decodeStrict reads one JSON value into dst, refusing unknown fields and
// trailing data. at is the path of the value in the request body ("" for the
// body itself, "buyer.", "lines[2]."), so the 400 names the exact field.
func decodeStrict(r io.Reader, at string, dst any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	if err == nil {
		if _, terr := dec.Token(); terr != io.EOF {
			err = terr
			if err == nil {
				err = errors.New("trailing data")
			}
		}
	}
	if err == nil {
		return nil
	}
	// The body limit surfaces as a read error; it is a 413, not bad JSON.
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return he
	}
	body := strings.TrimSuffix(at, ".")
	if body == "" {
		body = "body"
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := body
		if te.Field != "" {
			field = at + te.Field
		}
		return badRequest(field, typeMsg(te))
	}
	if name, ok := unknownField(err); ok {
		return badRequest(at+name, models.M("err.json_unknown_field"))
	}
	return badRequest(body, models.M("err.json_syntax"))
}

// decodeRaw decodes an embedded value, treating absent and null alike.
func decodeRaw(raw json.RawMessage, at string, dst any) error {
	if len(raw) == 0 {
		return nil
	}
	return decodeStrict(bytes.NewReader(raw), at, dst)
}

// unknownField extracts the key from encoding/json's DisallowUnknownFields
// error, which has no typed form.
func unknownField(err error) (string, bool) {
	rest, ok := strings.CutPrefix(err.Error(), "json: unknown field ")
	if !ok {
		return "", false
	}
	name, uerr := strconv.Unquote(rest)
	return name, uerr == nil
}

func typeMsg(te *json.UnmarshalTypeError) models.Msg {
	if te.Type == nil {
		return models.M("err.json_value")
	}
	switch te.Type.Kind() {
	case reflect.String:
		return models.M("err.json_string")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return models.M("err.json_integer")
	case reflect.Struct, reflect.Map:
		return models.M("err.json_object")
	case reflect.Slice, reflect.Array:
		return models.M("err.json_array")
	}
	return models.M("err.json_value")
}

// apiJSON renders a success answer; intake answers are never cached.
func apiJSON(c echo.Context, status int, v any) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(status, v)
}
