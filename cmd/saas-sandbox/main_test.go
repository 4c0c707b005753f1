package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/web/koogallery"
	"github.com/sellercenter/sellercenter/web/koogallery/sandbox"
)

func TestParseFlags(t *testing.T) {
	addr, cfg, err := parseFlags([]string{"-addr", "127.0.0.1:0", "-key", "K", "-encrypt-type", "2", "-latency", "150ms",
		"-fail-rate", "0.1", "-result-code", "000005", "-bad-body-sign", "-async", "-async-delay", "3s", "-seed", "9"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	f := cfg.Faults
	if addr != "127.0.0.1:0" || cfg.Key != "K" || cfg.EncryptType != koogallery.EncryptAES128 || cfg.Seed != 9 ||
		f.Latency != 150*time.Millisecond || f.FailRate != 0.1 || f.ResultCode != "000005" || !f.BadBodySign || !f.Async || f.AsyncDelay != 3*time.Second {
		t.Errorf("parsed %s %+v", addr, cfg)
	}
	t.Setenv("SANDBOX_KEY", "from-env")
	if _, cfg, err := parseFlags(nil, io.Discard); err != nil || cfg.Key != "from-env" || cfg.EncryptType != koogallery.EncryptAES256 {
		t.Errorf("env key: %+v %v", cfg, err)
	}
	t.Setenv("SANDBOX_KEY", "")
	for _, bad := range [][]string{
		{},
		{"-key", "K", "-encrypt-type", "3"},
		{"-key", "K", "-encrypt-type", ""},
		{"-key", "K", "-fail-rate", "1.5"},
		{"-key", "K", "-result-code", "abc"},
		{"-key", "K", "extra"},
		{"-key", "K", "-latency", "soon"},
	} {
		if _, _, err := parseFlags(bad, io.Discard); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestRunUsage(t *testing.T) {
	var out strings.Builder
	if code := run([]string{"-h"}, &out); code != 0 || !strings.Contains(out.String(), "-fail-rate") {
		t.Errorf("-h: %d %s", code, out.String())
	}
	if code := run([]string{"-key", ""}, io.Discard); code != 2 {
		t.Errorf("missing key: exit %d", code)
	}
}

func TestServeShutsDownGracefully(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln, sandboxConfig(), slog.New(slog.DiscardHandler)) }()

	ep := koogallery.Endpoint{URL: "http://" + ln.Addr().String() + "/produce", Key: "K", Version: koogallery.V1}
	out, err := (&koogallery.Client{Timeout: 5 * time.Second}).Call(context.Background(), ep,
		&koogallery.NewInstanceRequest{CustomerID: "c", BusinessID: "b", OrderID: "o", ProductID: "p"})
	if err != nil {
		t.Fatalf("call: %v", err)
	}
	if out.Exchange.ResponseHeaders.Get("Body-Sign") == "" {
		t.Error("no Body-Sign")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no shutdown")
	}
	if _, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		t.Error("still listening after shutdown")
	}
}

func sandboxConfig() (cfg sandbox.Config) {
	cfg.Key = "K"
	return cfg
}
