package web

import (
	"errors"
	"mime/multipart"
	"net/http"
	"strconv"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	ms "github.com/sellercenter/sellercenter/models/supervision"
	"github.com/sellercenter/sellercenter/views/paths"
	sv "github.com/sellercenter/sellercenter/views/supervision"
)

// supUploadLimit bounds an action with documents: the most files one
// action may carry at the largest size, plus the form.
func (s *Server) supUploadLimit() string {
	return strconv.FormatInt(10*s.Supervision.MaxFile()+2<<20, 10)
}

// supList is the merchant's 服务监管 list.
func (s *Server) supList(c echo.Context) error { return s.supListAs(c, sv.List) }

// supBuyerList is the buyer's own supervised lines: the same service call,
// which scopes a buyer to its own flows.
func (s *Server) supBuyerList(c echo.Context) error { return s.supListAs(c, sv.BuyerList) }

func (s *Server) supListAs(c echo.Context, view func(sv.ListData) templ.Component) error {
	d := sv.ListData{Query: c.QueryParams()}
	f, verr := ms.ParseFilter(d.Query, userLoc(c))
	err := verr.Err()
	if err == nil {
		d.Page, err = s.Supervision.List(c.Request().Context(), actor(c), f)
	}
	return s.renderList(c, err, func(v *models.ValidationError) templ.Component { d.Err = v; return view(d) })
}

func (s *Server) supDetail(c echo.Context) error { return s.renderSup(c, http.StatusOK, nil) }

func (s *Server) renderSup(c echo.Context, status int, verr *models.ValidationError) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	det, err := s.Supervision.Detail(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return s.render(c, status, sv.Detail(sv.DetailData{D: det, Err: verr}))
}

func (s *Server) supBuyerDetail(c echo.Context) error { return s.renderBuyerSup(c, http.StatusOK, nil) }

func (s *Server) renderBuyerSup(c echo.Context, status int, verr *models.ValidationError) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	det, err := s.Supervision.BuyerDetail(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return s.render(c, status, sv.Buyer(sv.BuyerData{D: det, Err: verr}))
}

// supFiles opens the form's uploads of a field ("files" unless named);
// close closes them.
func supFiles(c echo.Context, field ...string) (files []ms.Upload, closeAll func(), err error) {
	var open []multipart.File
	closeAll = func() {
		for _, f := range open {
			_ = f.Close()
		}
	}
	form, err := c.MultipartForm()
	if err != nil {
		if errors.Is(err, http.ErrNotMultipart) {
			return nil, closeAll, nil
		}
		return nil, closeAll, err
	}
	name := "files"
	if len(field) > 0 {
		name = field[0]
	}
	for _, fh := range form.File[name] {
		if fh.Filename == "" && fh.Size == 0 {
			continue
		}
		f, err := fh.Open()
		if err != nil {
			return nil, closeAll, err
		}
		open = append(open, f)
		files = append(files, ms.Upload{Name: fh.Filename, R: f})
	}
	return files, closeAll, nil
}

// supRefusal shows a refused action on its page again: 409 for a state
// that forbids it, 422 for bad input; nothing changed.
func supRefusal(err error, again func(int, *models.ValidationError) error) error {
	var ce *models.ConflictError
	if errors.As(err, &ce) {
		return again(http.StatusConflict, models.FormError(ce.Msg))
	}
	if v, ok := asValidation(err); ok {
		return again(http.StatusUnprocessableEntity, v)
	}
	return err
}

// supAct is a merchant node action.
func (s *Server) supAct(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	files, closeAll, err := supFiles(c)
	defer closeAll()
	if err != nil {
		return err
	}
	in := ms.MerchantInput{Action: models.SupAction(c.FormValue("action")), Text: c.FormValue("text"), Files: files,
		Carrier: c.FormValue("carrier"), TrackingNo: c.FormValue("tracking_no")}
	if err := s.Supervision.Act(c.Request().Context(), actor(c), id, in); err != nil {
		return supRefusal(err, func(st int, v *models.ValidationError) error { return s.renderSup(c, st, v) })
	}
	s.flash(c, "success", models.M("supervision.done_action"))
	return redirect(c, paths.SupervisionFlow.String(id))
}

// supAppeal is the merchant's 发起申诉.
func (s *Server) supAppeal(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	files, closeAll, err := supFiles(c)
	defer closeAll()
	if err != nil {
		return err
	}
	in := ms.AppealInput{Reason: c.FormValue("reason"), Outcome: c.FormValue("outcome"), Files: files}
	if _, err := s.Supervision.Appeal(c.Request().Context(), actor(c), id, in); err != nil {
		return supRefusal(err, func(st int, v *models.ValidationError) error { return s.renderSup(c, st, v) })
	}
	s.flash(c, "success", models.M("supervision.appealed"))
	return redirect(c, paths.SupervisionFlow.String(id))
}

// supBuyerAct is a buyer's action (or, with appeal=1, its appeal).
func (s *Server) supBuyerAct(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	files, closeAll, err := supFiles(c)
	defer closeAll()
	if err != nil {
		return err
	}
	ctx, a := c.Request().Context(), actor(c)
	msg := models.M("supervision.done_action")
	if c.QueryParam("appeal") == "1" {
		_, err = s.Supervision.Appeal(ctx, a, id, ms.AppealInput{Reason: c.FormValue("reason"),
			Outcome: c.FormValue("outcome"), Files: files})
		msg = models.M("supervision.appealed")
	} else {
		err = s.Supervision.BuyerAct(ctx, a, id, c.FormValue("event"), c.FormValue("text"), files)
	}
	if err != nil {
		return supRefusal(err, func(st int, v *models.ValidationError) error { return s.renderBuyerSup(c, st, v) })
	}
	s.flash(c, "success", msg)
	return redirect(c, paths.BuyerSupervisionFlow.String(id))
}

// supDoc downloads a flow's document through the actor's scope.
func (s *Server) supDoc(c echo.Context) error {
	did, err := strconv.ParseInt(c.Param("did"), 10, 64)
	if err != nil || did <= 0 {
		return models.ErrNotFound
	}
	doc, f, err := s.Supervision.OpenDocument(c.Request().Context(), actor(c), did)
	if err != nil {
		return err
	}
	return serveDownload(c, f, doc.FileName, doc.ContentType)
}

// appealsQueue is operations' open appeals.
func (s *Server) appealsQueue(c echo.Context) error {
	items, err := s.Supervision.AppealQueue(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, sv.Queue(sv.QueueData{Items: items}))
}

func (s *Server) appealDetail(c echo.Context) error { return s.renderAppeal(c, http.StatusOK, nil) }

func (s *Server) renderAppeal(c echo.Context, status int, verr *models.ValidationError) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	det, err := s.Supervision.AppealDetail(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return s.render(c, status, sv.Detail(sv.DetailData{D: det, Err: verr, Appeal: id}))
}

// appealRule is an operations manager's ruling.
func (s *Server) appealRule(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ruling := models.SupRuling(c.FormValue("ruling"))
	if err := s.Supervision.Rule(c.Request().Context(), actor(c), id, ruling, c.FormValue("reason")); err != nil {
		return supRefusal(err, func(st int, v *models.ValidationError) error { return s.renderAppeal(c, st, v) })
	}
	s.flash(c, "success", models.M("supervision.ruled"))
	return redirect(c, paths.Appeal.String(id))
}

// appealPack streams the appeal's evidence pack (ZIP).
func (s *Server) appealPack(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "application/zip")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="appeal-SA-`+strconv.FormatInt(id, 10)+`.zip"`)
	h.Set("Cache-Control", "private, no-store")
	return s.Supervision.EvidencePack(c.Request().Context(), actor(c), id, c.Response())
}

// supPolicyPage and supPolicySave are the old 365-day rule's switch.
func (s *Server) supPolicyPage(c echo.Context) error {
	p, err := s.Supervision.Policy(c.Request().Context())
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, sv.Policy(sv.PolicyData{P: p}))
}

func (s *Server) supPolicySave(c echo.Context) error {
	in := ms.PolicyInput{OldRuleEnabled: c.FormValue("old_rule") == "1"}
	if err := s.Supervision.SetPolicy(c.Request().Context(), actor(c), in); err != nil {
		return err
	}
	s.flash(c, "success", models.M("supervision.policy_saved"))
	return redirect(c, paths.AdminSupervision.String())
}

// supSettingsPage and supSettingsSave are a product's 服务监管 settings.
func (s *Server) supSettingsPage(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	pg, err := s.Supervision.ProductSettings(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, sv.Settings(sv.SettingsData{Page: pg}))
}

func (s *Server) supSettingsSave(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	files, closeAll, err := supFiles(c, "template")
	defer closeAll()
	if err != nil {
		return err
	}
	sla, _ := strconv.Atoi(c.FormValue("sla_days"))
	in := ms.SettingsInput{Supervised: c.FormValue("supervised") == "1", Variant: models.SupVariant(c.FormValue("variant")),
		SLADays: sla, Criteria: c.FormValue("criteria"), AcceptanceMode: c.FormValue("acceptance_mode")}
	if len(files) > 0 {
		in.Template = &files[0]
	}
	ctx, a := c.Request().Context(), actor(c)
	if err := s.Supervision.SaveSettings(ctx, a, id, in); err != nil {
		v, ok := asValidation(err)
		if !ok {
			return err
		}
		pg, perr := s.Supervision.ProductSettings(ctx, a, id)
		if perr != nil {
			return perr
		}
		pg.Product.Supervised = in.Supervised
		pg.Set.Variant, pg.Set.SLADays, pg.Set.Criteria, pg.Set.AcceptanceMode = in.Variant, sla, in.Criteria, in.AcceptanceMode
		return s.render(c, http.StatusUnprocessableEntity, sv.Settings(sv.SettingsData{Page: pg, Err: v}))
	}
	s.flash(c, "success", models.M("supervision.settings_saved"))
	return redirect(c, paths.ProductSupervision.String(id))
}

// supTemplate downloads the requirement template of a flow's product
// through the actor's scope (merchant staff, the flow's buyer).
func (s *Server) supTemplate(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	doc, f, err := s.Supervision.OpenTemplate(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return serveDownload(c, f, doc.FileName, doc.ContentType)
}

// supProductTemplate downloads a product's current template (settings).
func (s *Server) supProductTemplate(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	doc, f, err := s.Supervision.OpenProductTemplate(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return serveDownload(c, f, doc.FileName, doc.ContentType)
}
