package web

import (
	"errors"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strconv"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	mi "github.com/sellercenter/sellercenter/models/invoices"
	"github.com/sellercenter/sellercenter/models/provisioning"
	iv "github.com/sellercenter/sellercenter/views/invoices"
	"github.com/sellercenter/sellercenter/views/paths"
)

// invoiceUploadLimit bounds the issue form: the invoice file (10 MiB at
// most, the service's limit) and a few fields.
const invoiceUploadLimit = "12M"

// invoicesList is 发票管理; the customer tab (给用户开票) unless tab=platform.
func (s *Server) invoicesList(c echo.Context) error {
	q := c.QueryParams()
	if q.Get("tab") == "platform" {
		return s.platformFees(c)
	}
	d := iv.ListData{Query: q}
	f, verr := mi.ParseFilter(q, userLoc(c))
	err := verr.Err()
	if err == nil {
		var p mi.Page
		p, err = s.Invoices.List(c.Request().Context(), actor(c), f, q.Get(models.ParamCursor))
		d.Page = models.Page[mi.Row]{Rows: p.Rows, Next: p.Next, Param: models.ParamCursor}
		d.Merchants = p.Merchants
	}
	return s.renderList(c, err, func(v *models.ValidationError) templ.Component { d.Err = v; return iv.List(d) })
}

func (s *Server) invoiceDetail(c echo.Context) error {
	return s.renderInvoice(c, http.StatusOK, iv.DetailData{})
}

func (s *Server) renderInvoice(c echo.Context, status int, d iv.DetailData) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	a := actor(c)
	det, err := s.Invoices.Detail(c.Request().Context(), a, id)
	if err != nil {
		return err
	}
	d.D = det
	d.CanReissue = det.Invoice.Status == models.InvoiceReturned && a.Can(models.PermInvoices) &&
		a.MerchantID == det.Invoice.MerchantID
	d.RequestToken = mi.NewRequestToken()
	return s.render(c, status, iv.Detail(d))
}

// invoiceAct runs one finance action named by the path on the invoice of
// the path. A refused action (bad input: 422; a state that forbids it: 409)
// shows the invoice again with the message and what was typed.
func (s *Server) invoiceAct(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx, a := c.Request().Context(), actor(c)
	form := map[string]string{}
	field := func(k string) string { v := c.FormValue(k); form[k] = v; return v }
	to := paths.Invoice.String(id)
	var done models.Msg
	switch models.InvoiceAction(c.Param("action")) {
	case models.InvoiceIssue:
		done = models.M("invoices.done.issued")
		err = s.invoiceIssue(c, id, field)
	case models.InvoiceReject:
		done = models.M("invoices.done.rejected")
		_, err = s.Invoices.Reject(ctx, a, id, field("reason"))
	case models.InvoiceReturn:
		done = models.M("invoices.done.return_requested")
		_, err = s.Invoices.Return(ctx, a, id, field("reason"))
	case models.InvoiceApproveReturn:
		done = models.M("invoices.done.return_approved")
		_, err = s.Invoices.ApproveReturn(ctx, a, id)
	case models.InvoiceConfirmReturn:
		done = models.M("invoices.done.returned")
		_, err = s.Invoices.ConfirmReturn(ctx, a, id, field("red_letter_no"))
	case models.InvoiceCancelReturn:
		done = models.M("invoices.done.return_canceled")
		_, err = s.Invoices.CancelReturn(ctx, a, id)
	case "reissue":
		done = models.M("invoices.done.reissued")
		var v *mi.RequestView
		if v, _, err = s.Invoices.Reissue(ctx, a, id, field("request_id")); err == nil {
			to = paths.Invoice.String(v.ID)
		}
	default:
		return models.ErrNotFound
	}
	var ce *models.ConflictError
	switch {
	case errors.As(err, &ce):
		return s.renderInvoice(c, http.StatusConflict, iv.DetailData{Err: models.FormError(ce.Msg), Form: form})
	case err != nil:
		if v, ok := asValidation(err); ok {
			return s.renderInvoice(c, http.StatusUnprocessableEntity, iv.DetailData{Err: v, Form: form})
		}
		return err
	}
	s.flash(c, "success", done)
	return redirect(c, to)
}

// invoiceIssue reads the issue form (multipart: number, date, amount and
// the file) and issues.
func (s *Server) invoiceIssue(c echo.Context, id int64, field func(string) string) error {
	in := mi.IssueInput{Number: field("number"), Date: field("date")}
	if amt, ok := provisioning.ParseAmount(field("amount")); ok {
		in.Amount = amt
	} else {
		v := &models.ValidationError{}
		v.Add("amount", models.M("invoices.err.amount_format"))
		return v
	}
	fh, err := c.FormFile("file")
	switch {
	case errors.Is(err, http.ErrMissingFile):
	case err != nil:
		var he *echo.HTTPError
		if errors.As(err, &he) {
			return he
		}
		return echo.NewHTTPError(http.StatusBadRequest)
	case fh.Size > 0 || fh.Filename != "":
		var f multipart.File
		if f, err = fh.Open(); err != nil {
			return err
		}
		defer f.Close()
		in.File = mi.Upload{Name: fh.Filename, R: f}
	}
	_, err = s.Invoices.Issue(c.Request().Context(), actor(c), id, in)
	return err
}

// invoiceFile streams an issued invoice's file to whoever may read the
// invoice (the service authorizes and audits).
func (s *Server) invoiceFile(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	inv, f, err := s.Invoices.OpenFile(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return serveDownload(c, f, inv.FileName, inv.FileType)
}

// platformFees is the platform tab: the statements (keyset pages, the
// ticked ids in the query so the selection survives paging), the latest
// platform-fee requests, and with quote=1 what the selection comes to.
func (s *Server) platformFees(c echo.Context) error {
	return s.renderPlatform(c, http.StatusOK, iv.PlatformData{})
}

func (s *Server) renderPlatform(c echo.Context, status int, d iv.PlatformData) error {
	ctx, a, q := c.Request().Context(), actor(c), c.QueryParams()
	d.Query = q
	sel, bad := parseSelection(q["statement"], q.Get("all") == "1")
	if d.Picked == nil {
		d.Picked = map[int64]bool{}
		for _, id := range sel.IDs {
			d.Picked[id] = true
		}
	}
	tab, err := s.Invoices.PlatformTab(ctx, a, q.Get("merchant"), q.Get(models.ParamCursor))
	d.Statements = models.Page[mi.StatementRow]{Rows: tab.Statements.Rows, Next: tab.Statements.Next, Param: models.ParamCursor}
	d.Requests, d.Merchants, d.Names = tab.Requests, tab.Merchants, tab.Names
	if err == nil && bad != nil {
		err = bad
	}
	if err == nil && q.Get("quote") == "1" && d.Quote == nil {
		d.Quote, err = s.Invoices.QuotePlatformFee(ctx, a, sel)
	}
	if v, ok := asValidation(err); ok {
		d.Err, err = v, nil
		status = http.StatusUnprocessableEntity
	}
	if err != nil {
		return err
	}
	return s.render(c, status, iv.Platform(d))
}

// parseSelection reads ticked statement ids (they travel with every page
// of the list, so the selection survives paging): a malformed one, or more
// than a selection may name, is a 422; a repeated one counts once.
func parseSelection(raw []string, all bool) (mi.Selection, error) {
	sel := mi.Selection{AllMatching: all, Filter: mi.StatementFilter{Requestable: true}}
	if len(raw) > mi.MaxSelection {
		v := &models.ValidationError{}
		v.Add("statement", models.M("invoices.err.too_many_statements", "Max", mi.MaxSelection))
		return sel, v
	}
	seen := make(map[int64]bool, len(raw))
	for _, r := range raw {
		id, err := strconv.ParseInt(r, 10, 64)
		if err != nil || id <= 0 {
			v := &models.ValidationError{}
			v.Add("statement", models.M("err.filter_value"))
			return mi.Selection{AllMatching: all, Filter: sel.Filter}, v
		}
		if !seen[id] {
			seen[id] = true
			sel.IDs = append(sel.IDs, id)
		}
	}
	return sel, nil
}

// platformFeeRequest is 索取平台费发票 over the quoted statements.
func (s *Server) platformFeeRequest(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	sel, bad := parseSelection(form["statement"], false)
	party := models.InvoiceParty{Kind: models.InvoiceKind(form.Get("kind")), Title: form.Get("title"),
		TaxID: form.Get("taxId"), Email: form.Get("email"), Address: form.Get("address"), Phone: form.Get("phone"),
		Bank: form.Get("bank"), Account: form.Get("account")}
	var r *models.PlatformFeeRequest
	if err = bad; err == nil {
		r, err = s.Invoices.RequestPlatformFee(c.Request().Context(), actor(c), mi.PlatformFeeInput{Selection: sel, InvoiceParty: party})
	}
	if err != nil {
		d := iv.PlatformData{Party: party}
		if v, ok := asValidation(err); ok {
			d.Err = v
		} else if ce := (*models.ConflictError)(nil); errors.As(err, &ce) {
			d.Err = models.FormError(ce.Msg)
		} else {
			return err
		}
		d.Picked = map[int64]bool{}
		for _, id := range sel.IDs {
			d.Picked[id] = true
		}
		if q, qerr := s.Invoices.QuotePlatformFee(c.Request().Context(), actor(c), sel); qerr == nil {
			d.Quote = q
		}
		return s.renderPlatform(c, http.StatusUnprocessableEntity, d)
	}
	s.flash(c, "success", models.M("invoices.done.platform_fee_requested"))
	return redirect(c, paths.PlatformFee.String(r.ID))
}

// statementDetail is a settlement statement's header and a keyset page of
// its lines; another merchant's statement is a 404.
func (s *Server) statementDetail(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	p, err := s.Invoices.StatementLines(c.Request().Context(), actor(c), id, q.Get(models.ParamCursor), 0)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, iv.Statement(iv.StatementData{P: p, Query: q,
		Lines: models.Page[mi.StatementLineRow]{Rows: p.Rows, Next: p.Next, Param: models.ParamCursor}}))
}

func (s *Server) platformFeeDetail(c echo.Context) error {
	return s.renderPlatformFee(c, http.StatusOK, iv.PlatformFeeData{})
}

func (s *Server) renderPlatformFee(c echo.Context, status int, d iv.PlatformFeeData) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if d.D, err = s.Invoices.PlatformFeeDetail(c.Request().Context(), actor(c), id); err != nil {
		return err
	}
	return s.render(c, status, iv.PlatformFee(d))
}

// platformFeeAct is operations' issue (number and file) or reject (reason).
func (s *Server) platformFeeAct(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx, a := c.Request().Context(), actor(c)
	form := map[string]string{}
	var done models.Msg
	switch models.PlatformFeeAction(c.Param("action")) {
	case models.PlatformFeeIssue:
		done = models.M("invoices.done.issued")
		form["number"] = c.FormValue("number")
		up := mi.Upload{}
		fh, ferr := c.FormFile("file")
		switch {
		case errors.Is(ferr, http.ErrMissingFile):
		case ferr != nil:
			return echo.NewHTTPError(http.StatusBadRequest)
		default:
			f, oerr := fh.Open()
			if oerr != nil {
				return oerr
			}
			defer f.Close()
			up = mi.Upload{Name: fh.Filename, R: f}
		}
		_, err = s.Invoices.IssuePlatformFee(ctx, a, id, form["number"], up)
	case models.PlatformFeeReject:
		done = models.M("invoices.done.rejected")
		form["reason"] = c.FormValue("reason")
		_, err = s.Invoices.RejectPlatformFee(ctx, a, id, form["reason"])
	default:
		return models.ErrNotFound
	}
	var ce *models.ConflictError
	switch {
	case errors.As(err, &ce):
		return s.renderPlatformFee(c, http.StatusConflict, iv.PlatformFeeData{Err: models.FormError(ce.Msg), Form: form})
	case err != nil:
		if v, ok := asValidation(err); ok {
			return s.renderPlatformFee(c, http.StatusUnprocessableEntity, iv.PlatformFeeData{Err: v, Form: form})
		}
		return err
	}
	s.flash(c, "success", done)
	return redirect(c, paths.PlatformFee.String(id))
}

func (s *Server) platformFeeFile(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	r, path, err := s.Invoices.PlatformFeeFile(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return models.ErrNotFound
	}
	if err != nil {
		return err
	}
	return serveDownload(c, f, r.FileName, r.FileType)
}

// statementPaid is operations recording the platform's payment.
func (s *Server) statementPaid(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if _, err := s.Invoices.MarkStatementPaid(c.Request().Context(), actor(c), id); err != nil {
		var ce *models.ConflictError
		if errors.As(err, &ce) {
			return s.renderPlatform(c, http.StatusConflict, iv.PlatformData{Err: models.FormError(ce.Msg)})
		}
		return err
	}
	s.flash(c, "success", models.M("invoices.done.statement_paid"))
	return redirect(c, string(paths.Invoices.With(url.Values{"tab": {"platform"}})))
}

// buyerInvoices is the buyer's 发票 page.
func (s *Server) buyerInvoices(c echo.Context) error {
	return s.renderBuyerInvoices(c, http.StatusOK, iv.BuyerData{}, "", nil)
}

// renderBuyerInvoices shows the buyer's page at the lines' cursor with the
// lines ticked so far; ticks the service refuses (too many, malformed) are
// a 422 on the page read without them. Every render carries a fresh token
// for the request form.
func (s *Server) renderBuyerInvoices(c echo.Context, status int, d iv.BuyerData, cursor string, ticked []string) error {
	p, err := s.Invoices.BuyerPage(c.Request().Context(), actor(c), cursor, ticked)
	if v, ok := asValidation(err); ok && p != nil {
		if d.Err == nil {
			d.Err = v
		}
		status, err = http.StatusUnprocessableEntity, nil
	}
	if err != nil {
		return err
	}
	d.P, d.At, d.Token = p, cursor, mi.NewRequestToken()
	return s.render(c, status, iv.Buyer(d))
}

// buyerInvoiceRequest is the buyer's request over its own lines. A page
// button (cursor) only moves the form to another page of lines, the ticks
// and what was typed kept; the form's token makes a second submit of the
// same form land where the first did. A refusal shows the page again with
// the form as typed.
func (s *Server) buyerInvoiceRequest(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	in := mi.RequestInput{RequestID: form.Get("request_id"), OrderLineIDs: form["line"], InvoiceParty: models.InvoiceParty{
		Kind: models.InvoiceKind(form.Get("kind")), Title: form.Get("title"), TaxID: form.Get("taxId"),
		Email: form.Get("email"), Address: form.Get("address"), Phone: form.Get("phone"), Bank: form.Get("bank"),
		Account: form.Get("account")}}
	d := iv.BuyerData{Form: in.InvoiceParty}
	if _, paging := form[models.ParamCursor]; paging {
		return s.renderBuyerInvoices(c, http.StatusOK, d, form.Get(models.ParamCursor), in.OrderLineIDs)
	}
	_, _, err = s.Invoices.Request(c.Request().Context(), actor(c), in)
	if err != nil {
		var ce *models.ConflictError
		switch {
		case errors.As(err, &ce):
			d.Err = models.FormError(ce.Msg)
			return s.renderBuyerInvoices(c, http.StatusConflict, d, form.Get("at"), in.OrderLineIDs)
		default:
			if v, ok := asValidation(err); ok {
				d.Err = v
				return s.renderBuyerInvoices(c, http.StatusUnprocessableEntity, d, form.Get("at"), in.OrderLineIDs)
			}
			return err
		}
	}
	s.flash(c, "success", models.M("invoices.done.requested"))
	return redirect(c, paths.BuyerInvoices.String())
}

// buyerInvoiceRevoke is the buyer's 撤销 of its own pending request.
func (s *Server) buyerInvoiceRevoke(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if _, err := s.Invoices.Revoke(c.Request().Context(), actor(c), id); err != nil {
		var ce *models.ConflictError
		if errors.As(err, &ce) {
			return s.renderBuyerInvoices(c, http.StatusConflict, iv.BuyerData{Err: models.FormError(ce.Msg)}, "", nil)
		}
		return err
	}
	s.flash(c, "success", models.M("invoices.done.revoked"))
	return redirect(c, paths.BuyerInvoices.String())
}

// invoiceReconcile is /invoices/reconcile.
func (s *Server) invoiceReconcile(c echo.Context) error {
	r, err := s.Invoices.Reconcile(c.Request().Context(), actor(c), mi.ReconFilter{})
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, iv.Reconcile(r))
}

// invoiceSettings is /settings/invoices: the four-eyes rule for 退票.
func (s *Server) invoiceSettings(c echo.Context) error {
	a := actor(c)
	st, err := s.Invoices.Settings(c.Request().Context(), a)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, iv.Settings(iv.SettingsData{S: st, CanEdit: a.Can(models.PermInvoiceSettings)}))
}

func (s *Server) invoiceSettingsSave(c echo.Context) error {
	if err := s.Invoices.SetFourEyes(c.Request().Context(), actor(c), c.FormValue("four_eyes") == "1"); err != nil {
		return err
	}
	s.flash(c, "success", models.M("invoices.done.settings"))
	return redirect(c, paths.InvoiceSettings.String())
}
