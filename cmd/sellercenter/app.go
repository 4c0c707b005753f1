package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/sellercenter/sellercenter/models/app"
	"github.com/sellercenter/sellercenter/models/db"
)

// appOptions are the switches that shape the services.
type appOptions struct {
	allowPrivate bool     // endpoints may be loopback/private/http
	selfHosts    []string // this server's own addresses
}

// openApp reads the environment's part of the configuration (master key,
// shared directories, private endpoints) and opens the app through the one
// composition root.
func openApp(ctx context.Context, path string, stderr io.Writer, o appOptions) (*app.App, error) {
	v, err := masterKey(path, stderr)
	if err != nil {
		return nil, err
	}
	env, _, err := envBool("SELLERCENTER_ALLOW_PRIVATE_ENDPOINTS")
	if err != nil {
		return nil, err
	}
	return app.Open(ctx, app.Config{DSN: path, Vault: v, AllowPrivate: o.allowPrivate || env, SelfHosts: o.selfHosts,
		ExportDir: os.Getenv("SELLERCENTER_EXPORT_DIR"), TicketDir: os.Getenv("SELLERCENTER_TICKET_DIR"),
		InvoiceDir: os.Getenv("SELLERCENTER_INVOICE_DIR"), SupervisionDir: os.Getenv("SELLERCENTER_SUPERVISION_DIR")})
}

// envOr returns the environment variable's value, or def when unset.
func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// envBool reads a boolean variable; ok is false when it is unset.
func envBool(name string) (v, ok bool, err error) {
	s, set := os.LookupEnv(name)
	if !set || s == "" {
		return false, false, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, false, fmt.Errorf("%s=%q is not a boolean", name, s)
	}
	return b, true, nil
}

// report prints err for an operator and returns the exit code it deserves.
func report(stderr io.Writer, err error) int {
	fmt.Fprintln(stderr, "sellercenter:", describe(err))
	if errors.Is(err, db.ErrSchemaTooNew) {
		return exitFail
	}
	if isInputError(err) {
		return exitUsage
	}
	return exitFail
}
