package demo

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/web/koogallery"
	"github.com/sellercenter/sellercenter/web/koogallery/sandbox"
)

// Sandboxes are the built-in seller endpoints of demo mode: Acme's behaves,
// Globex's fails part of its calls on purpose.
type Sandboxes struct {
	Acme, Globex *sandbox.Server
	URLs         map[string]string // merchant slug → /produce URL
	servers      []*http.Server
}

// GlobexFaults make Globex's endpoint fail about half of its calls.
var GlobexFaults = sandbox.Faults{FailRate: 0.5}

// StartSandboxes serves both sandboxes on loopback ports. Each keeps its
// instances in a file beside the database so restarts stay idempotent.
func StartSandboxes(dbPath string, now func() time.Time, logger *slog.Logger) (*Sandboxes, error) {
	s := &Sandboxes{URLs: map[string]string{}}
	for _, sb := range []struct {
		slug, key string
		enc       koogallery.EncryptType
		faults    sandbox.Faults
		dst       **sandbox.Server
	}{
		{"acme", AcmeKey, koogallery.EncryptAES256, sandbox.Faults{}, &s.Acme},
		{"globex", GlobexKey, koogallery.EncryptAES128, GlobexFaults, &s.Globex},
	} {
		srv, err := sandbox.New(sandbox.Config{Key: sb.key, DBPath: dbPath + "." + sb.slug + "-sandbox.db",
			EncryptType: sb.enc, Faults: sb.faults, Seed: 42, BaseURL: "https://" + sb.slug + ".sandbox.invalid",
			Now: now, Logger: logger})
		if err != nil {
			s.Close()
			return nil, err
		}
		*sb.dst = srv
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			s.Close()
			return nil, err
		}
		hs := &http.Server{Handler: srv, ReadHeaderTimeout: 5 * time.Second}
		s.servers = append(s.servers, hs)
		go func() {
			if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				logger.Error("demo sandbox", "merchant", sb.slug, "err", err)
			}
		}()
		s.URLs[sb.slug] = "http://" + ln.Addr().String() + "/produce"
	}
	return s, nil
}

// PointEndpoints makes the demo merchants' endpoints the running sandboxes
// (their ports change with every start).
func (s *Sandboxes) PointEndpoints(ctx context.Context, db *gorm.DB) error {
	for slug, url := range s.URLs {
		err := db.WithContext(ctx).Exec(`UPDATE endpoints SET url = ?, updated_at = ?
			WHERE merchant_id = (SELECT id FROM merchants WHERE slug = ?)`, url, time.Now().UTC(), slug).Error
		if err != nil {
			return err
		}
	}
	return nil
}

// Close stops the sandboxes.
func (s *Sandboxes) Close() {
	for _, hs := range s.servers {
		_ = hs.Close()
	}
	for _, sb := range []*sandbox.Server{s.Acme, s.Globex} {
		if sb != nil {
			_ = sb.Close()
		}
	}
}
