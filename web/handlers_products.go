package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/catalog"
	"github.com/sellercenter/sellercenter/views/paths"
	"github.com/sellercenter/sellercenter/views/settings"
)

func (s *Server) renderProducts(c echo.Context, status int, f settings.ProductForm) error {
	ps, err := s.Catalog.Products(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return s.render(c, status, settings.Products(settings.ProductsData{Products: ps, Form: f}))
}

func (s *Server) productsPage(c echo.Context) error {
	return s.renderProducts(c, http.StatusOK, settings.ProductForm{ChargingMode: models.ChargingPeriod, PeriodType: "month"})
}

func (s *Server) productAdd(c echo.Context) error {
	in := catalog.ProductInput{ProductID: c.FormValue("product_id"), SKUCode: c.FormValue("sku_code"), Name: c.FormValue("name"),
		Kind: c.FormValue("kind"), ChargingMode: c.FormValue("charging_mode"), PeriodType: c.FormValue("period_type"),
		Supervised: c.FormValue("supervised") == "1", TrialAllowed: c.FormValue("trial_allowed") == "1"}
	p, err := s.Catalog.AddProduct(c.Request().Context(), actor(c), in)
	if v, ok := asValidation(err); ok {
		return s.renderProducts(c, http.StatusUnprocessableEntity, settings.ProductForm{ProductID: in.ProductID, SKUCode: in.SKUCode,
			Name: in.Name, Kind: in.Kind, ChargingMode: in.ChargingMode, PeriodType: in.PeriodType, Supervised: in.Supervised,
			TrialAllowed: in.TrialAllowed, Err: v})
	}
	if err != nil {
		return err
	}
	s.flash(c, "success", models.M("products.added", "ID", p.ProductID))
	return redirect(c, paths.Products.String())
}
