package tickets

import (
	"context"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/tenancy"
)

// Operations managers read every merchant's tickets (工单) to follow up a
// buyer's complaint, but the conversation is the merchant's: they never
// reply, act or assign. Writes keep merchantScope, which refuses them.

func platformScope(actor models.Actor) error {
	if !actor.IsPlatform() || !actor.Can(models.PermAdminTickets) {
		return models.ErrForbidden
	}
	return nil
}

// platformList is the list across merchants, narrowed to one by the
// filter's merchant, each row with its merchant's name and live clock.
func (s *Service) platformList(ctx context.Context, actor models.Actor, f Filter) (Page, error) {
	if err := platformScope(actor); err != nil {
		return Page{}, err
	}
	db := s.db.WithContext(ctx)
	ms, mid, err := tenancy.Filter(ctx, s.db, actor, f.Merchant, 0)
	if err != nil {
		return Page{Merchants: ms}, err
	}
	q := rowQuery(db)
	if mid != 0 {
		q = q.Where("t.merchant_id = ?", mid)
	}
	now := s.now()
	p, err := fetch(page(q, f, now))
	if err != nil {
		return Page{Merchants: ms}, err
	}
	p.Now, p.Merchants = now, ms
	cals := map[int64]*bizclock.Calendar{}
	for i := range p.Rows {
		r := &p.Rows[i]
		cal, ok := cals[r.MerchantID]
		if !ok {
			if cal, err = s.calendar(ctx, r.MerchantID); err != nil {
				return Page{}, err
			}
			cals[r.MerchantID] = cal
		}
		r.Clock = ClockOf(&r.Ticket, cal, now)
	}
	return p, nil
}

// platformDetail is any merchant's ticket with its whole conversation and
// history, and no action.
func (s *Service) platformDetail(ctx context.Context, actor models.Actor, id int64) (*Detail, error) {
	if err := platformScope(actor); err != nil {
		return nil, err
	}
	db := s.db.WithContext(ctx)
	d, err := s.detail(ctx, rowQuery(db).Where("t.id = ?", id), false)
	if err != nil {
		return nil, err
	}
	if err := db.Where("ticket_ref = ?", d.ID).Order("id").Find(&d.Events).Error; err != nil {
		return nil, err
	}
	var users []models.User
	if err := db.Where("merchant_id = ?", d.MerchantID).Order("id").Find(&users).Error; err != nil {
		return nil, err
	}
	d.Names = map[int64]string{}
	for _, u := range users {
		d.Names[u.ID] = u.DisplayName()
	}
	d.ReadOnly = true
	return d, nil
}

// loadForPlatform loads any ticket for an operations manager's download.
func (s *Service) loadForPlatform(tx *gorm.DB, actor models.Actor, id int64) (*models.Ticket, error) {
	if err := platformScope(actor); err != nil {
		return nil, err
	}
	var t models.Ticket
	if err := tx.Take(&t, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &t, nil
}
