package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Exit codes: 0 done, 1 failed while running, 2 bad usage or input.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "serve":
			return serve(args[1:], stdout, stderr)
		case "migrate":
			return cmdMigrate(args[1:], stdout, stderr)
		case "user":
			return cmdUser(args[1:], stdin, stdout, stderr)
		case "merchant":
			if len(args) > 1 && args[1] == "set-endpoint" {
				return cmdSetEndpoint(args[2:], stdout, stderr)
			}
			return cmdMerchant(args[1:], stdin, stdout, stderr)
		case "token":
			return cmdToken(args[1:], stdout, stderr)
		case "koo":
			return runKoo(args[1:], stdin, stdout, stderr)
		case "bench":
			return cmdBench(args[1:], stdout, stderr)
		case "help", "-h", "--help":
			usage(stdout)
			return exitOK
		}
		if len(args[0]) > 0 && args[0][0] != '-' {
			fmt.Fprintf(stderr, "sellercenter: unknown command %q\n\n", args[0])
			usage(stderr)
			return exitUsage
		}
	}
	return serve(args, stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Seller Center — 卖家中心

Usage:
  sellercenter [serve] [-addr ADDR] [-db PATH] [-demo]   serve the web app (default)
  sellercenter migrate [-db PATH]                       apply database migrations
  sellercenter user add [flags]                         add a user (see -h)
  sellercenter merchant add [flags]                     add a merchant with its owner (see -h)
  sellercenter merchant set-endpoint -merchant S -url U -key K -protocol v1|v2 [-encrypt-type 1|2]
  sellercenter token issue -name N                      issue a bearer token for the marketplace intake API
  sellercenter koo v1-token|v2-sign|body-sign|encrypt|decrypt ...   signature calculator
  sellercenter bench seed -db PATH -orders N             seed a new database with a large order history
  sellercenter bench load -url URL -email E -password P [-c C] [-d DURATION]
                                                        load /orders and /healthz from this process

Environment: SELLERCENTER_ADDR, SELLERCENTER_DB, SELLERCENTER_DEMO, SELLERCENTER_TRUST_PROXY,
SELLERCENTER_SECURE_COOKIES, SELLERCENTER_MASTER_KEY, SELLERCENTER_ALLOW_PRIVATE_ENDPOINTS. Run a command with -h for its flags.
`)
}
