package web

import (
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/i18n"
)

// Keys of values the middleware puts on the echo context.
const (
	keyCurrent = "sc.current"
	keyLang    = "sc.lang"
	keyCSRF    = "csrf" // echo's CSRF middleware default ContextKey
	keyToken   = "sc.token"
)

// Cookie names.
const (
	cookieSession = "sc_session"
	cookieLang    = "sc_lang"
	cookieCSRF    = "sc_csrf"
)

// current returns the signed-in user's session, or nil.
func current(c echo.Context) *accounts.Current {
	cur, _ := c.Get(keyCurrent).(*accounts.Current)
	return cur
}

// actor is who performs the request's service calls.
func actor(c echo.Context) models.Actor {
	cur := current(c)
	if cur == nil {
		return models.Actor{IP: c.RealIP()}
	}
	return models.ActorOf(&cur.User, c.RealIP())
}

func sessionToken(c echo.Context) string {
	t, _ := c.Get(keyToken).(string)
	return t
}

func lang(c echo.Context) i18n.Lang {
	if l, ok := c.Get(keyLang).(i18n.Lang); ok {
		return l
	}
	return i18n.ZH
}

func userLoc(c echo.Context) *time.Location {
	if cur := current(c); cur != nil {
		if loc, err := time.LoadLocation(cur.User.TimeZone); err == nil {
			return loc
		}
	}
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.UTC
	}
	return loc
}
