package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/views/paths"
	"github.com/sellercenter/sellercenter/views/settings"
)

// pathID parses a numeric :id; anything else is simply not found.
func pathID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, models.ErrNotFound
	}
	return id, nil
}

func (s *Server) renderUsers(c echo.Context, status int, d settings.UsersData) error {
	users, err := s.Accounts.ListUsers(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	invites, err := s.Accounts.ListInvitations(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	d.Users, d.Invites, d.SelfID = users, invites, current(c).User.ID
	if d.New.Role == "" {
		d.New.Role = models.RoleOperations
	}
	return s.render(c, status, settings.Users(d))
}

func (s *Server) usersPage(c echo.Context) error {
	return s.renderUsers(c, http.StatusOK, settings.UsersData{})
}

func (s *Server) userCreate(c echo.Context) error {
	in := accounts.NewUserInput{Email: c.FormValue("email"), Name: c.FormValue("name"),
		Role: models.Role(c.FormValue("role")), Password: c.FormValue("password")}
	inv, err := s.Accounts.CreateUser(c.Request().Context(), actor(c), in)
	if v, ok := asValidation(err); ok {
		return s.renderUsers(c, http.StatusUnprocessableEntity, settings.UsersData{
			New: settings.NewUserForm{Email: in.Email, Name: in.Name, Role: in.Role, Err: v}})
	}
	if err != nil {
		return err
	}
	s.flash(c, "success", models.M("users.invited", "Email", inv.Email))
	return redirect(c, paths.Users.String())
}

// userAction runs one row action and shows its validation message on the list.
func (s *Server) userAction(c echo.Context, do func(id int64) error, done models.Msg) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	err = do(id)
	if asked, err := s.askConfirm(c, err, models.M("users.disable"), paths.Users.String()); asked {
		return err
	}
	if v, ok := asValidation(err); ok {
		return s.renderUsers(c, http.StatusUnprocessableEntity, settings.UsersData{RowErr: v})
	}
	if err != nil {
		return err
	}
	s.flash(c, "success", done)
	return redirect(c, paths.Users.String())
}

func (s *Server) userRole(c echo.Context) error {
	return s.userAction(c, func(id int64) error {
		return s.Accounts.ChangeRole(c.Request().Context(), actor(c), id, models.Role(c.FormValue("role")))
	}, models.M("users.role_changed"))
}

func (s *Server) userStatus(c echo.Context) error {
	disabled := c.FormValue("disabled") == "1"
	done := models.M("users.enabled_done")
	if disabled {
		done = models.M("users.disabled_done")
	}
	return s.userAction(c, func(id int64) error {
		return s.Accounts.SetDisabled(c.Request().Context(), actor(c), id, disabled, confirmed(c))
	}, done)
}

func (s *Server) userPassword(c echo.Context) error {
	return s.userAction(c, func(id int64) error {
		return s.Accounts.ResetPassword(c.Request().Context(), actor(c), id, c.FormValue("password"))
	}, models.M("users.password_reset_done"))
}

func (s *Server) inviteCancel(c echo.Context) error {
	return s.userAction(c, func(id int64) error {
		return s.Accounts.CancelInvitation(c.Request().Context(), actor(c), id)
	}, models.M("users.invite_cancelled"))
}
