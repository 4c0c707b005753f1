package provisioning

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
)

// limiter caps concurrent calls per merchant endpoint.
type limiter interface {
	acquire(ctx context.Context, merchantID int64, n int) (func(), error)
}

// sharedSlots extends the process's own cap to every instance on the
// database (PostgreSQL): a call takes a lease on one of the merchant's n slot
// rows, skipping rows another instance is locking, and gives it back after
// the attempt. A lease lasts the attempt limit and a minute more, so a
// killed instance's slot frees by itself. The local cap comes first, so an
// instance's own waiters queue in memory and only one per free local slot
// asks the database.
type sharedSlots struct {
	local  *endpointLimits
	db     *gorm.DB
	holder string // this process
	now    func() time.Time
	poll   time.Duration
}

func newSharedSlots(g *gorm.DB, now func() time.Time) *sharedSlots {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return &sharedSlots{local: &endpointLimits{sems: map[int64]chan struct{}{}}, db: g,
		holder: hex.EncodeToString(b), now: now, poll: 20 * time.Millisecond}
}

const slotLease = models.AttemptLimit + time.Minute

func (s *sharedSlots) acquire(ctx context.Context, merchantID int64, n int) (func(), error) {
	if n <= 0 {
		n = 4
	}
	release, err := s.local.acquire(ctx, merchantID, n)
	if err != nil {
		return nil, err
	}
	if err := s.ensure(ctx, merchantID, n); err != nil {
		release()
		return nil, err
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	holder := s.holder + "-" + hex.EncodeToString(b)
	wait := s.poll
	for {
		var slots []int64
		now := s.now().UTC()
		err := s.db.WithContext(ctx).Raw(`UPDATE endpoint_slots SET holder = ?, expires_at = ?
			WHERE merchant_id = ? AND slot = (SELECT slot FROM endpoint_slots
				WHERE merchant_id = ? AND slot < ? AND (holder IS NULL OR expires_at < ?)
				ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED)
			RETURNING slot`, holder, now.Add(slotLease), merchantID, merchantID, n, now).Scan(&slots).Error
		if err != nil {
			release()
			return nil, err
		}
		if len(slots) == 1 {
			slot := slots[0]
			return func() {
				_ = s.db.WithContext(context.WithoutCancel(ctx)).Exec(`UPDATE endpoint_slots SET holder = NULL, expires_at = NULL
					WHERE merchant_id = ? AND slot = ? AND holder = ?`, merchantID, slot, holder).Error
				release()
			}, nil
		}
		select {
		case <-ctx.Done():
			release()
			return nil, ctx.Err()
		case <-time.After(wait):
		}
		if wait < 200*time.Millisecond {
			wait *= 2
		}
	}
}

// ensure creates the merchant's slot rows up to n (once per new limit).
func (s *sharedSlots) ensure(ctx context.Context, merchantID int64, n int) error {
	var have int64
	if err := s.db.WithContext(ctx).Raw(`SELECT count(*) FROM endpoint_slots WHERE merchant_id = ? AND slot < ?`,
		merchantID, n).Scan(&have).Error; err != nil || have >= int64(n) {
		return err
	}
	for i := range n {
		if err := s.db.WithContext(ctx).Exec(`INSERT INTO endpoint_slots (merchant_id, slot) VALUES (?, ?) ON CONFLICT DO NOTHING`,
			merchantID, i).Error; err != nil {
			return err
		}
	}
	return nil
}
