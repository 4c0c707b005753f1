package demo

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/web/koogallery"
)

// EndpointSpec is a demo merchant's seller endpoint. The sandboxes that play
// them are served by the caller (cmd, tests): models/ opens no listeners.
type EndpointSpec struct {
	Slug     string
	Key      string
	Encrypt  koogallery.EncryptType
	FailRate float64 // share of calls answered 000005
}

// GlobexFailRate makes Globex's endpoint fail about half of its calls.
const GlobexFailRate = 0.5

// EndpointSpecs are Acme's healthy endpoint and Globex's faulty one.
var EndpointSpecs = []EndpointSpec{
	{Slug: "acme", Key: AcmeKey, Encrypt: koogallery.EncryptAES256},
	{Slug: "globex", Key: GlobexKey, Encrypt: koogallery.EncryptAES128, FailRate: GlobexFailRate},
}

// Endpoints are running demo endpoints, as seeding drives them.
type Endpoints interface {
	URLs() map[string]string // merchant slug → /produce URL
	SetFailRate(slug string, rate float64) error
	Close()
}

// StartEndpoints serves the demo endpoints on a clock: the replay's while
// history is seeded, the machine's while the demo runs.
type StartEndpoints func(now func() time.Time) (Endpoints, error)

// PointEndpoints makes the demo merchants' endpoints the running ones (their
// ports change with every start).
func PointEndpoints(ctx context.Context, db *gorm.DB, urls map[string]string) error {
	for slug, url := range urls {
		err := db.WithContext(ctx).Exec(`UPDATE endpoints SET url = ?, updated_at = ?
			WHERE merchant_id = (SELECT id FROM merchants WHERE slug = ?)`, url, time.Now().UTC(), slug).Error
		if err != nil {
			return err
		}
	}
	return nil
}
