package tickets

import (
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
)

// merchantTicketID numbers a ticket opened on the buyer pages the way the
// merchant's other tickets read (ACME-TK-0009): the merchant's slug, TK and
// the next number after the highest one of that shape, so buyer and
// merchant quote the same id. It runs inside the writing transaction (one
// writer), so two tickets never get the same number.
func merchantTicketID(tx *gorm.DB, merchantID int64) (string, error) {
	var m models.Merchant
	if err := tx.Select("slug").Take(&m, merchantID).Error; err != nil {
		return "", err
	}
	prefix := strings.ToUpper(m.Slug) + "-TK-"
	var ids []string
	if err := tx.Model(&models.Ticket{}).Where("merchant_id = ? AND ticket_id LIKE ?", merchantID, prefix+"%").
		Pluck("ticket_id", &ids).Error; err != nil {
		return "", err
	}
	next := 1
	for _, id := range ids {
		if n, err := strconv.Atoi(strings.TrimPrefix(id, prefix)); err == nil && n >= next {
			next = n + 1
		}
	}
	return fmt.Sprintf("%s%04d", prefix, next), nil
}
