package web

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/tickets"
)

// ticketRequest is POST /api/v1/tickets as the marketplace sends it
// (DESIGN.md §4), kept apart from tickets.Input so the wire format stays
// fixed while the service changes.
type ticketRequest struct {
	TicketID     string `json:"ticketId"`
	ProductID    string `json:"productId"`
	CustomerID   string `json:"customerId"`
	CustomerName string `json:"customerName"`
	Title        string `json:"title"`
	Content      string `json:"content"`
	CreateTime   string `json:"createTime"`
}

// apiTicketCreate is POST /api/v1/tickets: 201 with the ticket and its
// firstResponseDueAt; the same ticketId again 200 with the recorded ticket.
func (s *Server) apiTicketCreate(c echo.Context) error {
	if s.Tickets == nil {
		return echo.ErrServiceUnavailable
	}
	var req ticketRequest
	if err := decodeStrict(c.Request().Body, "", &req); err != nil {
		return err
	}
	bad := &models.ValidationError{}
	created := parseTime(bad, "createTime", req.CreateTime)
	if bad.Err() != nil {
		return &requestError{v: bad}
	}
	view, isNew, err := s.Tickets.Accept(c.Request().Context(), tickets.Input{TicketID: req.TicketID,
		ProductID: req.ProductID, CustomerID: req.CustomerID, CustomerName: req.CustomerName, Title: req.Title,
		Content: req.Content, CreateTime: created})
	if err != nil {
		return err
	}
	return apiCreated(c, isNew, "/api/v1/tickets/"+url.PathEscape(view.TicketID), view)
}

// apiTicketGet is GET /api/v1/tickets/{ticketId}.
func (s *Server) apiTicketGet(c echo.Context) error {
	if s.Tickets == nil {
		return echo.ErrServiceUnavailable
	}
	view, err := s.Tickets.Get(c.Request().Context(), c.Param("ticketId"))
	if err != nil {
		return err
	}
	return apiJSON(c, http.StatusOK, view)
}
