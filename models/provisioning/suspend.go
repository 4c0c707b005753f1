package provisioning

import (
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
)

// ResumeMerchantTx plans again, inside the transaction that resumes a
// merchant, every call of it still open. While a merchant is suspended the
// core sends nothing to its endpoint: a job that comes due finds the
// merchant suspended at its claim and does nothing, so the call keeps its
// planned time. Resuming moves each open call's grid — first attempt,
// next attempt and window end — forward by the suspension's length: the
// attempts missed happen from the resume on, in the same rhythm, and the
// suspension never counts against the retry window (a platform decision
// must not auto-unsubscribe a buyer's order). The old jobs become stale
// (their planned time is no longer the call's) and do nothing.
func (s *Service) ResumeMerchantTx(tx *gorm.DB, merchantID int64, suspendedAt, now time.Time) error {
	shift := now.Sub(suspendedAt)
	if shift < 0 {
		shift = 0
	}
	var calls []models.Call
	if err := tx.Where("merchant_id = ? AND state IN ? AND next_at IS NOT NULL", merchantID,
		[]models.CallState{models.CallPending, models.CallRetrying, models.CallPolling}).Find(&calls).Error; err != nil {
		return err
	}
	for _, c := range calls {
		next := c.NextAt.Add(shift).UTC()
		if err := tx.Model(&models.Call{}).Where("id = ?", c.ID).Updates(map[string]any{
			"first_at": c.FirstAt.Add(shift).UTC(), "deadline_at": c.DeadlineAt.Add(shift).UTC(),
			"next_at": next, "updated_at": now.UTC()}).Error; err != nil {
			return err
		}
		if err := s.schedule(tx, c.ID, next); err != nil {
			return err
		}
	}
	return nil
}
