// Package sandbox is a reference seller endpoint for the KooGallery SaaS
// production interface — what a merchant would write, done right — with
// fault knobs for exercising the marketplace side. It serves /produce (V1
// GET, V1 POST and V2 POST), keeps instances in SQLite, answers every call
// signed, and is idempotent as the spec demands.
//
// Every request is verified (000001 when it fails, still signed) and its
// parameters validated (000002). The fault knobs are latency, fail rate,
// a forced result code, a bad Body-Sign and asynchronous creation (with its
// delay); cmd/saas-sandbox exposes them as flags (-latency, -fail-rate,
// -result-code, -bad-body-sign, -async, -async-delay) and at run time through
// POST /sandbox/faults (JSON with the same names; GET reads them). A Fleet
// runs several named sandboxes on loopback ports: the demo's endpoints
// (web.DemoSandboxes).
//
// Tests start it in-process:
//
//	sb, _ := sandbox.New(sandbox.Config{Key: "k"})
//	srv := httptest.NewServer(sb)
//	defer sb.Close()
package sandbox
