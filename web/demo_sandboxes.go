package web

import (
	"log/slog"
	"time"

	"github.com/sellercenter/sellercenter/models/demo"
	"github.com/sellercenter/sellercenter/web/koogallery/sandbox"
)

// DemoSandboxes returns a starter of the demo merchants' endpoints on a clock
// (demo.StartEndpoints). Each sandbox keeps its instances in a file beside
// the database, so a restart stays idempotent.
func DemoSandboxes(dbPath string, logger *slog.Logger) demo.StartEndpoints {
	return func(now func() time.Time) (demo.Endpoints, error) {
		specs := make([]sandbox.Spec, 0, len(demo.EndpointSpecs))
		for _, ep := range demo.EndpointSpecs {
			specs = append(specs, sandbox.Spec{Name: ep.Slug, Config: sandbox.Config{Key: ep.Key,
				DBPath: dbPath + "." + ep.Slug + "-sandbox.db", EncryptType: ep.Encrypt,
				Faults: sandbox.Faults{FailRate: ep.FailRate}, Seed: 42,
				BaseURL: "https://" + ep.Slug + ".sandbox.invalid", Now: now, Logger: logger}})
		}
		return sandbox.StartFleet(specs, logger)
	}
}
