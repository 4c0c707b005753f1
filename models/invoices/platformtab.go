package invoices

import (
	"context"
	"errors"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/tenancy"
)

// PlatformTab is the platform tab of 发票管理: a page of statements, the
// latest platform-fee requests, and for platform readers the merchant
// filter's choices and each merchant's name for the 商家 column.
type PlatformTab struct {
	Statements StatementPage
	// Requests are nil for readers who may see statements but not requests.
	Requests  []models.PlatformFeeRequest
	Merchants []models.Merchant
	Names     map[int64]string
}

// PlatformTab reads the platform tab for actor: merchant users their own
// merchant's rows whatever slug says; operations every merchant's, or the
// one slug names (an unknown slug is a field error under "merchant", with
// the choices still returned for the form shown again).
func (s *Service) PlatformTab(ctx context.Context, actor models.Actor, slug, cursor string) (PlatformTab, error) {
	var t PlatformTab
	ms, mid, err := tenancy.Filter(ctx, s.db, actor, slug, 0)
	t.Merchants, t.Names = ms, merchantNames(ms)
	if err != nil {
		return t, err
	}
	if t.Statements, err = s.Statements(ctx, actor, StatementFilter{MerchantID: mid}, cursor); err != nil {
		return t, err
	}
	fp, err := s.PlatformFees(ctx, actor, PlatformFeeFilter{MerchantID: mid}, "")
	switch {
	case errors.Is(err, models.ErrForbidden):
		return t, nil
	case err != nil:
		return t, err
	}
	t.Requests = fp.Rows
	if t.Requests == nil {
		t.Requests = []models.PlatformFeeRequest{}
	}
	return t, nil
}

// merchantNames maps the filter's choices by id (nil for a merchant user,
// whose pages have no 商家 column).
func merchantNames(ms []models.Merchant) map[int64]string {
	if ms == nil {
		return nil
	}
	out := make(map[int64]string, len(ms))
	for _, m := range ms {
		out[m.ID] = m.Name
	}
	return out
}
