package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// eventRequest is POST /api/v1/instances/{instanceId}/events.
type eventRequest struct {
	Event string `json:"event"`
}

// apiInstanceEvent queues what an instance event needs; 202 because the
// merchant is told later, by the core's retrying calls.
func (s *Server) apiInstanceEvent(c echo.Context) error {
	var req eventRequest
	if err := decodeStrict(c.Request().Body, "", &req); err != nil {
		return err
	}
	view, err := s.Core.InstanceEvent(c.Request().Context(), c.Param("instanceId"), req.Event)
	if err != nil {
		return err
	}
	return apiJSON(c, http.StatusAccepted, view)
}
