package web

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	ms "github.com/sellercenter/sellercenter/models/supervision"
)

// supEventRequest is POST /api/v1/supervision/{orderLineId}/events: a
// buyer's action on a supervised line, forwarded by the marketplace, with
// the buyer's documents for submit_requirements, reject and appeal.
type supEventRequest struct {
	EventID   string        `json:"eventId"`
	Event     string        `json:"event"`
	Text      string        `json:"text"`
	Documents []supDocument `json:"documents"`
}

// supDocument is one document of an event, its bytes in standard base64.
type supDocument struct {
	Name          string `json:"name"`
	ContentBase64 string `json:"contentBase64"`
}

// supEventsRoute is the events route, whose body may carry documents.
const supEventsRoute = "/api/v1/supervision/:orderLineId/events"

// supAPIBodyLimit bounds an event with documents: the page uploads' limits
// (the most files one action may carry at the largest size) in base64,
// plus the JSON around them.
func (s *Server) supAPIBodyLimit() string {
	return strconv.FormatInt(10*s.Supervision.MaxFile()*4/3+1<<20, 10)
}

// apiSupervisionEvent applies a buyer event: 201 when it moved the flow,
// 200 with the flow as it is when the same eventId comes again; 409 when
// the node does not allow it or an appeal is open, 404 for an unknown
// line; 422 for a document that is not base64, of a type or size the
// pages refuse too, or too many of them.
func (s *Server) apiSupervisionEvent(c echo.Context) error {
	var req supEventRequest
	if err := decodeStrict(c.Request().Body, "", &req); err != nil {
		return err
	}
	files, err := supDocuments(req.Documents)
	if err != nil {
		return err
	}
	line := c.Param("orderLineId")
	res, created, err := s.Supervision.BuyerEvent(c.Request().Context(), line, req.EventID, req.Event, req.Text, files)
	if err != nil {
		return err
	}
	return apiCreated(c, created, "/api/v1/supervision/"+url.PathEscape(line)+"/events", res)
}

// supDocuments checks each document's base64 without holding its bytes
// and gives the service readers that decode as the store writes.
func supDocuments(docs []supDocument) ([]ms.Upload, error) {
	v := &models.ValidationError{}
	var out []ms.Upload
	for i, d := range docs {
		at := fmt.Sprintf("documents[%d].", i)
		if strings.TrimSpace(d.Name) == "" {
			v.Add(at+"name", models.M("err.required"))
		}
		if _, err := io.Copy(io.Discard, base64.NewDecoder(base64.StdEncoding, strings.NewReader(d.ContentBase64))); err != nil {
			v.Add(at+"contentBase64", models.M("supervision.err.base64"))
		}
		out = append(out, ms.Upload{Name: d.Name, R: base64.NewDecoder(base64.StdEncoding, strings.NewReader(d.ContentBase64))})
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
