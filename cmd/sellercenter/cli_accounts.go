package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
)

func parseBool(s string) (bool, error) { return strconv.ParseBool(s) }

// newFlags builds a subcommand's flag set with the shared -db flag.
func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", envOr("SELLERCENTER_DB", "./sellercenter.db"), "database: a SQLite file or a postgres:// URL (SELLERCENTER_DB)")
	return fs, dbPath
}

// parseFlags parses and reports: -h is success, anything else wrong is usage.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) (code int, done bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, true
		}
		return exitUsage, true
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return exitUsage, true
	}
	return 0, false
}

// readSecret takes a password from the flag or, with "-", the first line of stdin.
func readSecret(v string, stdin io.Reader) string {
	if v != "-" {
		return v
	}
	line, _ := bufio.NewReader(stdin).ReadString('\n')
	return strings.TrimRight(line, "\r\n")
}

func cmdMigrate(args []string, stdout, stderr io.Writer) int {
	fs, dbPath := newFlags("sellercenter migrate", stderr)
	if code, done := parseFlags(fs, args, stderr); done {
		return code
	}
	a, err := openApp(context.Background(), *dbPath, stderr, appOptions{})
	if err != nil {
		return report(stderr, err)
	}
	defer a.Close()
	fmt.Fprintf(stdout, "schema version %d (was %d)\n", a.Migrated.ToVersion, a.Migrated.FromVersion)
	return exitOK
}

func cmdUser(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprintln(stderr, "usage: sellercenter user add -email E -role R [-merchant SLUG] [-name N] -password P|-")
		return exitUsage
	}
	fs, dbPath := newFlags("sellercenter user add", stderr)
	email := fs.String("email", "", "login e-mail (required)")
	name := fs.String("name", "", "display name")
	role := fs.String("role", "", "role: owner, operations, delivery, tech, finance, readonly, opsmanager, buyer")
	merchant := fs.String("merchant", "", "merchant slug (merchant roles only)")
	password := fs.String("password", "", "initial password, or - to read it from stdin")
	customer := fs.String("customer-id", "", "marketplace customer id (buyers)")
	if code, done := parseFlags(fs, args[1:], stderr); done {
		return code
	}
	a, err := openApp(context.Background(), *dbPath, stderr, appOptions{})
	if err != nil {
		return report(stderr, err)
	}
	defer a.Close()
	u, err := a.Accounts.AddUser(context.Background(), models.SystemActor("cli"), *merchant, accounts.NewUserInput{
		Email: *email, Name: *name, Role: models.Role(*role), Password: readSecret(*password, stdin), CustomerID: *customer})
	if err != nil {
		return report(stderr, err)
	}
	fmt.Fprintf(stdout, "user %d %s (%s) added\n", u.ID, u.Email, u.Role)
	return exitOK
}

func cmdMerchant(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprintln(stderr, "usage: sellercenter merchant add -slug S -name N -owner-email E -owner-password P|-")
		return exitUsage
	}
	fs, dbPath := newFlags("sellercenter merchant add", stderr)
	slug := fs.String("slug", "", "short id, lowercase letters, digits and dashes (required)")
	name := fs.String("name", "", "merchant name (required)")
	ownerEmail := fs.String("owner-email", "", "owner login e-mail (required)")
	ownerName := fs.String("owner-name", "", "owner display name")
	ownerPassword := fs.String("owner-password", "", "owner initial password, or - to read it from stdin")
	if code, done := parseFlags(fs, args[1:], stderr); done {
		return code
	}
	a, err := openApp(context.Background(), *dbPath, stderr, appOptions{})
	if err != nil {
		return report(stderr, err)
	}
	defer a.Close()
	m, u, err := a.Accounts.CreateMerchant(context.Background(), models.SystemActor("cli"), accounts.NewMerchantInput{
		Slug: *slug, Name: *name, OwnerEmail: *ownerEmail, OwnerName: *ownerName, OwnerPassword: readSecret(*ownerPassword, stdin)})
	if err != nil {
		return report(stderr, err)
	}
	fmt.Fprintf(stdout, "merchant %d %s added with owner %s\n", m.ID, m.Slug, u.Email)
	return exitOK
}
