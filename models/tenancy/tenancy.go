// Package tenancy decides which merchant's rows a list reads, so that rule
// lives in the services and no handler asks what kind of user is reading.
package tenancy

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
)

// Chosen is the merchant a platform reader picked in a list's filter (its
// slug; "" for every merchant), as an id (0 = all). A merchant user's pick
// is ignored, not refused: their own merchant scopes them whatever the link
// says. An unknown slug is a field error under "merchant".
func Chosen(ctx context.Context, db *gorm.DB, actor models.Actor, slug string) (int64, error) {
	if slug == "" || !actor.IsPlatform() {
		return 0, nil
	}
	var m models.Merchant
	err := db.WithContext(ctx).Select("id").Where("slug = ?", slug).Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		v := &models.ValidationError{}
		v.Add("merchant", models.M("err.merchant_unknown"))
		return 0, v
	}
	return m.ID, err
}

// Choices are the merchants a platform reader may pick in a list's filter,
// by slug; nil for a merchant user, whose lists offer no such choice.
func Choices(ctx context.Context, db *gorm.DB, actor models.Actor) ([]models.Merchant, error) {
	if !actor.IsPlatform() {
		return nil, nil
	}
	ms := []models.Merchant{}
	err := db.WithContext(ctx).Order("slug").Find(&ms).Error
	return ms, err
}

// Filter is a list's merchant filter for actor: the choices to offer and the
// merchant chosen by slug (id 0 = every merchant). An id the caller already
// holds (an export's stored merchant) is kept as it is. With a refused slug
// the choices still come back, for the form shown again.
func Filter(ctx context.Context, db *gorm.DB, actor models.Actor, slug string, id int64) ([]models.Merchant, int64, error) {
	ms, err := Choices(ctx, db, actor)
	if err != nil || id != 0 {
		return ms, id, err
	}
	id, err = Chosen(ctx, db, actor, slug)
	return ms, id, err
}
