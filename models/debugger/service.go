package debugger

import (
	"context"
	"errors"
	"net/http"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/catalog"
	"github.com/sellercenter/sellercenter/web/koogallery"
)

// Config tunes the service.
type Config struct {
	// AllowPrivate lets test calls reach loopback and private addresses; it
	// must be the provisioning core's setting (demo, tests,
	// SELLERCENTER_ALLOW_PRIVATE_ENDPOINTS).
	AllowPrivate bool
}

// Service is the debugger.
type Service struct {
	db      *gorm.DB
	clock   bizclock.Clock
	catalog *catalog.Service
	client  *koogallery.Client
}

// New builds the service. Its HTTP client dials through catalog.GuardedDialer
// exactly like the provisioning core, so a test call cannot reach what a real
// call could not.
func New(db *gorm.DB, clock bizclock.Clock, cat *catalog.Service, cfg Config) *Service {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = catalog.GuardedDialer(cfg.AllowPrivate).DialContext
	tr.ForceAttemptHTTP2 = false // the protocol is HTTP/1.1, as in the core
	tr.MaxIdleConnsPerHost = 4
	return &Service{
		db: db, clock: clock, catalog: cat,
		client: &koogallery.Client{
			HTTP: &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error {
				return http.ErrUseLastResponse
			}},
			Now: func() time.Time { return clock.Now() },
		},
	}
}

func (s *Service) now() time.Time { return s.clock.Now().UTC() }

// merchantOf is the merchant a debugger action of actor works on.
func merchantOf(actor models.Actor) (int64, error) {
	if !actor.Can(models.PermDebugger) || actor.MerchantID == 0 {
		return 0, models.ErrForbidden
	}
	return actor.MerchantID, nil
}

// target is a merchant endpoint ready to be called.
type target struct {
	endpoint *models.Endpoint
	version  koogallery.Version
	key      string
}

// targetFor loads the merchant's endpoint and active key; what is missing is
// a form-wide validation message, since the merchant can fix it.
func (s *Service) targetFor(ctx context.Context, merchantID int64) (*target, error) {
	ep, err := s.catalog.Endpoint(ctx, models.SystemActor("debugger"), merchantID)
	if errors.Is(err, models.ErrNotFound) {
		return nil, models.FormError(models.M("err.debug_no_endpoint"))
	}
	if err != nil {
		return nil, err
	}
	key, _, err := s.catalog.SigningKeys(ctx, merchantID)
	if err != nil || key == "" {
		var active int64
		if cerr := s.db.WithContext(ctx).Model(&models.MerchantKey{}).
			Where("merchant_id = ? AND status = ?", merchantID, models.KeyActive).Count(&active).Error; cerr != nil {
			return nil, cerr
		}
		if active > 0 && err != nil {
			return nil, err // a key exists but cannot be opened: not the merchant's to fix
		}
		return nil, models.FormError(models.M("err.debug_no_key"))
	}
	return &target{endpoint: ep, version: versionOf(ep.Protocol), key: key}, nil
}

func versionOf(protocol string) koogallery.Version {
	if protocol == "v2" {
		return koogallery.V2
	}
	return koogallery.V1
}

// AllActivities lists every activity the debugger can send, in display order.
var AllActivities = []koogallery.Activity{
	koogallery.ActivityNewInstance, koogallery.ActivityRefreshInstance, koogallery.ActivityExpireInstance,
	koogallery.ActivityUpdateInstanceStatus, koogallery.ActivityInstanceStatus, koogallery.ActivityReleaseInstance,
	koogallery.ActivityUpgrade, koogallery.ActivityUpgradeInstance, koogallery.ActivityQueryInstance,
	koogallery.ActivityChangeInstanceCheck, koogallery.ActivityGetLicenseAsync, koogallery.ActivityOrderNotify,
}

// ActivitiesFor lists the activities the protocol ("v1" or "v2") defines.
func ActivitiesFor(protocol string) []string {
	v := versionOf(protocol)
	var out []string
	for _, a := range AllActivities {
		if a.SupportedIn(v) {
			out = append(out, string(a))
		}
	}
	return out
}

func knownActivity(a string) bool {
	for _, k := range AllActivities {
		if string(k) == a {
			return true
		}
	}
	return false
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
