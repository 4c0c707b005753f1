package web

import (
	"mime"
	"net/http"
	"os"

	"github.com/labstack/echo/v4"
)

// serveDownload streams an opened file as a download named name and closes
// it: never cached, never rendered as a page of ours (CSP sandbox), with
// ranges and conditional requests handled by http.ServeContent.
func serveDownload(c echo.Context, f *os.File, name, contentType string) error {
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, contentType)
	h.Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	http.ServeContent(c.Response(), c.Request(), "", st.ModTime(), f)
	return nil
}
