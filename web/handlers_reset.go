package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/views/admin"
	"github.com/sellercenter/sellercenter/views/auth"
	"github.com/sellercenter/sellercenter/views/paths"
)

func (s *Server) forgotPage(c echo.Context) error {
	return s.render(c, http.StatusOK, auth.Forgot(auth.ForgotForm{}))
}

// forgotSend answers the same page whether or not the e-mail has an
// account; only a malformed address is sent back.
func (s *Server) forgotSend(c echo.Context) error {
	email := c.FormValue("email")
	err := s.Accounts.RequestReset(c.Request().Context(), accounts.ResetRequest{Email: email, IP: c.RealIP(), Lang: string(lang(c))})
	if v, ok := asValidation(err); ok {
		if len(email) > accounts.MaxEmail {
			email = email[:accounts.MaxEmail]
		}
		return s.render(c, http.StatusUnprocessableEntity, auth.Forgot(auth.ForgotForm{Email: email, Err: v}))
	}
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, auth.Forgot(auth.ForgotForm{Sent: true}))
}

func (s *Server) resetPage(c echo.Context) error {
	token := c.QueryParam("token")
	if err := s.Accounts.CheckResetToken(c.Request().Context(), token); err != nil {
		if _, ok := asValidation(err); ok {
			return s.render(c, http.StatusNotFound, auth.Reset(auth.ResetForm{Invalid: true}))
		}
		return err
	}
	// The token stays out of the Referer of anything the page loads.
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	return s.render(c, http.StatusOK, auth.Reset(auth.ResetForm{Token: token}))
}

func (s *Server) resetSave(c echo.Context) error {
	token := c.FormValue("token")
	err := s.Accounts.ResetWithToken(c.Request().Context(), token, c.FormValue("password"), c.RealIP())
	if v, ok := asValidation(err); ok {
		if len(v.Fields) == 0 {
			return s.render(c, http.StatusUnprocessableEntity, auth.Reset(auth.ResetForm{Invalid: true}))
		}
		return s.render(c, http.StatusUnprocessableEntity, auth.Reset(auth.ResetForm{Token: token, Err: v}))
	}
	if err != nil {
		return err
	}
	s.clearSessionCookie(c)
	return s.render(c, http.StatusOK, auth.Reset(auth.ResetForm{Done: true}))
}

func (s *Server) renderAdminUsers(c echo.Context, status int, d admin.UsersData) error {
	d.Q = c.QueryParam("q")
	users, err := s.Accounts.AdminUsers(c.Request().Context(), actor(c), d.Q)
	if v, ok := asValidation(err); ok {
		d.Err, status = v, http.StatusUnprocessableEntity
	} else if err != nil {
		return err
	}
	d.Users = users
	return s.render(c, status, admin.Users(d))
}

func (s *Server) adminUsersPage(c echo.Context) error {
	return s.renderAdminUsers(c, http.StatusOK, admin.UsersData{})
}

func (s *Server) adminUserPassword(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	err = s.Accounts.AdminResetPassword(c.Request().Context(), actor(c), id, c.FormValue("password"))
	if v, ok := asValidation(err); ok {
		return s.renderAdminUsers(c, http.StatusUnprocessableEntity, admin.UsersData{RowErr: v})
	}
	if err != nil {
		return err
	}
	s.flash(c, "success", models.M("users.password_reset_done"))
	return redirect(c, paths.AdminUsers.String())
}
