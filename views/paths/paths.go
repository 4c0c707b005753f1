// Package paths is the one table of the app's page routes: web registers each
// pattern, views build links from the same names, so a path is written once
// and a test proves every name is routed.
package paths

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/a-h/templ"

	"github.com/sellercenter/sellercenter/models"
)

// Route is a named page route; Pattern is in echo's syntax (":id").
type Route struct{ Pattern string }

// URL fills the pattern's parameters in order.
func (r Route) URL(args ...any) templ.SafeURL { return templ.SafeURL(r.String(args...)) }

// String is URL as a plain string (redirects, form actions built in Go).
func (r Route) String(args ...any) string {
	parts := strings.Split(r.Pattern, "/")
	i := 0
	for j, p := range parts {
		if strings.HasPrefix(p, ":") {
			if i >= len(args) {
				panic("paths: " + r.Pattern + " needs more arguments")
			}
			parts[j] = url.PathEscape(fmt.Sprint(args[i]))
			i++
		}
	}
	if i != len(args) {
		panic("paths: " + r.Pattern + " takes fewer arguments")
	}
	return strings.Join(parts, "/")
}

// With is the route's URL with a query string (empty values dropped).
func (r Route) With(q url.Values, args ...any) templ.SafeURL {
	u := r.String(args...)
	clean := url.Values{}
	for k, vs := range q {
		for _, v := range vs {
			if v != "" {
				clean.Add(k, v)
			}
		}
	}
	if len(clean) > 0 {
		u += "?" + clean.Encode()
	}
	return templ.SafeURL(u)
}

// pages are the routes of the pages models point at (models.Link).
var pages = map[models.Screen]Route{
	models.ScreenInterfaceMessages: InterfaceMessages,
	models.ScreenInterfaceMessage:  InterfaceMessage,
	models.ScreenDemands:           Demands,
	models.ScreenAdminDemands:      AdminDemands,
	models.ScreenDemand:            Demand,
	models.ScreenTickets:           Tickets,
	models.ScreenTicket:            Ticket,
	models.ScreenNotifications:     Notifications,
	models.ScreenInvoices:          Invoices,
	models.ScreenInvoice:           Invoice,
	models.ScreenSupervision:       Supervision,
	models.ScreenSupervisionFlow:   SupervisionFlow,
	models.ScreenAppeals:           Appeals,
	models.ScreenAppeal:            Appeal,
}

// Of is the URL of a link a model gave; a link to no page has none.
func Of(l models.Link) templ.SafeURL {
	if l.To == "" {
		return ""
	}
	r, ok := pages[l.To]
	if !ok {
		panic("paths: no route for page " + string(l.To))
	}
	if strings.Contains(r.Pattern, ":") {
		return r.With(l.Query, l.ID)
	}
	return r.With(l.Query)
}

func route(p string) Route { return Route{Pattern: p} }

// The page routes. Names say what the page is; the API (/api/v1) is the
// marketplace's contract and keeps its own table in web/api.go.
var (
	Home  = route("/")
	Login = route("/login")
	// 忘记密码: the request form, and the page a reset link opens.
	ForgotPassword = route("/password/forgot")
	ResetPassword  = route("/password/reset")
	Logout         = route("/logout")
	Lang           = route("/lang")
	Healthz        = route("/healthz")
	Metrics        = route("/metrics")
	Favicon        = route("/favicon.ico")
	Buyer          = route("/buyer")
	Overview       = Home

	Users        = route("/settings/users")
	UserRole     = route("/settings/users/:id/role")
	UserStatus   = route("/settings/users/:id/status")
	UserPassword = route("/settings/users/:id/password")
	InviteCancel = route("/settings/users/invitations/:id/cancel")
	Profile      = route("/settings/profile")
	Password     = route("/settings/password")
	Audit        = route("/settings/audit")
	Products     = route("/settings/products")
	Endpoint     = route("/settings/endpoint")
	Keys         = route("/settings/keys")
	KeyRevoke    = route("/settings/keys/:id/revoke")
	KeyImport    = route("/settings/keys/import")
	Reception    = route("/settings/reception")

	Notifications     = route("/notifications")
	NotificationsRead = route("/notifications/read")

	Orders             = route("/orders")
	Order              = route("/orders/:id")
	OrderRevealCreds   = route("/orders/:id/reveal-credentials")
	OrderRevealBuyer   = route("/orders/:id/reveal-buyer")
	Exports            = route("/exports")
	ExportDownload     = route("/exports/:id/download")
	ExportRetry        = route("/exports/:id/retry")
	InterfaceMessages  = route("/interface-messages")
	InterfaceMessage   = route("/interface-messages/:id")
	InterfaceRestart   = route("/interface-messages/:id/restart")
	Debugger           = route("/debugger")
	DebuggerSend       = route("/debugger/send")
	DebuggerCases      = route("/debugger/cases")
	DebuggerCaseRun    = route("/debugger/cases/:id/run")
	DebuggerCaseDelete = route("/debugger/cases/:id/delete")
	DebuggerCalc       = route("/debugger/calc")

	Demands      = route("/demands")
	Demand       = route("/demands/:id")
	DemandAccept = route("/demands/:id/accept")
	DemandReject = route("/demands/:id/reject")
	DemandNotes  = route("/demands/:id/notes")
	DemandLink   = route("/demands/:id/link")
	DemandClose  = route("/demands/:id/close")

	Invoices    = route("/invoices")
	Invoice     = route("/invoices/:id")
	InvoiceAct  = route("/invoices/:id/act/:action")
	InvoiceFile = route("/invoices/:id/file")

	InvoiceReconcile = route("/invoices/reconcile")
	PlatformFees     = route("/invoices/platform")
	PlatformFee      = route("/invoices/platform/:id")
	PlatformFeeAct   = route("/invoices/platform/:id/act/:action")
	PlatformFeeFile  = route("/invoices/platform/:id/file")
	StatementPaid    = route("/invoices/statements/:id/paid")
	Statement        = route("/invoices/statements/:id")
	InvoiceSettings  = route("/settings/invoices")

	BuyerInvoices      = route("/buyer/invoices")
	BuyerInvoiceRevoke = route("/buyer/invoices/:id/revoke")
	BuyerInvoiceFile   = route("/buyer/invoices/:id/file")

	Tickets              = route("/tickets")
	TicketsReport        = route("/tickets/report")
	Ticket               = route("/tickets/:id")
	TicketAction         = route("/tickets/:id/action")
	TicketAssign         = route("/tickets/:id/assign")
	TicketReply          = route("/tickets/:id/reply")
	TicketFile           = route("/tickets/:id/attachments/:aid")
	BuyerTickets         = route("/buyer/tickets")
	BuyerTicketNew       = route("/buyer/tickets/new")
	BuyerTicket          = route("/buyer/tickets/:id")
	BuyerTicketReply     = route("/buyer/tickets/:id/reply")
	BuyerTicketConfirm   = route("/buyer/tickets/:id/confirm")
	BuyerTicketRevoke    = route("/buyer/tickets/:id/revoke")
	BuyerTicketFile      = route("/buyer/tickets/:id/attachments/:aid")
	AdminDemands         = route("/admin/demands")
	AdminDemand          = route("/admin/demands/:id")
	AdminDemandWindow    = route("/admin/demands/window")
	AdminHolidays        = route("/admin/holidays")
	AdminHolidayRemove   = route("/admin/holidays/remove")
	AdminHolidayImport   = route("/admin/holidays/import")
	AdminAudit           = route("/admin/audit")
	AdminMerchants       = route("/admin/merchants")
	AdminUsers           = route("/admin/users")
	AdminUserPassword    = route("/admin/users/:id/password")
	AdminMerchant        = route("/admin/merchants/:id")
	AdminMerchantStatus  = route("/admin/merchants/:id/status")
	AdminProducts        = route("/admin/products")
	AdminProductUnfreeze = route("/admin/products/:id/unfreeze")
	AdminProductClear    = route("/admin/products/:id/clear-flag")

	Supervision          = route("/supervision")
	SupervisionFlow      = route("/supervision/:id")
	SupervisionAct       = route("/supervision/:id/act")
	SupervisionAppeal    = route("/supervision/:id/appeal")
	SupervisionDoc       = route("/supervision/:id/documents/:did")
	BuyerSupervision     = route("/buyer/supervision")
	BuyerSupervisionFlow = route("/buyer/supervision/:id")
	BuyerSupervisionAct  = route("/buyer/supervision/:id/act")
	BuyerSupervisionDoc  = route("/buyer/supervision/:id/documents/:did")
	Appeals              = route("/appeals")
	Appeal               = route("/appeals/:id")
	AppealRule           = route("/appeals/:id/rule")
	AppealPack           = route("/appeals/:id/evidence.zip")
	AppealDoc            = route("/appeals/:id/documents/:did")
	AdminSupervision     = route("/admin/supervision")
	AdminStatements      = route("/admin/statements")
	AdminCommission      = route("/admin/statements/commission")
	ProductSupervision   = route("/settings/products/:id/supervision")
	// The product's requirement template (需求模板): from its settings, a
	// flow's merchant page and the flow's buyer page.
	ProductSupTemplate       = route("/settings/products/:id/supervision/template")
	SupervisionTemplate      = route("/supervision/:id/template")
	BuyerSupervisionTemplate = route("/buyer/supervision/:id/template")
)
