package web

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"
)

// openAPIDoc is hand-written; api_openapi_test.go holds it to the routes and
// sends its example to the real handler, so it cannot drift from the code.
//
//go:embed openapi.json
var openAPIDoc []byte

// apiOpenAPI is GET /api/v1/openapi.json.
func (s *Server) apiOpenAPI(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, openAPIDoc)
}
