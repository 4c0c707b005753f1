package web

import (
	"context"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"path"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/sellercenter/sellercenter/static"
	"github.com/sellercenter/sellercenter/views/paths"
)

func (s *Server) healthz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if s.Health != nil {
		if err := s.Health(ctx); err != nil {
			s.Logger.Warn("health check failed", "err", err)
			return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		}
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// asset serves an embedded file; the version segment is the content hash, so
// a matching URL may be cached for a year.
func (s *Server) asset(c echo.Context) error {
	name := path.Clean(c.Param("*"))
	v := static.Version(name)
	if v == "" {
		return echo.ErrNotFound
	}
	b, err := fs.ReadFile(static.FS, name)
	if err != nil {
		return echo.ErrNotFound
	}
	if c.Param("v") == v {
		c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Response().Header().Set("Cache-Control", "no-cache")
	}
	ct := mime.TypeByExtension(path.Ext(name))
	return c.Blob(http.StatusOK, ct, b)
}

func (s *Server) requestLog() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURI: true, LogMethod: true, LogLatency: true, LogRemoteIP: true, LogError: true,
		HandleError: false,
		Skipper: func(c echo.Context) bool {
			p := c.Request().URL.Path
			return p == paths.Healthz.Pattern || p == paths.Metrics.Pattern || len(p) > 7 && p[:8] == "/static/"
		},
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			lvl := slog.LevelInfo
			if v.Status >= 500 {
				lvl = slog.LevelError
			}
			s.Logger.LogAttrs(c.Request().Context(), lvl, "request",
				slog.String("method", v.Method), slog.String("uri", v.URI), slog.Int("status", v.Status),
				slog.Duration("latency", v.Latency), slog.String("ip", v.RemoteIP))
			return nil
		},
	})
}
