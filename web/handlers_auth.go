package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/i18n"
	"github.com/sellercenter/sellercenter/views/auth"
	"github.com/sellercenter/sellercenter/views/paths"
)

func (s *Server) loginPage(c echo.Context) error {
	next := localPath(c.QueryParam("next"), paths.Home.String())
	if current(c) != nil {
		return redirect(c, next)
	}
	return s.render(c, http.StatusOK, auth.Login(auth.LoginForm{Next: next}))
}

func (s *Server) login(c echo.Context) error {
	form := auth.LoginForm{Email: c.FormValue("email"), Next: localPath(c.FormValue("next"), paths.Home.String())}
	if len(form.Email) > accounts.MaxEmail+10 {
		form.Email = form.Email[:accounts.MaxEmail]
	}
	res, err := s.Accounts.Login(c.Request().Context(), accounts.LoginInput{
		Email: c.FormValue("email"), Password: c.FormValue("password"),
		IP: c.RealIP(), UserAgent: c.Request().UserAgent(),
	})
	var rl *models.RateLimitedError
	switch {
	case errors.As(err, &rl):
		form.Limited = rl
		c.Response().Header().Set("Retry-After", itoa(rl.RetryAfterSeconds))
		return s.render(c, http.StatusTooManyRequests, auth.Login(form))
	case err != nil:
		if v, ok := asValidation(err); ok {
			form.Err = v
			return s.render(c, http.StatusUnprocessableEntity, auth.Login(form))
		}
		return err
	}
	s.setSessionCookie(c, res.Token)
	return redirect(c, form.Next)
}

func (s *Server) logout(c echo.Context) error {
	if err := s.Accounts.Logout(c.Request().Context(), actor(c), sessionToken(c)); err != nil {
		return err
	}
	s.clearSessionCookie(c)
	return redirect(c, paths.Login.String())
}

// setLang remembers the language: on the user when signed in, and in a
// cookie so the login page follows it too.
func (s *Server) setLang(c echo.Context) error {
	l, ok := i18n.Parse(c.FormValue("lang"))
	if !ok {
		v := &models.ValidationError{}
		v.Add("lang", models.M("err.lang_unknown"))
		return v
	}
	if cur := current(c); cur != nil {
		if err := s.Accounts.SetLang(c.Request().Context(), actor(c), string(l)); err != nil {
			return err
		}
	}
	c.SetCookie(&http.Cookie{Name: cookieLang, Value: string(l), Path: "/", MaxAge: 365 * 86400,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(c)})
	return redirect(c, localPath(c.FormValue("next"), paths.Home.String()))
}

func (s *Server) secure(c echo.Context) bool {
	return s.Config.SecureCookies || c.Scheme() == "https"
}

// setSessionCookie sets a browser-session cookie; the server enforces the
// session's lifetime, so the cookie needs no Expires of its own.
func (s *Server) setSessionCookie(c echo.Context, token string) {
	c.SetCookie(&http.Cookie{Name: cookieSession, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secure(c)})
}

func (s *Server) clearSessionCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: cookieSession, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secure(c)})
}
