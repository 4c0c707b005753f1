package demo

import (
	"context"

	"gorm.io/gorm"
)

// IsDemo reports whether the database was seeded with demo data; such a
// database keeps demo mode (private sandbox endpoints) across restarts.
func IsDemo(ctx context.Context, db *gorm.DB) (bool, error) {
	var n int64
	err := db.WithContext(ctx).Table("app_settings").Where("key = 'demo' AND value = '1'").Count(&n).Error
	return n > 0, err
}

func markDemo(ctx context.Context, db *gorm.DB) error {
	return db.WithContext(ctx).Exec(`INSERT INTO app_settings (key, value) VALUES ('demo', '1')
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`).Error
}
