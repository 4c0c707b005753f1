package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/debugger"
	dv "github.com/sellercenter/sellercenter/views/debugger"
	"github.com/sellercenter/sellercenter/views/paths"
)

func (s *Server) renderDebugger(c echo.Context, status int, d dv.Data) error {
	page, err := s.Debugger.Page(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	d.Page = page
	if d.Calc.Op == "" {
		d.Calc.Op, d.Calc.Bits = debugger.CalcV1Token, "256"
	}
	return s.render(c, status, dv.Page(d))
}

func (s *Server) debuggerPage(c echo.Context) error {
	return s.renderDebugger(c, http.StatusOK, dv.Data{})
}

// composeForm reads the compose form; an unparsable product id becomes one
// no merchant has, so validation names the field.
func composeForm(c echo.Context) dv.ComposeForm {
	f := dv.ComposeForm{Name: c.FormValue("name"), Compose: debugger.Compose{Activity: c.FormValue("activity"),
		InstanceID: c.FormValue("instance_id"), OrderID: c.FormValue("order_id"), OrderLineID: c.FormValue("order_line_id"),
		BusinessID: c.FormValue("business_id"), Status: c.FormValue("status"), Scene: c.FormValue("scene"),
		Extras: c.FormValue("extras")}}
	if p := strings.TrimSpace(c.FormValue("product")); p != "" {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil || id <= 0 {
			id = -1
		}
		f.ProductRef = id
	}
	return f
}

// debuggerSend answers with the page itself: the result is shown once and
// not stored (test calls are not orders).
func (s *Server) debuggerSend(c echo.Context) error {
	f := composeForm(c)
	res, err := s.Debugger.Send(c.Request().Context(), actor(c), f.Compose)
	if v, ok := asValidation(err); ok {
		f.Err = v
		return s.renderDebugger(c, http.StatusUnprocessableEntity, dv.Data{Form: f})
	}
	if err != nil {
		return err
	}
	return s.renderDebugger(c, http.StatusOK, dv.Data{Form: f, Result: res})
}

func (s *Server) debuggerSaveCase(c echo.Context) error {
	f := composeForm(c)
	tc, err := s.Debugger.Save(c.Request().Context(), actor(c), f.Name, f.Compose)
	if v, ok := asValidation(err); ok {
		f.Err = v
		return s.renderDebugger(c, http.StatusUnprocessableEntity, dv.Data{Form: f})
	}
	if err != nil {
		return err
	}
	s.flash(c, "success", models.M("debug.case_saved", "Name", tc.Name))
	return redirect(c, paths.Debugger.String())
}

func (s *Server) debuggerRunCase(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	res, err := s.Debugger.Run(c.Request().Context(), actor(c), id)
	if v, ok := asValidation(err); ok {
		return s.renderDebugger(c, http.StatusUnprocessableEntity, dv.Data{Form: dv.ComposeForm{Err: v}})
	}
	if err != nil {
		return err
	}
	return s.renderDebugger(c, http.StatusOK, dv.Data{Result: res})
}

func (s *Server) debuggerDeleteCase(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := s.Debugger.Delete(c.Request().Context(), actor(c), id); err != nil {
		return err
	}
	s.flash(c, "success", models.M("debug.case_deleted"))
	return redirect(c, paths.Debugger.String())
}

// debuggerCalc is the signature calculator: pure computation, nothing stored.
func (s *Server) debuggerCalc(c echo.Context) error {
	in := debugger.CalcInput{Op: c.FormValue("op"), Key: c.FormValue("key"), Params: c.FormValue("params"),
		Nonce: strings.TrimSpace(c.FormValue("nonce")), Timestamp: strings.TrimSpace(c.FormValue("timestamp")),
		Body: c.FormValue("body"), Bits: c.FormValue("bits"), IV: c.FormValue("iv"), Text: c.FormValue("text")}
	res, err := debugger.Calculate(in)
	if v, ok := asValidation(err); ok {
		return s.renderDebugger(c, http.StatusUnprocessableEntity, dv.Data{Calc: dv.CalcForm{CalcInput: in, Err: v}})
	}
	if err != nil {
		return err
	}
	return s.renderDebugger(c, http.StatusOK, dv.Data{Calc: dv.CalcForm{CalcInput: in}, CalcResult: res})
}
