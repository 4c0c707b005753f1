package supervision

import (
	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
)

// scope is which flows an actor sees: a merchant user its merchant's, an
// operations manager all, a buyer its own customer's. Every query serving a
// person goes through it, so another tenant's flow is simply not found.
type scope struct {
	merchantID int64
	buyerRef   int64
	all        bool
	party      models.SupParty
	act        bool // may take the party's actions
	appeal     bool // may file appeals
}

func (sc scope) where(alias string) func(*gorm.DB) *gorm.DB {
	p := ""
	if alias != "" {
		p = alias + "."
	}
	return func(q *gorm.DB) *gorm.DB {
		switch {
		case sc.all:
			return q
		case sc.merchantID != 0:
			return q.Where(p+"merchant_id = ?", sc.merchantID)
		}
		return q.Where(p+"buyer_ref = ?", sc.buyerRef)
	}
}

// scopeOf resolves the actor's scope; a role with no view of supervision
// is forbidden, a buyer login without a customer sees nothing.
func (s *Service) scopeOf(tx *gorm.DB, actor models.Actor) (scope, error) {
	switch {
	case actor.IsPlatform() && actor.Can(models.PermAdminAppeals):
		return scope{all: true, party: models.SupPartyOps}, nil
	case actor.MerchantID != 0 && (actor.Can(models.PermSupervision) || actor.Can(models.PermOrdersView)):
		return scope{merchantID: actor.MerchantID, party: models.SupPartyMerchant,
			act: actor.Can(models.PermSupervision), appeal: actor.Can(models.PermAppealsFile)}, nil
	case actor.Can(models.PermBuyerPortal) && actor.UserID != 0:
		var ref int64
		err := tx.Raw(`SELECT b.id FROM users u JOIN buyers b ON b.customer_id = u.customer_id
			WHERE u.id = ? AND u.customer_id <> ''`, actor.UserID).Scan(&ref).Error
		if err != nil {
			return scope{}, err
		}
		if ref == 0 {
			return scope{}, models.ErrNotFound
		}
		return scope{buyerRef: ref, party: models.SupPartyBuyer, act: true, appeal: true}, nil
	}
	return scope{}, models.ErrForbidden
}
