package web

import (
	"github.com/a-h/templ"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/audit"
	"github.com/sellercenter/sellercenter/models/i18n"
	"github.com/sellercenter/sellercenter/views/admin"
	"github.com/sellercenter/sellercenter/views/paths"
	"github.com/sellercenter/sellercenter/views/settings"
)

// auditPage is the audit log of /settings/audit and /admin/audit: the
// service scopes it (a merchant's own entries, or every merchant's with
// their names for a platform reader).
func (s *Server) auditPage(list paths.Route) echo.HandlerFunc {
	return func(c echo.Context) error {
		a := actor(c)
		d := settings.AuditData{Title: i18n.For(lang(c)).T("audit.title"), List: list, Query: c.QueryParams(),
			CanExport: a.Can(models.PermOrdersExport)}
		f, verr := audit.ParseFilter(d.Query, userLoc(c))
		err := verr.Err()
		if err == nil {
			d.Page, err = s.Audit.List(c.Request().Context(), a, f)
		}
		return s.renderList(c, err, func(v *models.ValidationError) templ.Component { d.Err = v; return settings.AuditTable(d) })
	}
}

func (s *Server) renderMerchants(c echo.Context, status int, f admin.MerchantForm) error {
	ms, err := s.Accounts.ListMerchants(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return s.render(c, status, admin.Merchants(admin.MerchantsData{Merchants: ms, Form: f}))
}

func (s *Server) merchantsPage(c echo.Context) error {
	return s.renderMerchants(c, http.StatusOK, admin.MerchantForm{})
}

func (s *Server) merchantCreate(c echo.Context) error {
	in := accounts.NewMerchantInput{Slug: c.FormValue("slug"), Name: c.FormValue("name"),
		OwnerEmail: c.FormValue("owner_email"), OwnerName: c.FormValue("owner_name"), OwnerPassword: c.FormValue("owner_password")}
	m, _, err := s.Accounts.CreateMerchant(c.Request().Context(), actor(c), in)
	if v, ok := asValidation(err); ok {
		return s.renderMerchants(c, http.StatusUnprocessableEntity, admin.MerchantForm{Slug: in.Slug, Name: in.Name,
			OwnerEmail: in.OwnerEmail, OwnerName: in.OwnerName, Err: v})
	}
	if err != nil {
		return err
	}
	s.flash(c, "success", models.M("merchants.created", "Name", m.Name))
	return redirect(c, paths.AdminMerchants.String())
}
