package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/tickets"
	"github.com/sellercenter/sellercenter/views/paths"
	vt "github.com/sellercenter/sellercenter/views/tickets"
)

// buyerTickets is the buyer's own tickets (我的工单).
func (s *Server) buyerTickets(c echo.Context) error {
	f, verr := tickets.ParseFilter(c.QueryParams(), userLoc(c))
	if err := positionOnly(verr); err != nil {
		return err
	}
	p, err := s.Tickets.BuyerList(c.Request().Context(), actor(c), f)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, vt.BuyerList(vt.BuyerListData{Page: p}))
}

func (s *Server) buyerTicketNew(c echo.Context) error {
	return s.renderBuyerNew(c, http.StatusOK, vt.BuyerNewData{})
}

func (s *Server) renderBuyerNew(c echo.Context, status int, d vt.BuyerNewData) error {
	ps, err := s.Tickets.BuyerProducts(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	d.Products = ps
	return s.render(c, status, vt.BuyerNew(d))
}

func (s *Server) buyerTicketOpen(c echo.Context) error {
	d := vt.BuyerNewData{Product: c.FormValue("product"), Title: c.FormValue("title"), Content: c.FormValue("content")}
	id, err := s.Tickets.BuyerOpen(c.Request().Context(), actor(c), d.Product, d.Title, d.Content)
	if v, ok := asValidation(err); ok {
		d.Err = v
		return s.renderBuyerNew(c, http.StatusUnprocessableEntity, d)
	}
	if err != nil {
		return err
	}
	s.flash(c, "success", models.M("tickets.buyer.opened"))
	return redirect(c, paths.BuyerTicket.String(id))
}

func (s *Server) buyerTicket(c echo.Context) error {
	return s.renderBuyerTicket(c, http.StatusOK, vt.BuyerDetailData{})
}

func (s *Server) renderBuyerTicket(c echo.Context, status int, d vt.BuyerDetailData) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	det, err := s.Tickets.BuyerDetail(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	d.D, d.MaxMB = det, s.Tickets.MaxAttachment()>>20
	return s.render(c, status, vt.BuyerDetail(d))
}

// buyerRefusal is ticketRefusal for the buyer's pages.
func (s *Server) buyerRefusal(c echo.Context, err error, d vt.BuyerDetailData) error {
	var ce *models.ConflictError
	if errors.As(err, &ce) {
		d.Refused = &ce.Msg
		return s.renderBuyerTicket(c, http.StatusConflict, d)
	}
	if v, ok := asValidation(err); ok {
		d.Err = v
		return s.renderBuyerTicket(c, http.StatusUnprocessableEntity, d)
	}
	return err
}

// buyerTicketReply is the buyer's message with optional files, as
// multipart/form-data like the merchant's reply form.
func (s *Server) buyerTicketReply(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ups, closeAll, err := formUploads(c)
	if err != nil {
		return err
	}
	defer closeAll()
	in := tickets.BuyerReplyInput{Body: c.FormValue("body"), Reopen: c.FormValue("reopen") == "1", Files: ups}
	if err := s.Tickets.BuyerReply(c.Request().Context(), actor(c), id, in); err != nil {
		return s.buyerRefusal(c, err, vt.BuyerDetailData{Body: in.Body})
	}
	msg := "tickets.replied"
	if in.Reopen {
		msg = "tickets.buyer.reopened"
	}
	s.flash(c, "success", models.M(msg))
	return redirect(c, paths.BuyerTicket.String(id))
}

func (s *Server) buyerTicketConfirm(c echo.Context) error {
	return s.buyerTicketAct(c, models.TicketConfirm, "tickets.buyer.confirmed")
}

func (s *Server) buyerTicketRevoke(c echo.Context) error {
	return s.buyerTicketAct(c, models.TicketRevoke, "tickets.buyer.revoked")
}

func (s *Server) buyerTicketAct(c echo.Context, a models.TicketAction, done string) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := s.Tickets.BuyerAct(c.Request().Context(), actor(c), id, a); err != nil {
		return s.buyerRefusal(c, err, vt.BuyerDetailData{})
	}
	s.flash(c, "success", models.M(done))
	return redirect(c, paths.BuyerTicket.String(id))
}
