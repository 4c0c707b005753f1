package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/views/admin"
	"github.com/sellercenter/sellercenter/views/paths"
)

// merchantDetail is one merchant for operations: its users and the
// suspend or resume form.
func (s *Server) merchantDetail(c echo.Context) error {
	return s.renderMerchant(c, http.StatusOK, admin.MerchantData{})
}

func (s *Server) renderMerchant(c echo.Context, status int, d admin.MerchantData) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if d.D, err = s.Accounts.MerchantAdmin(c.Request().Context(), actor(c), id); err != nil {
		return err
	}
	return s.render(c, status, admin.Merchant(d))
}

// merchantStatus suspends or resumes a merchant; the form must carry the
// explicit confirmation, else the page comes back asking for it (422).
func (s *Server) merchantStatus(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	in := accounts.SuspendInput{Suspend: c.FormValue("to") == string(models.MerchantSuspended),
		Confirmed: c.FormValue("confirm") == "1", Reason: c.FormValue("reason")}
	m, err := s.Accounts.SetMerchantStatus(c.Request().Context(), actor(c), id, in)
	var ce *models.ConflictError
	if errors.As(err, &ce) {
		return s.renderMerchant(c, http.StatusConflict, admin.MerchantData{Refused: &ce.Msg})
	}
	if v, ok := asValidation(err); ok {
		return s.renderMerchant(c, http.StatusUnprocessableEntity, admin.MerchantData{Err: v, Reason: in.Reason})
	}
	if err != nil {
		return err
	}
	s.flash(c, "success", models.M("ops.merchant.flash."+string(m.Status), "Name", m.Name))
	return redirect(c, paths.AdminMerchant.String(id))
}
