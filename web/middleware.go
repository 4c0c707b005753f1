package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/i18n"
	"github.com/sellercenter/sellercenter/views/paths"
)

// csp allows only our own scripts and styles: no inline script anywhere.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

func secureHeaders() echo.MiddlewareFunc {
	return middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection:         "0", // the legacy auditor is off; CSP does the work
		ContentTypeNosniff:    "nosniff",
		XFrameOptions:         "DENY",
		HSTSMaxAge:            31536000,
		ContentSecurityPolicy: csp,
		ReferrerPolicy:        "same-origin",
	})
}

// loadSession resolves the session cookie and picks the language: the
// user's saved choice, else the language cookie, else Accept-Language.
func (s *Server) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if ck, err := c.Cookie(cookieSession); err == nil && ck.Value != "" {
			cur, err := s.Accounts.Resolve(c.Request().Context(), ck.Value)
			switch {
			case err == nil:
				c.Set(keyCurrent, cur)
				c.Set(keyToken, ck.Value)
			case err == models.ErrNotFound:
				s.clearSessionCookie(c)
			default:
				return err
			}
		}
		var l i18n.Lang
		if cur := current(c); cur != nil {
			l, _ = i18n.Parse(cur.User.Lang)
		}
		if l == "" {
			if ck, err := c.Cookie(cookieLang); err == nil {
				l, _ = i18n.Parse(ck.Value)
			}
		}
		if l == "" {
			l = i18n.FromAcceptLanguage(c.Request().Header.Get("Accept-Language"))
		}
		c.Set(keyLang, l)
		return next(c)
	}
}

func (s *Server) csrf() echo.MiddlewareFunc {
	return middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "form:_csrf,header:X-CSRF-Token",
		CookieName:     cookieCSRF,
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSameSite: http.SameSiteStrictMode,
		CookieMaxAge:   86400,
		// Missing and wrong tokens are both a refused request: 403.
		ErrorHandler: func(err error, c echo.Context) error {
			return &echo.HTTPError{Code: http.StatusForbidden, Message: "csrf", Internal: err}
		},
	})
}

// requireLogin sends anonymous visitors to the login page.
func requireLogin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if current(c) == nil {
			target := paths.Login.String()
			if c.Request().Method == http.MethodGet && c.Request().URL.Path != paths.Home.String() {
				target += "?next=" + c.Request().URL.EscapedPath()
			}
			return c.Redirect(http.StatusSeeOther, target)
		}
		return next(c)
	}
}

// need guards a route with one permission of the role table.
func need(p models.Permission) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			cur := current(c)
			if cur == nil {
				return requireLogin(next)(c)
			}
			if !cur.User.Role.Can(p) {
				return models.ErrForbidden
			}
			return next(c)
		}
	}
}

// needAny guards a route readable under any of several permissions (the
// merchant's and operations' views of one page); the service scopes what
// each sees.
func needAny(ps ...models.Permission) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			cur := current(c)
			if cur == nil {
				return requireLogin(next)(c)
			}
			for _, p := range ps {
				if cur.User.Role.Can(p) {
					return next(c)
				}
			}
			return models.ErrForbidden
		}
	}
}

type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sellercenter_http_requests_total", Help: "HTTP requests by route and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "sellercenter_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"method", "route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

// middleware records by route pattern (not raw path) so label cardinality
// stays bounded whatever URLs clients send.
func (m *metrics) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		status := c.Response().Status
		m.requests.WithLabelValues(c.Request().Method, route, strconv.Itoa(status)).Inc()
		m.duration.WithLabelValues(c.Request().Method, route).Observe(time.Since(start).Seconds())
		return nil
	}
}
