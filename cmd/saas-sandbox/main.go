// Command saas-sandbox runs a reference KooGallery seller endpoint with
// fault knobs, for exercising the marketplace side against a real server:
//
//	go run ./cmd/saas-sandbox -addr 127.0.0.1:9090 -key K
//
// It serves /produce (GET ⇒ V1, POST with signature/timestamp/nonce ⇒ V2,
// POST with an authToken header ⇒ V1 POST), GET/POST /sandbox/faults to read
// and change the fault knobs at run time (same names as the flags), and
// GET /sandbox/instances/{id} to inspect an instance. The /sandbox/ routes
// are unauthenticated: keep the default loopback address.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/sellercenter/sellercenter/web/koogallery"
	"github.com/sellercenter/sellercenter/web/koogallery/sandbox"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	addr, cfg, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "saas-sandbox:", err)
		return 2
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	cfg.Logger = logger
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(stderr, "saas-sandbox:", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, ln, cfg, logger); err != nil {
		fmt.Fprintln(stderr, "saas-sandbox:", err)
		return 1
	}
	return 0
}

// parseFlags reads the command line; the key may also come from
// SANDBOX_KEY so it need not show in the process list.
func parseFlags(args []string, stderr io.Writer) (string, sandbox.Config, error) {
	fs := flag.NewFlagSet("saas-sandbox", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		cfg        sandbox.Config
		encType    string
		resultCode string
	)
	addr := fs.String("addr", "127.0.0.1:9090", "listen address")
	fs.StringVar(&cfg.Key, "key", os.Getenv("SANDBOX_KEY"), "access key (default $SANDBOX_KEY)")
	fs.StringVar(&cfg.DBPath, "db", "", "SQLite file (default: a temporary file removed on exit)")
	fs.StringVar(&encType, "encrypt-type", "1", "encryptType of appInfo credentials: 1 (AES-256) or 2 (AES-128)")
	fs.StringVar(&cfg.BaseURL, "base-url", "", "prefix of the frontEndUrl/adminUrl handed out")
	fs.Uint64Var(&cfg.Seed, "seed", 1, "seed of the fail-rate draw")
	fs.DurationVar(&cfg.Faults.Latency, "latency", 0, "delay before every /produce answer")
	fs.Float64Var(&cfg.Faults.FailRate, "fail-rate", 0, "share of calls answered 000005 (0..1)")
	fs.StringVar(&resultCode, "result-code", "", "force this resultCode on every call")
	fs.BoolVar(&cfg.Faults.BadBodySign, "bad-body-sign", false, "sign answers with a wrong key")
	fs.BoolVar(&cfg.Faults.Async, "async", false, "answer newInstance with 000004 and serve the instance after -async-delay")
	fs.DurationVar(&cfg.Faults.AsyncDelay, "async-delay", sandbox.DefaultAsyncDelay, "how long an async instance stays pending")
	if err := fs.Parse(args); err != nil {
		return "", cfg, err
	}
	if fs.NArg() > 0 {
		return "", cfg, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if cfg.Key == "" {
		return "", cfg, errors.New("-key (or SANDBOX_KEY) is required")
	}
	et, err := koogallery.ParseEncryptType(encType)
	if err != nil || encType == "" {
		return "", cfg, fmt.Errorf("-encrypt-type must be 1 or 2, got %q", encType)
	}
	cfg.EncryptType = et
	cfg.Faults.ResultCode = resultCode
	if err := cfg.Faults.Validate(); err != nil {
		return "", cfg, err
	}
	return *addr, cfg, nil
}

// serve runs the sandbox on ln until ctx ends, then drains connections.
func serve(ctx context.Context, ln net.Listener, cfg sandbox.Config, logger *slog.Logger) error {
	sb, err := sandbox.New(cfg)
	if err != nil {
		ln.Close()
		return err
	}
	defer sb.Close()
	// HTTP/1.1 only: HTTP/2 lower-cases header names, and the marketplace
	// looks for "Body-Sign" exactly.
	protocols := new(http.Protocols)
	protocols.SetHTTP1(true)
	srv := &http.Server{
		Handler:           sb,
		Protocols:         protocols,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	logger.Info("saas-sandbox listening", "addr", ln.Addr().String(), "produce", "http://"+ln.Addr().String()+"/produce",
		"encryptType", cfg.EncryptType, "db", cfg.DBPath)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
