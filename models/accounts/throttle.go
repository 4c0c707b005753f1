package accounts

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sellercenter/sellercenter/models"
)

// Backoff is a growing delay: after Free failures each further attempt
// waits 2^k seconds (k = failures beyond Free, so 1 s, 2 s, 4 s, …), at
// most Max.
type Backoff struct {
	Free int
	Max  time.Duration
}

// Delay is the wait imposed after the given number of failures.
func (b Backoff) Delay(failures int) time.Duration {
	if failures < b.Free {
		return 0
	}
	k := min(failures-b.Free, 30)
	return min(time.Second<<k, b.Max)
}

// anyAccount is the throttle row of an address over every account.
const anyAccount = ""

// throttleWait is how long the pair (ip, email) and the address must still
// wait; zero when a login may be tried now.
func (s *Service) throttleWait(ctx context.Context, ip, email string, now time.Time) (time.Duration, error) {
	var rows []models.LoginThrottle
	if err := s.db.WithContext(ctx).Where("ip = ? AND email IN ? AND next_allowed_at > ?", ip, []string{email, anyAccount}, now).
		Find(&rows).Error; err != nil {
		return 0, err
	}
	var wait time.Duration
	for _, r := range rows {
		wait = max(wait, r.NextAllowedAt.Sub(now))
	}
	return wait, nil
}

// recordFailure counts one failure for the pair and for the address, each
// starting over when its last failure is older than Limits.Forget.
func (s *Service) recordFailure(tx *gorm.DB, ip, email string, now time.Time) error {
	for _, k := range []struct {
		email string
		rule  Backoff
	}{{email, s.limits.Pair}, {anyAccount, s.limits.Address}} {
		var r models.LoginThrottle
		err := tx.Where("ip = ? AND email = ?", ip, k.email).First(&r).Error
		if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		if err != nil || now.Sub(r.LastFailureAt) > s.limits.Forget {
			r = models.LoginThrottle{IP: ip, Email: k.email}
		}
		r.Failures++
		r.LastFailureAt = now
		r.NextAllowedAt = now.Add(k.rule.Delay(r.Failures))
		if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&r).Error; err != nil {
			return err
		}
	}
	return nil
}

// clearFailures forgets the pair's failures after a successful login; the
// address's count over other accounts stays.
func clearFailures(tx *gorm.DB, ip, email string) error {
	return tx.Where("ip = ? AND email = ?", ip, email).Delete(&models.LoginThrottle{}).Error
}

// retryAfter rounds a wait up to whole seconds, so a client told "n
// seconds" is never refused again once they have passed.
func retryAfter(d time.Duration) int {
	return int((d + time.Second - 1) / time.Second)
}
