package provisioning

import (
	"context"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
)

// RescheduleOpen hands every unfinished call to the installed scheduler at
// its planned time. Demo seeding replays history on its own clock and ends
// with calls still open; the live job runner takes them over from here.
func (s *Service) RescheduleOpen(ctx context.Context) (int, error) {
	var calls []models.Call
	if err := s.db.WithContext(ctx).Where("state IN ? AND next_at IS NOT NULL",
		[]models.CallState{models.CallPending, models.CallRetrying, models.CallPolling}).Find(&calls).Error; err != nil {
		return 0, err
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, c := range calls {
			if err := s.schedule(tx, c.ID, *c.NextAt); err != nil {
				return err
			}
		}
		return nil
	})
	return len(calls), err
}
