package web

import (
	"net/url"

	"github.com/labstack/echo/v4"
)

// supEventRequest is POST /api/v1/supervision/{orderLineId}/events: a
// buyer's action on a supervised line, forwarded by the marketplace.
type supEventRequest struct {
	EventID string `json:"eventId"`
	Event   string `json:"event"`
	Text    string `json:"text"`
}

// apiSupervisionEvent applies a buyer event: 201 when it moved the flow,
// 200 with the flow as it is when the same eventId comes again; 409 when
// the node does not allow it or an appeal is open, 404 for an unknown line.
func (s *Server) apiSupervisionEvent(c echo.Context) error {
	var req supEventRequest
	if err := decodeStrict(c.Request().Body, "", &req); err != nil {
		return err
	}
	line := c.Param("orderLineId")
	res, created, err := s.Supervision.BuyerEvent(c.Request().Context(), line, req.EventID, req.Event, req.Text, nil)
	if err != nil {
		return err
	}
	return apiCreated(c, created, "/api/v1/supervision/"+url.PathEscape(line)+"/events", res)
}
