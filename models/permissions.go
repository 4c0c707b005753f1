package models

// Permission names one action a handler may perform. Every handler is guarded
// by exactly one permission, checked through Role.Can, so the table below is
// the single place that says who may do what.
type Permission string

const (
	PermOverview         Permission = "overview"
	PermOverviewFigures  Permission = "overview.figures" // order, provisioning and money figures on 总览
	PermOrdersView       Permission = "orders.view"
	PermOrdersExport     Permission = "orders.export"
	PermCredentialsView  Permission = "credentials.view"
	PermBuyerPIIView     Permission = "buyer_pii.view"
	PermInvoices         Permission = "invoices"      // act on invoices: issue, reject, return (finance, owner)
	PermInvoicesView     Permission = "invoices.view" // read invoices, statements and reconciliation
	PermInvoiceSettings  Permission = "settings.invoices"
	PermSupervision      Permission = "supervision"
	PermAppealsFile      Permission = "appeals.file"
	PermDemands          Permission = "demands"
	PermTickets          Permission = "tickets"
	PermInterfaceLog     Permission = "interface_log"
	PermInterfaceRestart Permission = "interface_log.restart"
	PermDebugger         Permission = "debugger"
	PermEndpointSettings Permission = "settings.endpoint"
	PermSupSettings      Permission = "settings.supervision" // a product's 服务监管 settings and requirement template
	PermReception        Permission = "settings.reception"
	PermUsersManage      Permission = "settings.users"
	PermMerchantAudit    Permission = "settings.audit"
	PermNotifications    Permission = "notifications"
	PermProfile          Permission = "profile"

	PermAdminAudit     Permission = "admin.audit"
	PermAdminMerchants Permission = "admin.merchants"
	PermAdminAppeals   Permission = "admin.appeals"
	PermAdminDemands   Permission = "admin.demands"
	PermAdminProducts  Permission = "admin.products"
	PermAdminCalendar  Permission = "admin.calendar" // the public-holiday calendar (节假日)
	PermAdminInvoices  Permission = "admin.invoices" // every merchant's invoices; commission, statements, platform fees
	PermAdminTickets   Permission = "admin.tickets"  // read every merchant's tickets; no reply, action or assignment

	PermBuyerPortal Permission = "buyer.portal"
)

var merchantCommon = []Permission{PermOverview, PermNotifications, PermProfile}

// rolePermissions is the permission table. A role not listed may do nothing.
var rolePermissions = map[Role][]Permission{
	RoleOwner: append([]Permission{
		PermOrdersView, PermOrdersExport, PermCredentialsView, PermBuyerPIIView, PermInvoices,
		PermInvoicesView, PermInvoiceSettings, PermSupervision, PermAppealsFile, PermDemands, PermTickets, PermInterfaceLog,
		PermInterfaceRestart, PermDebugger, PermEndpointSettings, PermSupSettings, PermReception,
		PermUsersManage, PermMerchantAudit, PermOverviewFigures,
	}, merchantCommon...),
	RoleOperations: append([]Permission{
		PermOrdersView, PermOrdersExport, PermInvoicesView, PermSupervision, PermAppealsFile, PermDemands,
		PermTickets, PermInterfaceLog, PermReception, PermSupSettings,
	}, merchantCommon...),
	RoleDelivery: append([]Permission{
		PermOrdersView, PermSupervision, PermAppealsFile, PermTickets, PermInterfaceLog,
	}, merchantCommon...),
	RoleTech: append([]Permission{
		PermOrdersView, PermCredentialsView, PermInterfaceLog, PermInterfaceRestart,
		PermDebugger, PermEndpointSettings, PermTickets,
	}, merchantCommon...),
	RoleFinance: append([]Permission{
		PermOrdersView, PermOrdersExport, PermInvoices, PermInvoicesView, PermOverviewFigures,
	}, merchantCommon...),
	RoleReadOnly: append([]Permission{
		PermOrdersView, PermInterfaceLog, PermInvoicesView,
	}, merchantCommon...),
	RoleOpsManager: {
		PermOverview, PermNotifications, PermProfile, PermOrdersView, PermOrdersExport,
		PermInterfaceLog, PermAdminAudit, PermAdminMerchants, PermAdminAppeals,
		PermAdminDemands, PermAdminProducts, PermAdminCalendar, PermAdminInvoices, PermAdminTickets,
	},
	RoleBuyer: {PermBuyerPortal, PermProfile},
}

var permIndex = func() map[Role]map[Permission]bool {
	idx := make(map[Role]map[Permission]bool, len(rolePermissions))
	for r, ps := range rolePermissions {
		m := make(map[Permission]bool, len(ps))
		for _, p := range ps {
			m[p] = true
		}
		idx[r] = m
	}
	return idx
}()

// Can reports whether the role grants the permission.
func (r Role) Can(p Permission) bool { return permIndex[r][p] }
