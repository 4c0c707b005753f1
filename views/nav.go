package views

import (
	"context"
	"strings"

	"github.com/sellercenter/sellercenter/models"
)

// NavItem is one link of the side navigation.
type NavItem struct {
	Group  string // catalog id of the group heading
	Label  string // catalog id
	Href   string
	Perm   models.Permission
	TestID string
}

// nav lists every area that has pages; each viewer sees what their role grants.
var nav = []NavItem{
	{"nav.group.home", "nav.overview", "/", models.PermOverview, "nav-overview"},
	{"nav.group.home", "nav.buyer_home", "/buyer", models.PermBuyerPortal, "nav-buyer"},
	{"nav.group.home", "nav.buyer_tickets", "/buyer/tickets", models.PermBuyerPortal, "nav-buyer-tickets"},
	{"nav.group.trade", "nav.orders", "/orders", models.PermOrdersView, "nav-orders"},
	{"nav.group.trade", "nav.exports", "/exports", models.PermOrdersExport, "nav-exports"},
	{"nav.group.service", "nav.demands", "/demands", models.PermDemands, "nav-demands"},
	{"nav.group.service", "nav.tickets", "/tickets", models.PermTickets, "nav-tickets"},
	{"nav.group.app", "nav.interface_messages", "/interface-messages", models.PermInterfaceLog, "nav-interface-messages"},
	{"nav.group.app", "nav.debugger", "/debugger", models.PermDebugger, "nav-debugger"},
	{"nav.group.admin", "nav.admin_merchants", "/admin/merchants", models.PermAdminMerchants, "nav-admin-merchants"},
	{"nav.group.admin", "nav.admin_products", "/admin/products", models.PermAdminProducts, "nav-admin-products"},
	{"nav.group.admin", "nav.admin_demands", "/admin/demands", models.PermAdminDemands, "nav-admin-demands"},
	{"nav.group.admin", "nav.admin_holidays", "/admin/holidays", models.PermAdminCalendar, "nav-admin-holidays"},
	{"nav.group.admin", "nav.admin_audit", "/admin/audit", models.PermAdminAudit, "nav-admin-audit"},
	{"nav.group.settings", "nav.notifications", "/notifications", models.PermNotifications, "nav-notifications"},
	{"nav.group.settings", "nav.products", "/settings/products", models.PermEndpointSettings, "nav-products"},
	{"nav.group.settings", "nav.endpoint", "/settings/endpoint", models.PermEndpointSettings, "nav-endpoint"},
	{"nav.group.settings", "nav.reception", "/settings/reception", models.PermReception, "nav-reception"},
	{"nav.group.settings", "nav.users", "/settings/users", models.PermUsersManage, "nav-users"},
	{"nav.group.settings", "nav.audit", "/settings/audit", models.PermMerchantAudit, "nav-audit"},
	{"nav.group.settings", "nav.profile", "/settings/profile", models.PermProfile, "nav-profile"},
}

// NavGroup is a heading with its links.
type NavGroup struct {
	Label string
	Items []NavItem
}

// NavFor returns the groups of links visible to the viewer, in order.
func NavFor(ctx context.Context) []NavGroup {
	var out []NavGroup
	for _, it := range nav {
		if !Can(ctx, it.Perm) {
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

// Active reports whether href is the current section.
func Active(ctx context.Context, href string) bool {
	p := MetaOf(ctx).Path
	if href == "/" {
		return p == "/"
	}
	return p == href || strings.HasPrefix(p, href+"/")
}
