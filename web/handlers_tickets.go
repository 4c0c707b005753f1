package web

import (
	"errors"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/tickets"
	"github.com/sellercenter/sellercenter/views/paths"
	vt "github.com/sellercenter/sellercenter/views/tickets"
)

// ticketUploadLimit bounds a reply request: the most files one message may
// carry at the largest size each, plus 2 MiB for the form around them. Each
// file is held to its own limit by the service; this only stops absurd
// bodies early. It is a plain byte count because BodyLimit reads "52M" as
// 52,000,000 bytes, less than five 10 MiB files.
func (s *Server) ticketUploadLimit() string {
	most := int64(tickets.DefaultMaxAttachment)
	if s.Tickets != nil {
		most = s.Tickets.MaxAttachment()
	}
	return strconv.FormatInt(most*tickets.MaxFiles+2<<20, 10)
}

// ticketsList is 工单: the merchant's tickets with their live clocks.
func (s *Server) ticketsList(c echo.Context) error {
	d := vt.ListData{Query: c.QueryParams(), WarnLeft: s.Tickets.WarnLeft()}
	f, verr := tickets.ParseFilter(d.Query, userLoc(c))
	err := verr.Err()
	if err == nil {
		d.Page, err = s.Tickets.List(c.Request().Context(), actor(c), f)
	}
	return s.renderList(c, err, func(v *models.ValidationError) templ.Component { d.Err = v; return vt.List(d) })
}

func (s *Server) ticketsReport(c echo.Context) error {
	r, err := s.Tickets.Report(c.Request().Context(), actor(c), userLoc(c))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, vt.Report(vt.ReportData{R: r, Target: s.Tickets.FirstResponse()}))
}

func (s *Server) ticketDetail(c echo.Context) error {
	return s.renderTicket(c, http.StatusOK, vt.DetailData{})
}

func (s *Server) renderTicket(c echo.Context, status int, d vt.DetailData) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	det, err := s.Tickets.Detail(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	d.D, d.WarnLeft, d.MaxMB = det, s.Tickets.WarnLeft(), s.Tickets.MaxAttachment()>>20
	return s.render(c, status, vt.Detail(d))
}

// ticketRefusal renders the ticket again with why a post was refused: bad
// input 422, an action its state does not allow (a reply to a closed
// ticket) 409. Other errors pass through.
func (s *Server) ticketRefusal(c echo.Context, err error, d vt.DetailData) error {
	var ce *models.ConflictError
	if errors.As(err, &ce) {
		d.Refused = &ce.Msg
		return s.renderTicket(c, http.StatusConflict, d)
	}
	if v, ok := asValidation(err); ok {
		if v.Form != nil {
			d.Refused = v.Form
		}
		d.Err = v
		return s.renderTicket(c, http.StatusUnprocessableEntity, d)
	}
	return err
}

// ticketReply is the reply form: a public reply or an internal note with
// files, as multipart/form-data.
func (s *Server) ticketReply(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ups, closeAll, err := formUploads(c)
	if err != nil {
		return err
	}
	defer closeAll()
	in := tickets.ReplyInput{Kind: c.FormValue("kind"), Body: c.FormValue("body"), Files: ups}
	err = s.Tickets.Reply(c.Request().Context(), actor(c), id, in)
	if err != nil {
		return s.ticketRefusal(c, err, vt.DetailData{Body: in.Body, Kind: in.Kind})
	}
	msg := "tickets.replied"
	if in.Kind == models.TicketMsgNote {
		msg = "tickets.noted"
	}
	s.flash(c, "success", models.M(msg))
	return redirect(c, paths.Ticket.String(id))
}

// formUploads opens the "files" of a multipart ticket form; closeAll
// closes them once the service has read them.
func formUploads(c echo.Context) ([]tickets.Upload, func(), error) {
	if !strings.HasPrefix(c.Request().Header.Get(echo.HeaderContentType), echo.MIMEMultipartForm) {
		return nil, func() {}, nil // a plain form carries no files
	}
	form, err := c.MultipartForm()
	if err != nil {
		var he *echo.HTTPError
		if errors.As(err, &he) {
			return nil, func() {}, he
		}
		return nil, func() {}, echo.NewHTTPError(http.StatusBadRequest)
	}
	var open []multipart.File
	closeAll := func() {
		for _, f := range open {
			_ = f.Close()
		}
	}
	var ups []tickets.Upload
	for _, fh := range form.File["files"] {
		if fh.Filename == "" && fh.Size == 0 {
			continue // the browser's empty file input
		}
		f, err := fh.Open()
		if err != nil {
			closeAll()
			return nil, func() {}, err
		}
		open = append(open, f)
		ups = append(ups, tickets.Upload{Name: fh.Filename, R: f})
	}
	return ups, closeAll, nil
}

func (s *Server) ticketAction(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	a, ok := tickets.ParseAction(c.FormValue("action"))
	if !ok {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	if err := s.Tickets.Act(c.Request().Context(), actor(c), id, a); err != nil {
		return s.ticketRefusal(c, err, vt.DetailData{})
	}
	s.flash(c, "success", models.M("tickets.acted"))
	return redirect(c, paths.Ticket.String(id))
}

func (s *Server) ticketAssign(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	uid, err := strconv.ParseInt(c.FormValue("assignee"), 10, 64)
	if err != nil || uid < 0 {
		return echo.NewHTTPError(http.StatusBadRequest)
	}
	if err := s.Tickets.Assign(c.Request().Context(), actor(c), id, uid); err != nil {
		return s.ticketRefusal(c, err, vt.DetailData{})
	}
	s.flash(c, "success", models.M("tickets.assigned"))
	return redirect(c, paths.Ticket.String(id))
}

// ticketFile streams an attachment as a download, never inline: the type
// was sniffed on upload, and nosniff plus attachment keep a browser from
// rendering it as a page of ours.
func (s *Server) ticketFile(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	aid, err := strconv.ParseInt(c.Param("aid"), 10, 64)
	if err != nil || aid <= 0 {
		return models.ErrNotFound
	}
	a, f, err := s.Tickets.OpenAttachment(c.Request().Context(), actor(c), id, aid)
	if err != nil {
		return err
	}
	return serveDownload(c, f, a.FileName, a.ContentType)
}
