package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/catalog"
	"github.com/sellercenter/sellercenter/views/paths"
	"github.com/sellercenter/sellercenter/views/settings"
)

func (s *Server) renderEndpoint(c echo.Context, status int, d settings.EndpointData) error {
	ctx := c.Request().Context()
	if d.Endpoint.URL == "" && d.Endpoint.Err == nil {
		ep, err := s.Catalog.Endpoint(ctx, actor(c), 0)
		switch {
		case err == nil:
			d.Endpoint = settings.EndpointForm{URL: ep.URL, Protocol: ep.Protocol, EncryptType: ep.EncryptType,
				TimeoutMS: ep.TimeoutMS, MaxConcurrency: ep.MaxConcurrency}
		case errors.Is(err, models.ErrNotFound):
			d.Endpoint = settings.EndpointForm{Protocol: "v2", EncryptType: 1, TimeoutMS: 5000, MaxConcurrency: 4}
		default:
			return err
		}
	}
	keys, err := s.Catalog.Keys(ctx, actor(c), 0)
	if err != nil {
		return err
	}
	d.Keys = keys
	return s.render(c, status, settings.Endpoint(d))
}

func (s *Server) endpointPage(c echo.Context) error {
	return s.renderEndpoint(c, http.StatusOK, settings.EndpointData{})
}

func formInt(c echo.Context, name string) int {
	n, err := strconv.Atoi(c.FormValue(name))
	if err != nil {
		return -1 // out of every range, so validation names the field
	}
	return n
}

// endpointSave saves the endpoint after a test call to a changed address;
// a call that did not pass keeps the page, with its answer and a
// confirmation that saves anyway (the same form with confirm=1).
func (s *Server) endpointSave(c echo.Context) error {
	in := catalog.EndpointInput{URL: c.FormValue("url"), Protocol: c.FormValue("protocol"),
		EncryptType: formInt(c, "encrypt_type"), TimeoutMS: formInt(c, "timeout_ms"), MaxConcurrency: formInt(c, "max_concurrency")}
	form := settings.EndpointForm{URL: in.URL, Protocol: in.Protocol, EncryptType: in.EncryptType, TimeoutMS: in.TimeoutMS,
		MaxConcurrency: in.MaxConcurrency}
	res, err := s.Debugger.SaveEndpoint(c.Request().Context(), actor(c), in, c.FormValue("confirm") == "1")
	if v, ok := asValidation(err); ok {
		form.Err = v
		return s.renderEndpoint(c, http.StatusUnprocessableEntity, settings.EndpointData{Endpoint: form})
	}
	if err != nil {
		return err
	}
	if !res.Saved {
		// Not a refusal: a question (save anyway?), answered on the page.
		return s.renderEndpoint(c, http.StatusOK, settings.EndpointData{Endpoint: form, Check: res})
	}
	switch {
	case res.Check == nil && !res.NoKey:
		s.flash(c, "success", models.M("common.saved"))
	case res.Passed():
		s.flash(c, "success", models.M("endpoint.saved_tested", "Code", res.Check.ResultCode, "MS", res.Check.LatencyMS))
	default:
		s.flash(c, "error", models.M("endpoint.saved_untested"))
	}
	return redirect(c, paths.Endpoint.String())
}

// keyRotate answers with the page itself, not a redirect: the new secret is
// shown this once and must not be stored anywhere to show it again.
func (s *Server) keyRotate(c echo.Context) error {
	hours := formInt(c, "overlap_hours")
	ks, err := s.Catalog.RotateKey(c.Request().Context(), actor(c), 0, "", time.Duration(hours)*time.Hour)
	if v, ok := asValidation(err); ok {
		return s.renderEndpoint(c, http.StatusUnprocessableEntity, settings.EndpointData{KeyErr: v})
	}
	if err != nil {
		return err
	}
	return s.renderEndpoint(c, http.StatusOK, settings.EndpointData{NewSecret: ks.Secret, NewLabel: ks.Key.Label})
}

func (s *Server) keyRevoke(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	err = s.Catalog.RevokeKey(c.Request().Context(), actor(c), 0, id, confirmed(c))
	if asked, err := s.askConfirm(c, err, models.M("keys.revoke"), paths.Endpoint.String()); asked {
		return err
	}
	if err != nil {
		return err
	}
	s.flash(c, "success", models.M("keys.revoked"))
	return redirect(c, paths.Endpoint.String())
}

// keyImport makes a key the merchant already uses the active one, after a
// test call signed with it; a call that did not pass keeps the page with
// its answer and a confirmation.
func (s *Server) keyImport(c echo.Context) error {
	secret, hours := c.FormValue("key"), formInt(c, "overlap_hours")
	res, err := s.Debugger.ImportKey(c.Request().Context(), actor(c), secret, time.Duration(hours)*time.Hour, confirmed(c))
	if v, ok := asValidation(err); ok {
		return s.renderEndpoint(c, http.StatusUnprocessableEntity, settings.EndpointData{KeyErr: v})
	}
	if err != nil {
		return err
	}
	if !res.Saved {
		return s.renderEndpoint(c, http.StatusOK, settings.EndpointData{KeyCheck: res, KeySecret: secret, KeyOverlap: hours})
	}
	if res.Passed() {
		s.flash(c, "success", models.M("keys.imported_tested", "Label", res.Label, "Code", res.Check.ResultCode))
	} else {
		s.flash(c, "error", models.M("keys.imported_untested", "Label", res.Label))
	}
	return redirect(c, paths.Endpoint.String())
}
