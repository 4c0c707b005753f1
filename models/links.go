package models

import "net/url"

// Screen names a page a model's item leads to. Models know which record or
// which filter an item is about, but the URL is the views' business
// (views/paths), so models never spell a path and a route can move without
// touching them.
type Screen string

// The pages models point at.
const (
	ScreenInterfaceMessages Screen = "interface-messages" // the message log, Query its filter
	ScreenInterfaceMessage  Screen = "interface-message"  // one call with its attempts, by the call's ID
	ScreenDemands           Screen = "demands"            // the merchant's demands, Query its filter
	ScreenAdminDemands      Screen = "admin-demands"      // operations' demands, Query its filter
	ScreenDemand            Screen = "demand"             // one demand, by ID
	ScreenTickets           Screen = "tickets"            // the merchant's tickets, Query its filter
	ScreenTicket            Screen = "ticket"             // one ticket, by ID
	ScreenNotifications     Screen = "notifications"      // the merchant's notifications
	ScreenInvoices          Screen = "invoices"           // the invoice list, Query its filter
	ScreenInvoice           Screen = "invoice"            // one customer invoice, by ID
	ScreenSupervision       Screen = "supervision"        // the merchant's supervised flows, Query its filter
	ScreenSupervisionFlow   Screen = "supervision-flow"   // one flow, by ID
	ScreenAppeals           Screen = "appeals"            // operations' appeal queue, Query its filter
	ScreenAppeal            Screen = "appeal"             // one appeal, by ID
)

// Screens lists every Screen, so views can prove each one has a route.
var Screens = []Screen{ScreenInterfaceMessages, ScreenInterfaceMessage, ScreenDemands, ScreenAdminDemands, ScreenDemand,
	ScreenTickets, ScreenTicket, ScreenNotifications, ScreenInvoices, ScreenInvoice,
	ScreenSupervision, ScreenSupervisionFlow, ScreenAppeals, ScreenAppeal}

// Link is where an item leads: a page and, for a detail page, the record's
// ID, for a list page, the filter that shows what the item counted.
type Link struct {
	To    Screen
	ID    int64
	Query url.Values
}

// LinkTo is the link to one record's page.
func LinkTo(p Screen, id int64) Link { return Link{To: p, ID: id} }

// LinkFiltered is the link to a list page showing what a filter selects;
// kv are the filter's key/value pairs.
func LinkFiltered(p Screen, kv ...string) Link {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	return Link{To: p, Query: q}
}
