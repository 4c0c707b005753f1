package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/static"
	"github.com/sellercenter/sellercenter/views/paths"
)

// routes is the whole route table, in one place.
func (s *Server) routes() {
	e := s.echo
	reg := s.Registry
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m := newMetrics(reg)

	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: http.StatusMovedPermanently}))
	e.Use(middleware.Recover(), s.requestLog(), m.middleware, secureHeaders())

	// Machine endpoints and assets: no session, no CSRF.
	e.GET(paths.Healthz.Pattern, s.healthz)
	e.GET(paths.Metrics.Pattern, echo.WrapHandler(promhttp.HandlerFor(reg, promhttp.HandlerOpts{})))
	e.GET("/static/:v/*", s.asset)
	e.GET(paths.Favicon.Pattern, func(c echo.Context) error {
		return c.Redirect(http.StatusMovedPermanently, static.URL("img/favicon.svg"))
	})

	// Marketplace intake API: bearer tokens, JSON, no session or CSRF.
	s.apiRoutes(e.Group("/api/v1"))

	// Browser pages.
	g := e.Group("", middleware.BodyLimit("2M"), s.loadSession, s.csrf())
	g.GET(paths.Login.Pattern, s.loginPage)
	g.POST(paths.Login.Pattern, s.login)
	g.GET(paths.ForgotPassword.Pattern, s.forgotPage)
	g.POST(paths.ForgotPassword.Pattern, s.forgotSend)
	g.GET(paths.ResetPassword.Pattern, s.resetPage)
	g.POST(paths.ResetPassword.Pattern, s.resetSave)
	g.POST(paths.Lang.Pattern, s.setLang)
	g.POST(paths.Logout.Pattern, s.logout, requireLogin)

	g.GET(paths.Home.Pattern, s.home, requireLogin)
	g.GET(paths.Buyer.Pattern, s.buyerHome, need(models.PermBuyerPortal))

	g.GET(paths.Users.Pattern, s.usersPage, need(models.PermUsersManage))
	g.POST(paths.Users.Pattern, s.userCreate, need(models.PermUsersManage))
	g.POST(paths.UserRole.Pattern, s.userRole, need(models.PermUsersManage))
	g.POST(paths.InviteCancel.Pattern, s.inviteCancel, need(models.PermUsersManage))
	g.POST(paths.UserStatus.Pattern, s.userStatus, need(models.PermUsersManage))
	g.POST(paths.UserPassword.Pattern, s.userPassword, need(models.PermUsersManage))
	g.GET(paths.Profile.Pattern, s.profilePage, need(models.PermProfile))
	g.POST(paths.Profile.Pattern, s.profileSave, need(models.PermProfile))
	g.POST(paths.Password.Pattern, s.passwordSave, need(models.PermProfile))
	g.GET(paths.Audit.Pattern, s.auditPage(paths.Audit), need(models.PermMerchantAudit))
	// The product list serves who add products and who edit their 服务监管
	// settings; adding stays with the endpoint right.
	g.GET(paths.Products.Pattern, s.productsPage, needAny(models.PermEndpointSettings, models.PermSupSettings))
	g.POST(paths.Products.Pattern, s.productAdd, need(models.PermEndpointSettings))
	g.GET(paths.Endpoint.Pattern, s.endpointPage, need(models.PermEndpointSettings))
	g.POST(paths.Endpoint.Pattern, s.endpointSave, need(models.PermEndpointSettings))
	g.POST(paths.Keys.Pattern, s.keyRotate, need(models.PermEndpointSettings))
	g.POST(paths.KeyRevoke.Pattern, s.keyRevoke, need(models.PermEndpointSettings))
	g.POST(paths.KeyImport.Pattern, s.keyImport, need(models.PermEndpointSettings))
	g.GET(paths.Notifications.Pattern, s.notificationsPage, need(models.PermNotifications))
	g.POST(paths.NotificationsRead.Pattern, s.notificationsRead, need(models.PermNotifications))

	g.GET(paths.Orders.Pattern, s.ordersList, need(models.PermOrdersView))
	g.GET(paths.Order.Pattern, s.orderDetail, need(models.PermOrdersView))
	g.POST(paths.OrderRevealCreds.Pattern, s.orderRevealCredentials, need(models.PermCredentialsView))
	g.POST(paths.OrderRevealBuyer.Pattern, s.orderRevealBuyer, need(models.PermBuyerPIIView))

	g.GET(paths.Exports.Pattern, s.exportsPage, need(models.PermOrdersExport))
	g.POST(paths.Exports.Pattern, s.exportCreate, need(models.PermOrdersExport))
	g.GET(paths.ExportDownload.Pattern, s.exportDownload, need(models.PermOrdersExport))
	g.POST(paths.ExportRetry.Pattern, s.exportRetry, need(models.PermOrdersExport))

	g.GET(paths.InterfaceMessages.Pattern, s.ilogList, need(models.PermInterfaceLog))
	g.GET(paths.InterfaceMessage.Pattern, s.ilogDetail, need(models.PermInterfaceLog))
	g.POST(paths.InterfaceRestart.Pattern, s.ilogRestart, need(models.PermInterfaceRestart))

	g.GET(paths.Debugger.Pattern, s.debuggerPage, need(models.PermDebugger))
	g.POST(paths.DebuggerSend.Pattern, s.debuggerSend, need(models.PermDebugger))
	g.POST(paths.DebuggerCases.Pattern, s.debuggerSaveCase, need(models.PermDebugger))
	g.POST(paths.DebuggerCaseRun.Pattern, s.debuggerRunCase, need(models.PermDebugger))
	g.POST(paths.DebuggerCaseDelete.Pattern, s.debuggerDeleteCase, need(models.PermDebugger))
	g.POST(paths.DebuggerCalc.Pattern, s.debuggerCalc, need(models.PermDebugger))

	g.GET(paths.Demands.Pattern, s.demandsList, need(models.PermDemands))
	g.GET(paths.Demand.Pattern, s.demandDetail, need(models.PermDemands))
	g.POST(paths.DemandAccept.Pattern, s.demandAccept, need(models.PermDemands))
	g.POST(paths.DemandReject.Pattern, s.demandReject, need(models.PermDemands))
	g.POST(paths.DemandNotes.Pattern, s.demandNote, need(models.PermDemands))
	g.POST(paths.DemandLink.Pattern, s.demandLink, need(models.PermDemands))
	g.POST(paths.DemandClose.Pattern, s.demandClose, need(models.PermDemands))
	g.GET(paths.AdminDemands.Pattern, s.adminDemands, need(models.PermAdminDemands))
	g.GET(paths.AdminDemand.Pattern, s.adminDemandDetail, need(models.PermAdminDemands))
	g.POST(paths.AdminDemands.Pattern, s.adminDemandAssign, need(models.PermAdminDemands))
	g.POST(paths.AdminDemandWindow.Pattern, s.adminDemandWindow, need(models.PermAdminDemands))

	readInvoices := needAny(models.PermInvoicesView, models.PermAdminInvoices)
	g.GET(paths.Invoices.Pattern, s.invoicesList, readInvoices)
	g.GET(paths.Invoice.Pattern, s.invoiceDetail, readInvoices)
	g.GET(paths.InvoiceReconcile.Pattern, s.invoiceReconcile, readInvoices)
	g.POST(paths.PlatformFees.Pattern, s.platformFeeRequest, need(models.PermInvoices))
	g.GET(paths.PlatformFee.Pattern, s.platformFeeDetail, needAny(models.PermInvoices, models.PermAdminInvoices))
	g.GET(paths.PlatformFeeFile.Pattern, s.platformFeeFile, needAny(models.PermInvoices, models.PermAdminInvoices))
	g.POST(paths.StatementPaid.Pattern, s.statementPaid, need(models.PermAdminInvoices))
	g.GET(paths.Statement.Pattern, s.statementDetail, readInvoices)
	g.GET(paths.AdminStatements.Pattern, s.adminStatements, need(models.PermAdminInvoices))
	g.POST(paths.AdminStatements.Pattern, s.adminStatementsGenerate, need(models.PermAdminInvoices))
	g.POST(paths.AdminCommission.Pattern, s.adminCommission, need(models.PermAdminInvoices))
	pf := e.Group(paths.PlatformFeeAct.Pattern, middleware.BodyLimit(invoiceUploadLimit), s.loadSession, s.csrf())
	pf.POST("", s.platformFeeAct, need(models.PermAdminInvoices))
	g.GET(paths.InvoiceSettings.Pattern, s.invoiceSettings, need(models.PermInvoicesView))
	g.POST(paths.InvoiceSettings.Pattern, s.invoiceSettingsSave, need(models.PermInvoiceSettings))
	g.GET(paths.InvoiceFile.Pattern, s.invoiceFile, readInvoices)
	g.GET(paths.BuyerInvoices.Pattern, s.buyerInvoices, need(models.PermBuyerPortal))
	g.POST(paths.BuyerInvoices.Pattern, s.buyerInvoiceRequest, need(models.PermBuyerPortal))
	g.POST(paths.BuyerInvoiceRevoke.Pattern, s.buyerInvoiceRevoke, need(models.PermBuyerPortal))
	g.GET(paths.BuyerInvoiceFile.Pattern, s.invoiceFile, need(models.PermBuyerPortal))
	// The issue form carries the invoice file: its own body limit.
	inv := e.Group(paths.InvoiceAct.Pattern, middleware.BodyLimit(invoiceUploadLimit), s.loadSession, s.csrf())
	inv.POST("", s.invoiceAct, need(models.PermInvoices))

	// Operations read every merchant's tickets; every write stays the merchant's.
	readTickets := needAny(models.PermTickets, models.PermAdminTickets)
	g.GET(paths.Tickets.Pattern, s.ticketsList, readTickets)
	g.GET(paths.TicketsReport.Pattern, s.ticketsReport, need(models.PermTickets))
	g.GET(paths.Ticket.Pattern, s.ticketDetail, readTickets)
	g.POST(paths.TicketAction.Pattern, s.ticketAction, need(models.PermTickets))
	g.POST(paths.TicketAssign.Pattern, s.ticketAssign, need(models.PermTickets))
	g.GET(paths.TicketFile.Pattern, s.ticketFile, readTickets)
	g.GET(paths.BuyerTickets.Pattern, s.buyerTickets, need(models.PermBuyerPortal))
	g.GET(paths.BuyerTicketNew.Pattern, s.buyerTicketNew, need(models.PermBuyerPortal))
	g.POST(paths.BuyerTickets.Pattern, s.buyerTicketOpen, need(models.PermBuyerPortal))
	g.GET(paths.BuyerTicket.Pattern, s.buyerTicket, need(models.PermBuyerPortal))
	g.POST(paths.BuyerTicketConfirm.Pattern, s.buyerTicketConfirm, need(models.PermBuyerPortal))
	g.POST(paths.BuyerTicketRevoke.Pattern, s.buyerTicketRevoke, need(models.PermBuyerPortal))
	g.GET(paths.BuyerTicketFile.Pattern, s.ticketFile, need(models.PermBuyerPortal))
	// Replies carry files: their own body limit (a few attachments of up to
	// 10 MB each), everything else as the pages above.
	up := e.Group(paths.TicketReply.Pattern, middleware.BodyLimit(s.ticketUploadLimit()), s.loadSession, s.csrf())
	up.POST("", s.ticketReply, need(models.PermTickets))
	bup := e.Group(paths.BuyerTicketReply.Pattern, middleware.BodyLimit(s.ticketUploadLimit()), s.loadSession, s.csrf())
	bup.POST("", s.buyerTicketReply, need(models.PermBuyerPortal))

	g.GET(paths.Reception.Pattern, s.receptionPage, need(models.PermReception))
	g.POST(paths.Reception.Pattern, s.receptionSave, need(models.PermReception))
	g.GET(paths.AdminHolidays.Pattern, s.holidaysPage, need(models.PermAdminCalendar))
	g.POST(paths.AdminHolidays.Pattern, s.holidayAdd, need(models.PermAdminCalendar))
	g.POST(paths.AdminHolidayRemove.Pattern, s.holidayRemove, need(models.PermAdminCalendar))
	g.POST(paths.AdminHolidayImport.Pattern, s.holidayImport, need(models.PermAdminCalendar))

	g.GET(paths.AdminAudit.Pattern, s.auditPage(paths.AdminAudit), need(models.PermAdminAudit))
	g.GET(paths.AdminMerchants.Pattern, s.merchantsPage, need(models.PermAdminMerchants))
	g.POST(paths.AdminMerchants.Pattern, s.merchantCreate, need(models.PermAdminMerchants))
	g.GET(paths.AdminUsers.Pattern, s.adminUsersPage, need(models.PermAdminMerchants))
	g.POST(paths.AdminUserPassword.Pattern, s.adminUserPassword, need(models.PermAdminMerchants))
	g.GET(paths.AdminMerchant.Pattern, s.merchantDetail, need(models.PermAdminMerchants))
	g.POST(paths.AdminMerchantStatus.Pattern, s.merchantStatus, need(models.PermAdminMerchants))
	g.GET(paths.AdminProducts.Pattern, s.adminProductsPage, need(models.PermAdminProducts))
	g.POST(paths.AdminProductUnfreeze.Pattern, s.adminProductUnfreeze, need(models.PermAdminProducts))
	g.POST(paths.AdminProductClear.Pattern, s.adminProductClearFlag, need(models.PermAdminProducts))

	// 服务监管: merchant, buyer and operations pages. Actions carry files:
	// their own body limit.
	g.GET(paths.Supervision.Pattern, s.supList, need(models.PermOrdersView))
	g.GET(paths.SupervisionFlow.Pattern, s.supDetail, need(models.PermOrdersView))
	g.GET(paths.SupervisionDoc.Pattern, s.supDoc, need(models.PermOrdersView))
	g.GET(paths.BuyerSupervision.Pattern, s.supBuyerList, need(models.PermBuyerPortal))
	g.GET(paths.BuyerSupervisionFlow.Pattern, s.supBuyerDetail, need(models.PermBuyerPortal))
	g.GET(paths.BuyerSupervisionDoc.Pattern, s.supDoc, need(models.PermBuyerPortal))
	g.GET(paths.Appeals.Pattern, s.appealsQueue, need(models.PermAdminAppeals))
	g.GET(paths.Appeal.Pattern, s.appealDetail, need(models.PermAdminAppeals))
	g.GET(paths.AppealDoc.Pattern, s.supDoc, need(models.PermAdminAppeals))
	g.GET(paths.AppealPack.Pattern, s.appealPack, need(models.PermAdminAppeals))
	g.POST(paths.AppealRule.Pattern, s.appealRule, need(models.PermAdminAppeals))
	g.GET(paths.AdminSupervision.Pattern, s.supPolicyPage, need(models.PermAdminAppeals))
	g.POST(paths.AdminSupervision.Pattern, s.supPolicySave, need(models.PermAdminAppeals))
	g.GET(paths.SupervisionTemplate.Pattern, s.supTemplate, need(models.PermOrdersView))
	g.GET(paths.BuyerSupervisionTemplate.Pattern, s.supTemplate, need(models.PermBuyerPortal))
	g.GET(paths.ProductSupervision.Pattern, s.supSettingsPage, need(models.PermSupSettings))
	g.GET(paths.ProductSupTemplate.Pattern, s.supProductTemplate, need(models.PermSupSettings))
	supUp := []echo.MiddlewareFunc{middleware.BodyLimit(s.supUploadLimit()), s.loadSession, s.csrf()}
	e.POST(paths.ProductSupervision.Pattern, s.supSettingsSave, append(supUp, need(models.PermSupSettings))...)
	e.POST(paths.SupervisionAct.Pattern, s.supAct, append(supUp, need(models.PermSupervision))...)
	e.POST(paths.SupervisionAppeal.Pattern, s.supAppeal, append(supUp, need(models.PermAppealsFile))...)
	e.POST(paths.BuyerSupervisionAct.Pattern, s.supBuyerAct, append(supUp, need(models.PermBuyerPortal))...)

	// Unknown paths still get the session, so the 404 page shows the shell.
	g.RouteNotFound("/*", func(c echo.Context) error { return echo.ErrNotFound })
}
