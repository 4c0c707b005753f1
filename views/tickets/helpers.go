package tickets

import (
	"fmt"
	"net/url"
	"time"

	"github.com/sellercenter/sellercenter/models"
	mt "github.com/sellercenter/sellercenter/models/tickets"
	"github.com/sellercenter/sellercenter/views"
)

// ListData is the 工单 list.
type ListData struct {
	Page     mt.Page
	Query    url.Values // the submitted filter, echoed into the form and links
	Err      *models.ValidationError
	WarnLeft time.Duration
}

// DetailData is one ticket's conversation page.
type DetailData struct {
	D        *mt.Detail
	WarnLeft time.Duration
	MaxMB    int64
	Err      *models.ValidationError // a refused reply (422)
	Refused  *models.Msg             // a refused action (409), e.g. a reply to a closed ticket
	Body     string                  // the refused reply's text, kept for another try
	Kind     string
}

// ReportData is the SLA report.
type ReportData struct {
	R      *mt.Report
	Target time.Duration
}

// ClockOf is a ticket clock for views.LiveClock.
func ClockOf(c mt.Clock, warnLeft time.Duration) views.ClockView {
	return views.ClockView{Status: c.Status, Left: c.Left, Ticking: c.Ticking, WarnLeft: warnLeft, Response: c.Response}
}

func stateClass(s models.TicketState) string {
	switch s {
	case models.TicketPending:
		return "warn"
	case models.TicketProcessing, models.TicketAwaiting:
		return "info"
	case models.TicketDone:
		return "ok"
	}
	return ""
}

// Minutes renders a duration as minutes with one decimal.
func Minutes(d time.Duration) string { return fmt.Sprintf("%.1f", d.Minutes()) }

// Percent renders a share as a percentage.
func Percent(f float64) string { return fmt.Sprintf("%.0f%%", f*100) }

func eventText(e models.TicketEvent) string {
	switch e.Kind {
	case models.TicketEvState:
		return "tickets.ev.state"
	default:
		return "tickets.ev." + e.Kind
	}
}

func who(d *mt.Detail, id *int64) string {
	if id == nil {
		return ""
	}
	return d.Names[*id]
}

// BuyerListData is the buyer's own tickets.
type BuyerListData struct {
	Page mt.Page
}

// BuyerDetailData is a buyer's ticket page.
type BuyerDetailData struct {
	D       *mt.Detail
	Err     *models.ValidationError
	Refused *models.Msg
	Body    string
	MaxMB   int64 // the largest attachment, for the form's hint
}

// BuyerNewData is the buyer's form to open a ticket.
type BuyerNewData struct {
	Products []mt.BuyerProduct
	Err      *models.ValidationError
	Product  string
	Title    string
	Content  string
}
