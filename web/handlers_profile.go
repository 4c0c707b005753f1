package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/views/paths"
	"github.com/sellercenter/sellercenter/views/settings"
)

func (s *Server) profileData(c echo.Context) settings.ProfileData {
	u := current(c).User
	return settings.ProfileData{Name: u.Name, Lang: u.Lang, TimeZone: u.TimeZone, Zones: accounts.TimeZones(u.TimeZone)}
}

func (s *Server) profilePage(c echo.Context) error {
	return s.render(c, http.StatusOK, settings.Profile(s.profileData(c)))
}

func (s *Server) profileSave(c echo.Context) error {
	in := accounts.PrefsInput{Name: c.FormValue("name"), Lang: c.FormValue("lang"), TimeZone: c.FormValue("time_zone")}
	err := s.Accounts.UpdatePrefs(c.Request().Context(), actor(c), in)
	if v, ok := asValidation(err); ok {
		d := s.profileData(c)
		d.Name, d.PrefsErr = in.Name, v
		return s.render(c, http.StatusUnprocessableEntity, settings.Profile(d))
	}
	if err != nil {
		return err
	}
	s.flash(c, "success", models.M("common.saved"))
	return redirect(c, paths.Profile.String())
}

func (s *Server) passwordSave(c echo.Context) error {
	err := s.Accounts.ChangePassword(c.Request().Context(), actor(c), sessionToken(c), c.FormValue("current"), c.FormValue("password"))
	if v, ok := asValidation(err); ok {
		d := s.profileData(c)
		d.PassErr = v
		return s.render(c, http.StatusUnprocessableEntity, settings.Profile(d))
	}
	if err != nil {
		return err
	}
	s.flash(c, "success", models.M("profile.password_changed"))
	return redirect(c, paths.Profile.String())
}
