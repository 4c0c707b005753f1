package demands

import (
	"context"
	"net/url"
	"slices"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/tenancy"
)

// Filter narrows a demand list.
type Filter struct {
	State      models.DemandState // "" = all
	MerchantID int64              // operations only; 0 = all merchants
	Merchant   string             // the merchant's slug as asked for; ListAll resolves it
	BeforeID   int64              // keyset paging: ids below this
	Limit      int
}

// ParseFilter reads a list's query; bad values are field errors. The
// merchant slug is kept as asked: ListAll resolves it (operations only).
func ParseFilter(q url.Values, _ *time.Location) (Filter, *models.ValidationError) {
	v := &models.ValidationError{}
	f := Filter{Merchant: q.Get("merchant"), BeforeID: models.ParseBefore(q, v)}
	if st := q.Get("state"); st != "" {
		if !slices.Contains(models.DemandStates, models.DemandState(st)) {
			v.Add("state", models.M("err.filter_value"))
		} else {
			f.State = models.DemandState(st)
		}
	}
	return f, v
}

// Row is a list row.
type Row struct {
	models.Demand
	MerchantSlug string `gorm:"column:merchant_slug"`
	MerchantName string `gorm:"column:merchant_name"`
	ProductID    string `gorm:"column:product_code"`
	ProductName  string `gorm:"column:product_name"`
	OrderCode    string `gorm:"column:order_code"`
}

// Page is one page of a list, newest first.
type Page struct {
	models.Page[Row]
	Now time.Time
}

// List returns the merchant's demands (merchant users).
func (s *Service) List(ctx context.Context, actor models.Actor, f Filter) (Page, error) {
	mid, err := merchantOnly(actor)
	if err != nil {
		return Page{}, err
	}
	f.MerchantID = mid
	return s.list(ctx, f, 0)
}

// ListAll returns every merchant's demands, or one merchant's (operations).
// An unknown merchant slug is a field error.
func (s *Service) ListAll(ctx context.Context, actor models.Actor, f Filter) (Page, error) {
	if !actor.Can(models.PermAdminDemands) {
		return Page{}, models.ErrForbidden
	}
	var err error
	if f.MerchantID, err = tenancy.Chosen(ctx, s.db, actor, f.Merchant); err != nil {
		return Page{}, err
	}
	return s.list(ctx, f, 0)
}

// list reads a page, or with id the one row.
func (s *Service) list(ctx context.Context, f Filter, id int64) (Page, error) {
	q := s.db.WithContext(ctx).Table("demands AS d")
	if id != 0 {
		q = q.Where("d.id = ?", id)
	}
	if f.MerchantID != 0 {
		q = q.Where("d.merchant_id = ?", f.MerchantID)
	}
	if f.State != "" {
		q = q.Where("d.state = ?", f.State)
	}
	if f.BeforeID > 0 {
		q = q.Where("d.id < ?", f.BeforeID)
	}
	limit := models.PageLimit(f.Limit)
	var rows []Row
	if err := q.Select(`d.*, m.slug AS merchant_slug, m.name AS merchant_name, COALESCE(p.product_id, '') AS product_code,
			COALESCE(p.name, '') AS product_name, COALESCE(o.order_id, '') AS order_code`).
		Joins("JOIN merchants m ON m.id = d.merchant_id").
		Joins("LEFT JOIN products p ON p.id = d.product_ref").
		Joins("LEFT JOIN orders o ON o.id = d.order_ref").
		Order("d.id DESC").Limit(limit + 1).Scan(&rows).Error; err != nil {
		return Page{}, err
	}
	return Page{Page: models.PageBefore(rows, limit, func(r Row) int64 { return r.ID }), Now: s.now()}, nil
}

// Detail is one demand with its history and notes, and the actions its
// merchant may take on it now.
type Detail struct {
	Row
	Events  []models.DemandEvent
	Notes   []models.DemandNote
	Actions []models.DemandAction
	Now     time.Time
}

// Can reports whether the merchant may take the action now.
func (d *Detail) Can(a models.DemandAction) bool { return slices.Contains(d.Actions, a) }

// CanAnswer says the demand may still be accepted or rejected; an open
// demand without either has run out of time.
func (d *Detail) CanAnswer() bool { return d.Can(models.DemandAccept) || d.Can(models.DemandReject) }

// CanFollowUp says an accepted demand may still get a note, an order or
// its closing.
func (d *Detail) CanFollowUp() bool {
	return d.Can(models.DemandAddNote) || d.Can(models.DemandLinkOrder) || d.Can(models.DemandClose)
}

// merchantActions is what the transition table allows the demand's state,
// less what act would refuse anyway: the system alone times a demand out,
// and nobody answers after the deadline.
func merchantActions(d *models.Demand, now time.Time) []models.DemandAction {
	var out []models.DemandAction
	for _, a := range models.DemandActions {
		if a == models.DemandTimeout {
			continue
		}
		if (a == models.DemandAccept || a == models.DemandReject) && d.Expired(now) {
			continue
		}
		if _, err := models.DemandTransition(d.State, a); err == nil {
			out = append(out, a)
		}
	}
	return out
}

// Get loads one of the merchant's demands; another merchant's is not found.
func (s *Service) Get(ctx context.Context, actor models.Actor, id int64) (*Detail, error) {
	mid, err := merchantOnly(actor)
	if err != nil {
		return nil, err
	}
	d, err := s.detail(ctx, mid, id)
	if err != nil {
		return nil, err
	}
	d.Actions = merchantActions(&d.Demand, d.Now)
	return d, nil
}

// GetAny loads any merchant's demand with its history, for operations: no
// action (the merchant answers its demands).
func (s *Service) GetAny(ctx context.Context, actor models.Actor, id int64) (*Detail, error) {
	if !actor.Can(models.PermAdminDemands) {
		return nil, models.ErrForbidden
	}
	return s.detail(ctx, 0, id)
}

// detail is one demand (of merchant mid; 0 = any) with its events and notes.
func (s *Service) detail(ctx context.Context, mid, id int64) (*Detail, error) {
	p, err := s.list(ctx, Filter{MerchantID: mid}, id)
	if err != nil {
		return nil, err
	}
	if len(p.Rows) == 0 {
		return nil, models.ErrNotFound
	}
	d := &Detail{Row: p.Rows[0], Now: p.Now}
	if err := s.db.WithContext(ctx).Where("demand_id = ?", id).Order("id").Find(&d.Events).Error; err != nil {
		return nil, err
	}
	if err := s.db.WithContext(ctx).Where("demand_id = ?", id).Order("id").Find(&d.Notes).Error; err != nil {
		return nil, err
	}
	return d, nil
}

// Rate is one merchant's acceptance record.
type Rate struct {
	MerchantID   int64  `gorm:"column:merchant_id"`
	MerchantSlug string `gorm:"column:slug"`
	MerchantName string `gorm:"column:name"`
	Pending      int64  `gorm:"column:pending"`
	Accepted     int64  `gorm:"column:accepted"` // accepted, including later closed by the merchant
	Rejected     int64  `gorm:"column:rejected"`
	TimedOut     int64  `gorm:"column:timed_out"`
}

// Decided is how many demands got an outcome (accepted, rejected, timed out).
func (r Rate) Decided() int64 { return r.Accepted + r.Rejected + r.TimedOut }

// Permille is the acceptance rate in ‰ of the decided demands; ok is false
// when none was decided yet.
func (r Rate) Permille() (int64, bool) {
	if r.Decided() == 0 {
		return 0, false
	}
	return (r.Accepted*1000 + r.Decided()/2) / r.Decided(), true
}

// Rates is the acceptance record of every merchant (operations).
func (s *Service) Rates(ctx context.Context, actor models.Actor) ([]Rate, error) {
	if !actor.Can(models.PermAdminDemands) {
		return nil, models.ErrForbidden
	}
	var rs []Rate
	err := s.db.WithContext(ctx).Raw(`SELECT m.id AS merchant_id, m.slug, m.name,
			COALESCE(SUM(d.state = 'pending'), 0) AS pending,
			COALESCE(SUM(d.state = 'accepted' OR d.close_reason = 'merchant'), 0) AS accepted,
			COALESCE(SUM(d.state = 'rejected'), 0) AS rejected,
			COALESCE(SUM(d.close_reason = 'timeout'), 0) AS timed_out
		FROM merchants m LEFT JOIN demands d ON d.merchant_id = m.id
		GROUP BY m.id ORDER BY m.slug`).Scan(&rs).Error
	return rs, err
}

// PendingCount counts the demands waiting for an answer whose window is
// still open: the merchant's own, or for operations all of them (the
// overview's to-do counter).
func (s *Service) PendingCount(ctx context.Context, actor models.Actor) (int64, error) {
	q := s.db.WithContext(ctx).Model(&models.Demand{}).Where("state = ? AND due_at > ?", models.DemandPending, s.now())
	switch {
	case actor.IsPlatform() && actor.Can(models.PermAdminDemands):
	case actor.MerchantID != 0 && actor.Can(models.PermDemands):
		q = q.Where("merchant_id = ?", actor.MerchantID)
	default:
		return 0, nil
	}
	var n int64
	err := q.Count(&n).Error
	return n, err
}
