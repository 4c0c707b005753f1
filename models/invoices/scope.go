package invoices

import (
	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
)

// finance is the merchant a finance user or owner acts for.
func finance(actor models.Actor) (int64, error) {
	if !actor.Can(models.PermInvoices) || actor.MerchantID == 0 {
		return 0, models.ErrForbidden
	}
	return actor.MerchantID, nil
}

// buyerCustomer is the marketplace customer id a buyer login acts for.
func buyerCustomer(tx *gorm.DB, actor models.Actor) (string, error) {
	if !actor.Can(models.PermBuyerPortal) || actor.UserID == 0 {
		return "", models.ErrForbidden
	}
	var cust string
	if err := tx.Model(&models.User{}).Where("id = ?", actor.UserID).Pluck("customer_id", &cust).Error; err != nil {
		return "", err
	}
	if cust == "" {
		return "", models.ErrForbidden
	}
	return cust, nil
}

// scoped narrows a query of table alias "i" (invoices) to what the actor
// may read: operations every merchant's, merchant users with the view
// permission their merchant's, a buyer its own.
func scoped(tx *gorm.DB, actor models.Actor) (*gorm.DB, error) {
	switch {
	case actor.Can(models.PermAdminInvoices):
		return tx, nil
	case actor.Can(models.PermInvoicesView) && actor.MerchantID != 0:
		return tx.Where("i.merchant_id = ?", actor.MerchantID), nil
	case actor.Can(models.PermBuyerPortal):
		cust, err := buyerCustomer(tx.Session(&gorm.Session{NewDB: true}), actor)
		if err != nil {
			return nil, err
		}
		return tx.Where("i.buyer_ref = (SELECT id FROM buyers WHERE customer_id = ?)", cust), nil
	}
	return nil, models.ErrForbidden
}

// load reads one invoice the actor may read (another's is not found).
func load(tx *gorm.DB, actor models.Actor, id int64) (*models.Invoice, error) {
	q, err := scoped(tx.Table("invoices AS i"), actor)
	if err != nil {
		return nil, err
	}
	var inv models.Invoice
	if err := q.Where("i.id = ?", id).Take(&inv).Error; err != nil {
		return nil, notFound(err)
	}
	return &inv, nil
}
