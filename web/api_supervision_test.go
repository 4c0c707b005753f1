package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/sellercenter/sellercenter/models"
)

// supervisedOrder records order orderID through the API and starts its
// first line's supervision flow, as the core does when the merchant's
// create answers for a supervised product; it returns the line's id.
func (a *apiEnv) supervisedOrder(orderID string) int64 {
	a.t.Helper()
	body := orderJSON(a.t, func(o map[string]any) {
		o["orderId"] = orderID
		line0(o)["orderLineId"] = orderID + "-1"
	})
	if r := a.authed(http.MethodPost, "/api/v1/orders", body); r.status != http.StatusCreated {
		a.t.Fatalf("order: %d %s", r.status, r.body)
	}
	var line models.OrderLine
	if err := a.db.Gorm.Where("order_line_id = ?", orderID+"-1").Take(&line).Error; err != nil {
		a.t.Fatal(err)
	}
	if err := a.db.Gorm.Model(&line).Update("status", models.LineSupervising).Error; err != nil {
		a.t.Fatal(err)
	}
	if err := a.sup.Start(context.Background(), line.ID); err != nil {
		a.t.Fatal(err)
	}
	return line.ID
}

type supEventView struct {
	EventID string `json:"eventId"`
	Event   string `json:"event"`
	Node    string `json:"node"`
	Appeal  string `json:"appeal"`
}

func (a *apiEnv) supState(orderID string) (node, appeal string) {
	a.t.Helper()
	var got struct {
		Lines []struct {
			Supervision *struct {
				Node   string `json:"node"`
				Appeal string `json:"appeal"`
			} `json:"supervision"`
		} `json:"lines"`
	}
	r := a.authed(http.MethodGet, "/api/v1/orders/"+orderID, "")
	if r.status != http.StatusOK {
		a.t.Fatalf("GET order %d", r.status)
	}
	r.decode(a.t, &got)
	if len(got.Lines) != 1 || got.Lines[0].Supervision == nil {
		a.t.Fatalf("no supervision on the line: %s", r.body)
	}
	return got.Lines[0].Supervision.Node, got.Lines[0].Supervision.Appeal
}

func TestSupervisionAPIEventsMoveTheFlowOnceAndRefuseWhatTheNodeDoesNot(t *testing.T) {
	a := newAPIEnv(t)
	// An unsupervised line carries no supervision.
	if r := a.authed(http.MethodPost, "/api/v1/orders", orderJSON(t, nil)); r.status != http.StatusCreated {
		t.Fatalf("plain order %d", r.status)
	}
	if r := a.authed(http.MethodGet, "/api/v1/orders/CS-0001", ""); r.status != http.StatusOK ||
		strings.Contains(string(r.body), `"supervision"`) {
		t.Fatalf("an unsupervised line shows supervision: %s", r.body)
	}

	a.supervisedOrder("CS-SUP")
	if n, ap := a.supState("CS-SUP"); n != "requirements" || ap != "none" {
		t.Fatalf("start %s/%s", n, ap)
	}
	ev := `{"eventId":"e1","event":"submit_requirements","text":"two sites"}`
	r := a.authed(http.MethodPost, "/api/v1/supervision/CS-SUP-1/events", ev)
	if r.status != http.StatusCreated {
		t.Fatalf("submit %d %s", r.status, r.body)
	}
	var v supEventView
	r.decode(t, &v)
	if v.Node != "confirm" || v.Appeal != "none" || v.EventID != "e1" {
		t.Fatalf("submit answer %+v", v)
	}
	if r := a.authed(http.MethodPost, "/api/v1/supervision/CS-SUP-1/events", ev); r.status != http.StatusOK {
		t.Fatalf("repeat %d %s", r.status, r.body)
	}
	var events int64
	a.db.Gorm.Model(&models.SupEvent{}).Where("kind = ?", models.SupEvSubmitted).Count(&events)
	if events != 1 {
		t.Fatalf("the repeat recorded again: %d", events)
	}
	// accept at confirm: not allowed at the node.
	e := a.authed(http.MethodPost, "/api/v1/supervision/CS-SUP-1/events", `{"eventId":"e2","event":"accept"}`).
		apiError(t, http.StatusConflict)
	if e.Error.Code == "" {
		t.Fatal("no code")
	}
	// Not allowed at the node comes before a missing reason: 409, not 422.
	a.authed(http.MethodPost, "/api/v1/supervision/CS-SUP-1/events", `{"eventId":"e2b","event":"reject"}`).
		apiError(t, http.StatusConflict)
	// An appeal freezes the flow: any buyer event is refused while it is open.
	if r := a.authed(http.MethodPost, "/api/v1/supervision/CS-SUP-1/events",
		`{"eventId":"e3","event":"appeal","text":"the merchant does not answer"}`); r.status != http.StatusCreated {
		t.Fatalf("appeal %d %s", r.status, r.body)
	}
	if n, ap := a.supState("CS-SUP"); n != "confirm" || ap != "open" {
		t.Fatalf("after appeal %s/%s", n, ap)
	}
	a.authed(http.MethodPost, "/api/v1/supervision/CS-SUP-1/events", `{"eventId":"e4","event":"reject","text":"it does not work"}`).
		apiError(t, http.StatusConflict)
	a.authed(http.MethodPost, "/api/v1/supervision/CS-SUP-1/events", `{"eventId":"e4b","event":"accept"}`).
		apiError(t, http.StatusConflict)
	// Unknown line, bad body, unknown event.
	a.authed(http.MethodPost, "/api/v1/supervision/NOPE-1/events", `{"eventId":"e5","event":"accept"}`).
		apiError(t, http.StatusNotFound)
	a.authed(http.MethodPost, "/api/v1/supervision/CS-SUP-1/events", `{"eventId":"e6","event":"accept","x":1}`).
		apiError(t, http.StatusBadRequest)
	a.authed(http.MethodPost, "/api/v1/supervision/CS-SUP-1/events", `{"eventId":"e7","event":"dance"}`).
		apiError(t, http.StatusUnprocessableEntity)
	// Without a token: 401.
	if r := a.call(http.MethodPost, "/api/v1/supervision/CS-SUP-1/events", nil); r.status != http.StatusUnauthorized {
		t.Fatalf("no token %d", r.status)
	}
}
