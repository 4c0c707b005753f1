package web

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/invoices"
)

// invoiceRequestBody is POST /api/v1/invoice-requests as the marketplace
// sends it (DESIGN.md §4), kept apart from invoices.RequestInput so the wire
// format stays fixed while the service changes.
type invoiceRequestBody struct {
	RequestID    string   `json:"requestId"`
	CustomerID   string   `json:"customerId"`
	OrderLineIDs []string `json:"orderLineIds"`
	Title        string   `json:"title"`
	TaxID        string   `json:"taxId"`
	Kind         string   `json:"kind"`
	Email        string   `json:"email"`
	Address      string   `json:"address"`
	Phone        string   `json:"phone"`
	Bank         string   `json:"bank"`
	Account      string   `json:"account"`
}

// invoiceRequestAnswer is a request as the API reports it: the service's
// view with the amount as a decimal string (never a float).
type invoiceRequestAnswer struct {
	RequestID     string `json:"requestId"`
	Status        string `json:"status"`
	Amount        string `json:"amount"`
	Currency      string `json:"currency"`
	InvoiceNumber string `json:"invoiceNumber,omitempty"`
	NeedsReturn   bool   `json:"needsReturn"`
}

func invoiceAnswer(v *invoices.RequestView) invoiceRequestAnswer {
	return invoiceRequestAnswer{RequestID: v.RequestID, Status: v.Status, Amount: models.FormatAmount(v.Amount),
		Currency: v.Currency, InvoiceNumber: v.InvoiceNumber, NeedsReturn: v.NeedsReturn}
}

// marketplaceActor is who the intake API acts as in services that take an
// actor: the platform itself.
func marketplaceActor() models.Actor { return models.SystemActor("marketplace") }

// apiInvoiceRequestCreate is POST /api/v1/invoice-requests: 201 with the
// request; the same requestId again 200 with the recorded one; a line that
// may not be invoiced 422 naming it.
func (s *Server) apiInvoiceRequestCreate(c echo.Context) error {
	if s.Invoices == nil {
		return echo.ErrServiceUnavailable
	}
	var req invoiceRequestBody
	if err := decodeStrict(c.Request().Body, "", &req); err != nil {
		return err
	}
	view, isNew, err := s.Invoices.Request(c.Request().Context(), marketplaceActor(), invoices.RequestInput{
		RequestID: req.RequestID, CustomerID: req.CustomerID, OrderLineIDs: req.OrderLineIDs,
		InvoiceParty: models.InvoiceParty{Kind: models.InvoiceKind(req.Kind), Title: req.Title, TaxID: req.TaxID,
			Address: req.Address, Phone: req.Phone, Bank: req.Bank, Account: req.Account, Email: req.Email}})
	if err != nil {
		return err
	}
	return apiCreated(c, isNew, "/api/v1/invoice-requests/"+url.PathEscape(view.RequestID), invoiceAnswer(view))
}

// apiInvoiceRequestGet is GET /api/v1/invoice-requests/{requestId}.
func (s *Server) apiInvoiceRequestGet(c echo.Context) error {
	if s.Invoices == nil {
		return echo.ErrServiceUnavailable
	}
	view, err := s.Invoices.ByRequestID(c.Request().Context(), marketplaceActor(), c.Param("requestId"))
	if err != nil {
		return err
	}
	return apiJSON(c, http.StatusOK, invoiceAnswer(view))
}

// apiInvoiceRequestRevoke is POST /api/v1/invoice-requests/{requestId}/revoke:
// 200 while pending, 409 once finance has acted.
func (s *Server) apiInvoiceRequestRevoke(c echo.Context) error {
	if s.Invoices == nil {
		return echo.ErrServiceUnavailable
	}
	view, err := s.Invoices.RevokeRequest(c.Request().Context(), marketplaceActor(), c.Param("requestId"))
	if err != nil {
		return err
	}
	return apiJSON(c, http.StatusOK, invoiceAnswer(view))
}
