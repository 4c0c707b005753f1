package web

import (
	"context"
	"errors"
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	md "github.com/sellercenter/sellercenter/models/demands"
	dv "github.com/sellercenter/sellercenter/views/demands"
	"github.com/sellercenter/sellercenter/views/paths"
)

// demandsList is the merchant's 客户需求 list with the time left.
func (s *Server) demandsList(c echo.Context) error {
	d := dv.ListData{Query: c.QueryParams()}
	f, verr := md.ParseFilter(d.Query, userLoc(c))
	err := verr.Err()
	if err == nil {
		d.Page, err = s.Demands.List(c.Request().Context(), actor(c), f)
	}
	return s.renderList(c, err, func(v *models.ValidationError) templ.Component { d.Err = v; return dv.List(d) })
}

func (s *Server) demandDetail(c echo.Context) error {
	return s.renderDemand(c, http.StatusOK, dv.DetailData{})
}

func (s *Server) renderDemand(c echo.Context, status int, d dv.DetailData) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	det, err := s.Demands.Get(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	d.D = det
	return s.render(c, status, dv.Detail(d))
}

// demandAction runs one merchant action on the demand of the path. A refused
// action (bad input: 422; a state or deadline that forbids it: 409) shows
// the demand again with the message and what was typed; nothing changed.
func (s *Server) demandAction(c echo.Context, form dv.DetailData, done models.Msg,
	do func(ctx context.Context, a models.Actor, id int64) error) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	err = do(c.Request().Context(), actor(c), id)
	if asked, err := s.askConfirm(c, err, models.M("demands.reject"), paths.Demand.String(id)); asked {
		return err
	}
	var ce *models.ConflictError
	switch {
	case errors.As(err, &ce):
		form.Err = models.FormError(ce.Msg)
		return s.renderDemand(c, http.StatusConflict, form)
	case err != nil:
		if v, ok := asValidation(err); ok {
			form.Err = v
			return s.renderDemand(c, http.StatusUnprocessableEntity, form)
		}
		return err
	}
	s.flash(c, "success", done)
	return redirect(c, paths.Demand.String(id))
}

func (s *Server) demandAccept(c echo.Context) error {
	return s.demandAction(c, dv.DetailData{}, models.M("demands.accepted"), s.Demands.Accept)
}

func (s *Server) demandReject(c echo.Context) error {
	reason := c.FormValue("reason")
	return s.demandAction(c, dv.DetailData{Reason: reason}, models.M("demands.rejected"),
		func(ctx context.Context, a models.Actor, id int64) error {
			return s.Demands.Reject(ctx, a, id, reason, confirmed(c))
		})
}

func (s *Server) demandClose(c echo.Context) error {
	return s.demandAction(c, dv.DetailData{}, models.M("demands.closed"), s.Demands.Close)
}

func (s *Server) demandNote(c echo.Context) error {
	note := c.FormValue("note")
	return s.demandAction(c, dv.DetailData{Note: note}, models.M("demands.noted"),
		func(ctx context.Context, a models.Actor, id int64) error { return s.Demands.AddNote(ctx, a, id, note) })
}

func (s *Server) demandLink(c echo.Context) error {
	order := c.FormValue("order")
	return s.demandAction(c, dv.DetailData{Order: order}, models.M("demands.linked"),
		func(ctx context.Context, a models.Actor, id int64) error {
			return s.Demands.LinkOrder(ctx, a, id, order)
		})
}

// adminDemands is the operations page (/admin/demands).
func (s *Server) adminDemands(c echo.Context) error {
	return s.renderAdminDemands(c, http.StatusOK, dv.AdminData{})
}

func (s *Server) renderAdminDemands(c echo.Context, status int, d dv.AdminData) error {
	ctx, a := c.Request().Context(), actor(c)
	ms, err := s.Accounts.ListMerchants(ctx, a)
	if err != nil {
		return err
	}
	rates, err := s.Demands.Rates(ctx, a)
	if err != nil {
		return err
	}
	mode, err := s.Demands.WindowMode(ctx)
	if err != nil {
		return err
	}
	d.Merchants, d.Rates, d.WindowMode, d.Query = ms, rates, mode, c.QueryParams()
	f, verr := md.ParseFilter(d.Query, userLoc(c))
	if verr.Err() == nil {
		d.Page, err = s.Demands.ListAll(ctx, a, f)
		if v, ok := asValidation(err); ok {
			verr, err = v, nil
		}
		if err != nil {
			return err
		}
	}
	if verr.Err() != nil {
		d.ListErr = verr
		if status == http.StatusOK {
			status = http.StatusUnprocessableEntity
		}
	}
	return s.render(c, status, dv.Admin(d))
}

// adminDemandAssign creates and assigns a demand; bad input stays on a 422
// page with the form as typed and stores nothing.
func (s *Server) adminDemandAssign(c echo.Context) error {
	in := md.AssignInput{Merchant: c.FormValue("merchant"), Title: c.FormValue("title"),
		Description: c.FormValue("description"), CustomerName: c.FormValue("customer_name"), ProductID: c.FormValue("product")}
	d, err := s.Demands.Assign(c.Request().Context(), actor(c), in)
	if v, ok := asValidation(err); ok {
		return s.renderAdminDemands(c, http.StatusUnprocessableEntity, dv.AdminData{Form: dv.AssignForm{In: in, Err: v}})
	}
	if err != nil {
		return err
	}
	s.flash(c, "success", models.M("demands.assigned", "Title", d.Title))
	return redirect(c, paths.AdminDemands.String())
}

// adminDemandWindow sets the window mode for demands assigned from now on.
func (s *Server) adminDemandWindow(c echo.Context) error {
	err := s.Demands.SetWindowMode(c.Request().Context(), actor(c), c.FormValue("window_mode"))
	if v, ok := asValidation(err); ok {
		return s.renderAdminDemands(c, http.StatusUnprocessableEntity, dv.AdminData{WindowErr: v})
	}
	if err != nil {
		return err
	}
	s.flash(c, "success", models.M("demands.window_saved"))
	return redirect(c, paths.AdminDemands.String())
}

// adminDemandDetail is any merchant's demand with its history, for
// operations: read only.
func (s *Server) adminDemandDetail(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	det, err := s.Demands.GetAny(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, dv.Detail(dv.DetailData{D: det, Admin: true}))
}
