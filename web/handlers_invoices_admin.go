package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	iv "github.com/sellercenter/sellercenter/views/invoices"
	"github.com/sellercenter/sellercenter/views/paths"
)

// adminStatements is operations' 结算单 page: generate a merchant's month,
// see what it made, set each merchant's commission rate.
func (s *Server) adminStatements(c echo.Context) error {
	return s.renderAdminStatements(c, http.StatusOK, iv.AdminStatementsData{}, c.QueryParam("merchant"), c.QueryParam("month"))
}

func (s *Server) renderAdminStatements(c echo.Context, status int, d iv.AdminStatementsData, slug, month string) error {
	p, err := s.Invoices.StatementAdmin(c.Request().Context(), actor(c), slug, month)
	if v, ok := asValidation(err); ok && p != nil {
		if d.Err == nil {
			d.Err = v
		}
		status, err = http.StatusUnprocessableEntity, nil
	}
	if err != nil {
		return err
	}
	d.P = p
	return s.render(c, status, iv.AdminStatements(d))
}

// adminStatementsGenerate generates the chosen merchant's month and shows
// the page with its statements; a refusal shows the form again as typed
// (422 bad input, 409 a month already paid).
func (s *Server) adminStatementsGenerate(c echo.Context) error {
	slug, month := c.FormValue("merchant"), c.FormValue("month")
	sts, err := s.Invoices.GenerateFor(c.Request().Context(), actor(c), slug, month)
	if err != nil {
		d := iv.AdminStatementsData{Form: map[string]string{"merchant": slug, "month": month}}
		var ce *models.ConflictError
		switch {
		case errors.As(err, &ce):
			d.Err = models.FormError(ce.Msg)
			return s.renderAdminStatements(c, http.StatusConflict, d, "", "")
		default:
			if v, ok := asValidation(err); ok {
				d.Err = v
				return s.renderAdminStatements(c, http.StatusUnprocessableEntity, d, "", "")
			}
			return err
		}
	}
	s.flash(c, "success", models.M("invoices.done.statements_generated", "N", len(sts), "Month", month))
	return redirect(c, string(paths.AdminStatements.With(url.Values{"merchant": {slug}, "month": {month}})))
}

// adminCommission sets a merchant's commission rate; a refused rate shows
// the page again with the field error and what was typed.
func (s *Server) adminCommission(c echo.Context) error {
	slug, rate := c.FormValue("merchant"), c.FormValue("rate")
	changed, err := s.Invoices.SetMerchantRate(c.Request().Context(), actor(c), slug, rate)
	if err != nil {
		if v, ok := asValidation(err); ok {
			d := iv.AdminStatementsData{Err: v, RateFor: slug, Rate: rate}
			return s.renderAdminStatements(c, http.StatusUnprocessableEntity, d, "", "")
		}
		return err
	}
	done := models.M("invoices.done.rate_unchanged")
	if changed {
		done = models.M("invoices.done.rate_set")
	}
	s.flash(c, "success", done)
	return redirect(c, paths.AdminStatements.String())
}
