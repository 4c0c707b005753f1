package views

import (
	"context"
	"strings"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/views/paths"
)

// NavItem is one link of the side navigation.
type NavItem struct {
	Group  string // catalog id of the group heading
	Label  string // catalog id
	Route  paths.Route
	Perm   models.Permission
	TestID string
}

// nav lists every area that has pages; each viewer sees what their role grants.
var nav = []NavItem{
	{"nav.group.home", "nav.overview", paths.Overview, models.PermOverview, "nav-overview"},
	{"nav.group.home", "nav.buyer_home", paths.Buyer, models.PermBuyerPortal, "nav-buyer"},
	{"nav.group.home", "nav.buyer_invoices", paths.BuyerInvoices, models.PermBuyerPortal, "nav-buyer-invoices"},
	{"nav.group.home", "nav.buyer_tickets", paths.BuyerTickets, models.PermBuyerPortal, "nav-buyer-tickets"},
	{"nav.group.home", "nav.buyer_supervision", paths.BuyerSupervision, models.PermBuyerPortal, "nav-buyer-supervision"},
	{"nav.group.trade", "nav.orders", paths.Orders, models.PermOrdersView, "nav-orders"},
	{"nav.group.trade", "nav.invoices", paths.Invoices, models.PermInvoicesView, "nav-invoices"},
	{"nav.group.trade", "nav.exports", paths.Exports, models.PermOrdersExport, "nav-exports"},
	{"nav.group.service", "nav.demands", paths.Demands, models.PermDemands, "nav-demands"},
	{"nav.group.service", "nav.tickets", paths.Tickets, models.PermTickets, "nav-tickets"},
	{"nav.group.service", "nav.supervision", paths.Supervision, models.PermOrdersView, "nav-supervision"},
	{"nav.group.app", "nav.interface_messages", paths.InterfaceMessages, models.PermInterfaceLog, "nav-interface-messages"},
	{"nav.group.app", "nav.debugger", paths.Debugger, models.PermDebugger, "nav-debugger"},
	{"nav.group.admin", "nav.admin_merchants", paths.AdminMerchants, models.PermAdminMerchants, "nav-admin-merchants"},
	{"nav.group.admin", "nav.admin_users", paths.AdminUsers, models.PermAdminMerchants, "nav-admin-users"},
	{"nav.group.admin", "nav.admin_products", paths.AdminProducts, models.PermAdminProducts, "nav-admin-products"},
	{"nav.group.admin", "nav.admin_demands", paths.AdminDemands, models.PermAdminDemands, "nav-admin-demands"},
	{"nav.group.admin", "ops.nav.admin_tickets", paths.Tickets, models.PermAdminTickets, "nav-admin-tickets"},
	{"nav.group.admin", "nav.appeals", paths.Appeals, models.PermAdminAppeals, "nav-appeals"},
	{"nav.group.admin", "nav.admin_supervision", paths.AdminSupervision, models.PermAdminAppeals, "nav-admin-supervision"},
	{"nav.group.admin", "nav.admin_holidays", paths.AdminHolidays, models.PermAdminCalendar, "nav-admin-holidays"},
	{"nav.group.admin", "nav.admin_invoices", paths.Invoices, models.PermAdminInvoices, "nav-admin-invoices"},
	{"nav.group.admin", "nav.admin_statements", paths.AdminStatements, models.PermAdminInvoices, "nav-admin-statements"},
	{"nav.group.admin", "nav.admin_audit", paths.AdminAudit, models.PermAdminAudit, "nav-admin-audit"},
	{"nav.group.settings", "nav.notifications", paths.Notifications, models.PermNotifications, "nav-notifications"},
	{"nav.group.settings", "nav.products", paths.Products, models.PermEndpointSettings, "nav-products"},
	{"nav.group.settings", "nav.endpoint", paths.Endpoint, models.PermEndpointSettings, "nav-endpoint"},
	{"nav.group.settings", "nav.invoice_settings", paths.InvoiceSettings, models.PermInvoiceSettings, "nav-invoice-settings"},
	{"nav.group.settings", "nav.reception", paths.Reception, models.PermReception, "nav-reception"},
	{"nav.group.settings", "nav.users", paths.Users, models.PermUsersManage, "nav-users"},
	{"nav.group.settings", "nav.audit", paths.Audit, models.PermMerchantAudit, "nav-audit"},
	{"nav.group.settings", "nav.profile", paths.Profile, models.PermProfile, "nav-profile"},
}

// navAlso shows a link under a second permission too (its route is
// guarded by either): the product list serves who add products and who
// edit their 服务监管 settings.
var navAlso = map[string]models.Permission{"nav-products": models.PermSupSettings}

// NavGroup is a heading with its links.
type NavGroup struct {
	Label string
	Items []NavItem
}

// NavFor returns the groups of links visible to the viewer, in order.
func NavFor(ctx context.Context) []NavGroup {
	var out []NavGroup
	for _, it := range nav {
		if also, ok := navAlso[it.TestID]; !Can(ctx, it.Perm) && !(ok && Can(ctx, also)) {
			continue
		}
		if len(out) == 0 || out[len(out)-1].Label != it.Group {
			out = append(out, NavGroup{Label: it.Group})
		}
		g := &out[len(out)-1]
		g.Items = append(g.Items, it)
	}
	return out
}

// Active reports whether r is the current section: of the viewer's
// navigation links matching the path, only the most specific one, so
// /buyer/tickets lights 我的工单 and not also 买家首页 (/buyer).
func Active(ctx context.Context, r paths.Route) bool {
	p := MetaOf(ctx).Path
	best := ""
	for _, g := range NavFor(ctx) {
		for _, it := range g.Items {
			if href := it.Route.String(); matches(p, href) && len(href) > len(best) {
				best = href
			}
		}
	}
	return best != "" && best == r.String()
}

func matches(p, href string) bool {
	if href == paths.Home.String() {
		return p == href
	}
	return p == href || strings.HasPrefix(p, href+"/")
}

// AppName is the product's name in the top bar: 买家中心 for buyers, whose
// pages are not a seller's, 卖家中心 for everybody else.
func AppName(ctx context.Context) string {
	if u := MetaOf(ctx).User; u != nil && u.Role == models.RoleBuyer {
		return T(ctx, "ops.app.buyer_name")
	}
	return T(ctx, "app.name")
}

// HomeRoute is where the brand links: the buyer's home for buyers.
func HomeRoute(ctx context.Context) paths.Route {
	if u := MetaOf(ctx).User; u != nil && u.Role == models.RoleBuyer {
		return paths.Buyer
	}
	return paths.Home
}
