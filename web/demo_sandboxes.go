package web

import (
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/sellercenter/sellercenter/models/demo"
	"github.com/sellercenter/sellercenter/web/koogallery/sandbox"
)

// DemoSandboxes returns a starter of the demo merchants' endpoints on a clock
// (demo.StartEndpoints). Each sandbox keeps its instances in a file named
// from base (beside the SQLite database, see app.FilesBase), so a restart
// stays idempotent.
func DemoSandboxes(base string, logger *slog.Logger) demo.StartEndpoints {
	return func(now func() time.Time) (demo.Endpoints, error) {
		if err := os.MkdirAll(filepath.Dir(base), 0o755); err != nil {
			return nil, err
		}
		specs := make([]sandbox.Spec, 0, len(demo.EndpointSpecs))
		for _, ep := range demo.EndpointSpecs {
			specs = append(specs, sandbox.Spec{Name: ep.Slug, Config: sandbox.Config{Key: ep.Key,
				DBPath: base + "." + ep.Slug + "-sandbox.db", EncryptType: ep.Encrypt,
				Faults: sandbox.Faults{FailRate: ep.FailRate}, Seed: 42,
				BaseURL: "https://" + ep.Slug + ".sandbox.invalid", Now: now, Logger: logger}})
		}
		return sandbox.StartFleet(specs, logger)
	}
}
