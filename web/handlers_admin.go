package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/audit"
	"github.com/sellercenter/sellercenter/models/i18n"
	"github.com/sellercenter/sellercenter/views/admin"
	"github.com/sellercenter/sellercenter/views/paths"
	"github.com/sellercenter/sellercenter/views/settings"
)

func (s *Server) auditPage(c echo.Context, title, base string, names map[int64]string) error {
	f := audit.Filter{Action: c.QueryParam("action")}
	if !models.KnownAuditAction(f.Action) {
		f.Action = ""
	}
	if b := c.QueryParam("before"); b != "" {
		id, err := strconv.ParseInt(b, 10, 64)
		if err != nil || id <= 0 {
			return echo.NewHTTPError(http.StatusBadRequest)
		}
		f.BeforeID = id
	}
	p, err := s.Audit.List(c.Request().Context(), actor(c), f)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, settings.AuditTable(settings.AuditData{Title: title, Base: base,
		Entries: p.Entries, NextID: p.NextID, Action: f.Action, Actions: models.AuditActions, Merchants: names}))
}

func (s *Server) merchantAudit(c echo.Context) error {
	return s.auditPage(c, i18n.For(lang(c)).T("audit.title"), "/settings/audit", nil)
}

func (s *Server) adminAudit(c echo.Context) error {
	ms, err := s.Accounts.ListMerchants(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	names := make(map[int64]string, len(ms))
	for _, m := range ms {
		names[m.ID] = m.Name
	}
	return s.auditPage(c, i18n.For(lang(c)).T("audit.title"), "/admin/audit", names)
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
