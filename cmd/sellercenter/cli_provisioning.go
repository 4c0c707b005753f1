package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/catalog"
)

func cmdToken(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "issue" {
		fmt.Fprintln(stderr, "usage: sellercenter token issue -name NAME")
		return exitUsage
	}
	fs, dbPath := newFlags("sellercenter token issue", stderr)
	name := fs.String("name", "", "what the token is for, e.g. the marketplace integration (required)")
	if code, done := parseFlags(fs, args[1:], stderr); done {
		return code
	}
	a, err := openApp(context.Background(), *dbPath, stderr, appOptions{})
	if err != nil {
		return report(stderr, err)
	}
	defer a.Close()
	tok, _, err := a.Catalog.IssueToken(context.Background(), models.SystemActor("cli"), *name)
	if err != nil {
		return report(stderr, err)
	}
	// The token alone on one line, so scripts can capture it.
	fmt.Fprintln(stdout, tok)
	return exitOK
}

func cmdSetEndpoint(args []string, stdout, stderr io.Writer) int {
	fs, dbPath := newFlags("sellercenter merchant set-endpoint", stderr)
	slug := fs.String("merchant", "", "merchant slug (required)")
	url := fs.String("url", "", "production interface URL (https)")
	key := fs.String("key", "", "the merchant's access key (at least 16 characters)")
	protocol := fs.String("protocol", "v2", "protocol: v1 or v2")
	enc := fs.Int("encrypt-type", 1, "credential encryption: 1 AES-256, 2 AES-128")
	overlap := fs.Duration("overlap", 0, "how long the previous key keeps verifying answers (0 = revoke it now)")
	if code, done := parseFlags(fs, args, stderr); done {
		return code
	}
	a, err := openApp(context.Background(), *dbPath, stderr, appOptions{})
	if err != nil {
		return report(stderr, err)
	}
	defer a.Close()
	ctx := context.Background()
	m, err := a.Catalog.MerchantBySlug(ctx, *slug)
	if err != nil {
		fmt.Fprintf(stderr, "sellercenter: no merchant %q\n", *slug)
		return exitUsage
	}
	sys := models.SystemActor("cli")
	if _, err := a.Catalog.SetEndpoint(ctx, sys, m.ID, catalog.EndpointInput{URL: *url, Protocol: *protocol, EncryptType: *enc}); err != nil {
		return report(stderr, err)
	}
	if *key != "" {
		if _, err := a.Catalog.RotateKey(ctx, sys, m.ID, *key, *overlap); err != nil {
			return report(stderr, err)
		}
	}
	fmt.Fprintf(stdout, "merchant %s: endpoint %s (%s) set at %s\n", m.Slug, *url, *protocol, time.Now().UTC().Format(time.RFC3339))
	return exitOK
}
