package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/static"
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
	e.GET("/healthz", s.healthz)
	e.GET("/metrics", echo.WrapHandler(promhttp.HandlerFor(reg, promhttp.HandlerOpts{})))
	e.GET("/static/:v/*", s.asset)
	e.GET("/favicon.ico", func(c echo.Context) error {
		return c.Redirect(http.StatusMovedPermanently, static.URL("img/favicon.svg"))
	})

	// Marketplace intake API: bearer tokens, JSON, no session or CSRF.
	s.apiRoutes(e.Group("/api/v1"))

	// Browser pages.
	g := e.Group("", middleware.BodyLimit("2M"), s.loadSession, s.csrf())
	g.GET("/login", s.loginPage)
	g.POST("/login", s.login)
	g.POST("/lang", s.setLang)
	g.POST("/logout", s.logout, requireLogin)

	g.GET("/", s.home, requireLogin)
	g.GET("/buyer", s.buyerHome, need(models.PermBuyerPortal))

	g.GET("/settings/users", s.usersPage, need(models.PermUsersManage))
	g.POST("/settings/users", s.userCreate, need(models.PermUsersManage))
	g.POST("/settings/users/:id/role", s.userRole, need(models.PermUsersManage))
	g.POST("/settings/users/:id/status", s.userStatus, need(models.PermUsersManage))
	g.POST("/settings/users/:id/password", s.userPassword, need(models.PermUsersManage))
	g.GET("/settings/profile", s.profilePage, need(models.PermProfile))
	g.POST("/settings/profile", s.profileSave, need(models.PermProfile))
	g.POST("/settings/password", s.passwordSave, need(models.PermProfile))
	g.GET("/settings/audit", s.merchantAudit, need(models.PermMerchantAudit))
	g.GET("/settings/products", s.productsPage, need(models.PermEndpointSettings))
	g.POST("/settings/products", s.productAdd, need(models.PermEndpointSettings))
	g.GET("/settings/endpoint", s.endpointPage, need(models.PermEndpointSettings))
	g.POST("/settings/endpoint", s.endpointSave, need(models.PermEndpointSettings))
	g.POST("/settings/keys", s.keyRotate, need(models.PermEndpointSettings))
	g.POST("/settings/keys/:id/revoke", s.keyRevoke, need(models.PermEndpointSettings))
	g.GET("/notifications", s.notificationsPage, need(models.PermNotifications))
	g.POST("/notifications/read", s.notificationsRead, need(models.PermNotifications))

	g.GET("/orders", s.ordersList, need(models.PermOrdersView))
	g.GET("/orders/:id", s.orderDetail, need(models.PermOrdersView))
	g.POST("/orders/:id/reveal-credentials", s.orderRevealCredentials, need(models.PermCredentialsView))
	g.POST("/orders/:id/reveal-buyer", s.orderRevealBuyer, need(models.PermBuyerPIIView))

	g.GET("/exports", s.exportsPage, need(models.PermOrdersExport))
	g.POST("/exports", s.exportCreate, need(models.PermOrdersExport))
	g.GET("/exports/:id/download", s.exportDownload, need(models.PermOrdersExport))
	g.POST("/exports/:id/retry", s.exportRetry, need(models.PermOrdersExport))

	g.GET("/interface-messages", s.ilogList, need(models.PermInterfaceLog))
	g.GET("/interface-messages/:id", s.ilogDetail, need(models.PermInterfaceLog))
	g.POST("/interface-messages/:id/restart", s.ilogRestart, need(models.PermInterfaceRestart))

	g.GET("/debugger", s.debuggerPage, need(models.PermDebugger))
	g.POST("/debugger/send", s.debuggerSend, need(models.PermDebugger))
	g.POST("/debugger/cases", s.debuggerSaveCase, need(models.PermDebugger))
	g.POST("/debugger/cases/:id/run", s.debuggerRunCase, need(models.PermDebugger))
	g.POST("/debugger/cases/:id/delete", s.debuggerDeleteCase, need(models.PermDebugger))
	g.POST("/debugger/calc", s.debuggerCalc, need(models.PermDebugger))

	g.GET("/demands", s.demandsList, need(models.PermDemands))
	g.GET("/demands/:id", s.demandDetail, need(models.PermDemands))
	g.POST("/demands/:id/accept", s.demandAccept, need(models.PermDemands))
	g.POST("/demands/:id/reject", s.demandReject, need(models.PermDemands))
	g.POST("/demands/:id/notes", s.demandNote, need(models.PermDemands))
	g.POST("/demands/:id/link", s.demandLink, need(models.PermDemands))
	g.POST("/demands/:id/close", s.demandClose, need(models.PermDemands))
	g.GET("/admin/demands", s.adminDemands, need(models.PermAdminDemands))
	g.POST("/admin/demands", s.adminDemandAssign, need(models.PermAdminDemands))
	g.POST("/admin/demands/window", s.adminDemandWindow, need(models.PermAdminDemands))

	g.GET("/tickets", s.ticketsList, need(models.PermTickets))
	g.GET("/tickets/report", s.ticketsReport, need(models.PermTickets))
	g.GET("/tickets/:id", s.ticketDetail, need(models.PermTickets))
	g.POST("/tickets/:id/action", s.ticketAction, need(models.PermTickets))
	g.POST("/tickets/:id/assign", s.ticketAssign, need(models.PermTickets))
	g.GET("/tickets/:id/attachments/:aid", s.ticketFile, need(models.PermTickets))
	g.GET("/buyer/tickets", s.buyerTickets, need(models.PermBuyerPortal))
	g.GET("/buyer/tickets/new", s.buyerTicketNew, need(models.PermBuyerPortal))
	g.POST("/buyer/tickets", s.buyerTicketOpen, need(models.PermBuyerPortal))
	g.GET("/buyer/tickets/:id", s.buyerTicket, need(models.PermBuyerPortal))
	g.POST("/buyer/tickets/:id/reply", s.buyerTicketReply, need(models.PermBuyerPortal))
	g.POST("/buyer/tickets/:id/confirm", s.buyerTicketConfirm, need(models.PermBuyerPortal))
	g.POST("/buyer/tickets/:id/revoke", s.buyerTicketRevoke, need(models.PermBuyerPortal))
	g.GET("/buyer/tickets/:id/attachments/:aid", s.ticketFile, need(models.PermBuyerPortal))
	// Replies carry files: their own body limit (a few attachments of up to
	// 10 MB each), everything else as the pages above.
	up := e.Group("/tickets/:id/reply", middleware.BodyLimit(s.ticketUploadLimit()), s.loadSession, s.csrf())
	up.POST("", s.ticketReply, need(models.PermTickets))

	g.GET("/settings/reception", s.receptionPage, need(models.PermReception))
	g.POST("/settings/reception", s.receptionSave, need(models.PermReception))
	g.GET("/admin/holidays", s.holidaysPage, need(models.PermAdminCalendar))
	g.POST("/admin/holidays", s.holidayAdd, need(models.PermAdminCalendar))
	g.POST("/admin/holidays/remove", s.holidayRemove, need(models.PermAdminCalendar))
	g.POST("/admin/holidays/import", s.holidayImport, need(models.PermAdminCalendar))

	g.GET("/admin/audit", s.adminAudit, need(models.PermAdminAudit))
	g.GET("/admin/merchants", s.merchantsPage, need(models.PermAdminMerchants))
	g.POST("/admin/merchants", s.merchantCreate, need(models.PermAdminMerchants))
	g.GET("/admin/products", s.adminProductsPage, need(models.PermAdminProducts))
	g.POST("/admin/products/:id/unfreeze", s.adminProductUnfreeze, need(models.PermAdminProducts))
	g.POST("/admin/products/:id/clear-flag", s.adminProductClearFlag, need(models.PermAdminProducts))

	// Unknown paths still get the session, so the 404 page shows the shell.
	g.RouteNotFound("/*", func(c echo.Context) error { return echo.ErrNotFound })
}
