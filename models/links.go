package models

import "net/url"

// Page names a page a model's item leads to. Models know which record or
// which filter an item is about, but the URL is the views' business
// (views/paths), so models never spell a path and a route can move without
// touching them.
type Page string

// The pages models point at.
const (
	PageInterfaceMessages Page = "interface-messages" // the message log, Query its filter
	PageInterfaceMessage  Page = "interface-message"  // one attempt, by ID
	PageDemands           Page = "demands"            // the merchant's demands, Query its filter
	PageAdminDemands      Page = "admin-demands"      // operations' demands, Query its filter
	PageDemand            Page = "demand"             // one demand, by ID
	PageTickets           Page = "tickets"            // the merchant's tickets, Query its filter
	PageTicket            Page = "ticket"             // one ticket, by ID
	PageNotifications     Page = "notifications"      // the merchant's notifications
)

// Pages lists every Page, so views can prove each one has a route.
var Pages = []Page{PageInterfaceMessages, PageInterfaceMessage, PageDemands, PageAdminDemands, PageDemand,
	PageTickets, PageTicket, PageNotifications}

// Link is where an item leads: a page and, for a detail page, the record's
// ID, for a list page, the filter that shows what the item counted.
type Link struct {
	To    Page
	ID    int64
	Query url.Values
}

// LinkTo is the link to one record's page.
func LinkTo(p Page, id int64) Link { return Link{To: p, ID: id} }

// LinkFiltered is the link to a list page showing what a filter selects;
// kv are the filter's key/value pairs.
func LinkFiltered(p Page, kv ...string) Link {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	return Link{To: p, Query: q}
}
