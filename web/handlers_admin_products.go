package web

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/views/admin"
	"github.com/sellercenter/sellercenter/views/paths"
)

func (s *Server) renderAdminProducts(c echo.Context, status int, verr *models.ValidationError) error {
	ps, err := s.Debugger.AdminProducts(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return s.render(c, status, admin.Products(admin.ProductsData{Products: ps, Err: verr}))
}

func (s *Server) adminProductsPage(c echo.Context) error {
	return s.renderAdminProducts(c, http.StatusOK, nil)
}

// adminProductReverse runs one reversal (unfreeze, clear the delist flag).
func (s *Server) adminProductReverse(do func(ctx context.Context, a models.Actor, id int64) error, done models.Msg) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := pathID(c)
		if err != nil {
			return err
		}
		err = do(c.Request().Context(), actor(c), id)
		if v, ok := asValidation(err); ok {
			return s.renderAdminProducts(c, http.StatusUnprocessableEntity, v)
		}
		if err != nil {
			return err
		}
		s.flash(c, "success", done)
		return redirect(c, paths.AdminProducts.String())
	}
}

func (s *Server) adminProductUnfreeze(c echo.Context) error {
	return s.adminProductReverse(s.Debugger.Unfreeze, models.M("admin_products.unfrozen"))(c)
}

func (s *Server) adminProductClearFlag(c echo.Context) error {
	return s.adminProductReverse(s.Debugger.ClearDelistFlag, models.M("admin_products.flag_cleared"))(c)
}
