package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sellercenter/sellercenter/models/db"
)

func runCLI(t *testing.T, stdin string, args ...string) (code int, out, errOut string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(args, strings.NewReader(stdin), &o, &e)
	return code, o.String(), e.String()
}

func TestMigrateUserAndMerchantCommands(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cli.db")
	if code, out, errOut := runCLI(t, "", "migrate", "-db", path); code != 0 || !strings.Contains(out, "schema version") {
		t.Fatalf("migrate: %d %q %q", code, out, errOut)
	}
	code, out, errOut := runCLI(t, "", "merchant", "add", "-db", path, "-slug", "initech", "-name", "Initech",
		"-owner-email", "boss@initech.test", "-owner-password", "initech-pass-1")
	if code != 0 || !strings.Contains(out, "initech") {
		t.Fatalf("merchant add: %d %q %q", code, out, errOut)
	}
	// The password may come from stdin so it stays out of shell history.
	code, out, errOut = runCLI(t, "staff-password-1\n", "user", "add", "-db", path, "-merchant", "initech",
		"-email", "staff@initech.test", "-role", "tech", "-password", "-")
	if code != 0 || !strings.Contains(out, "staff@initech.test (tech)") {
		t.Fatalf("user add: %d %q %q", code, out, errOut)
	}
	code, _, _ = runCLI(t, "", "user", "add", "-db", path, "-email", "ops2@x.test", "-role", "opsmanager", "-password", "ops-password-1")
	if code != 0 {
		t.Fatal("platform user add failed")
	}

	a, err := openApp(context.Background(), path, io.Discard, appOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	u, err := a.Accounts.UserByEmail(context.Background(), "staff@initech.test")
	if err != nil || u.Role != "tech" || u.MerchantID == nil {
		t.Fatalf("user not stored as asked: %+v %v", u, err)
	}
}

func TestCommandsRefuseBadInputWithExitCode2(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cli.db")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"unknown command", []string{"frobnicate"}, "unknown command"},
		{"unknown flag", []string{"migrate", "-db", path, "-nope"}, "flag provided but not defined"},
		{"unknown role", []string{"user", "add", "-db", path, "-email", "a@b.cn", "-role", "king", "-password", "long-enough-pw"}, "role: Unknown role."},
		{"merchant role without merchant", []string{"user", "add", "-db", path, "-email", "a@b.cn", "-role", "tech", "-password", "long-enough-pw"}, "role:"},
		{"unknown merchant", []string{"user", "add", "-db", path, "-merchant", "nope", "-email", "a@b.cn", "-role", "tech", "-password", "long-enough-pw"}, "merchant: No such merchant."},
		{"bad email", []string{"user", "add", "-db", path, "-email", "nope", "-role", "opsmanager", "-password", "long-enough-pw"}, "email: Not a valid e-mail address."},
		{"bad slug", []string{"merchant", "add", "-db", path, "-slug", "No Spaces", "-name", "x", "-owner-email", "a@b.cn", "-owner-password", "long-enough-pw"}, "slug:"},
		{"missing subcommand", []string{"user"}, "usage: sellercenter user add"},
	}
	t.Setenv("LANG", "C")
	for _, tc := range cases {
		code, _, errOut := runCLI(t, "", tc.args...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%s: exit %d, stderr %q (want 2 and %q)", tc.name, code, errOut, tc.want)
		}
	}
	t.Setenv("LANG", "zh_CN.UTF-8")
	if _, _, errOut := runCLI(t, "", "user", "add", "-db", path, "-email", "nope", "-role", "opsmanager", "-password", "long-enough-pw"); !strings.Contains(errOut, "邮箱格式不正确") {
		t.Errorf("Chinese locale: %q", errOut)
	}
}

func TestHelpExitsZero(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"help"}, {"migrate", "-h"}, {"user", "add", "-h"}, {"merchant", "add", "-h"}} {
		code, out, errOut := runCLI(t, "", args...)
		if code != 0 || out+errOut == "" {
			t.Errorf("%v: exit %d, no usage printed", args, code)
		}
	}
}

func TestNewerSchemaRefusesEveryCommand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cli.db")
	if code, _, _ := runCLI(t, "", "migrate", "-db", path); code != 0 {
		t.Fatal("migrate")
	}
	d, err := db.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.SQL.Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (9999, 1)`); err != nil {
		t.Fatal(err)
	}
	d.Close()
	code, _, errOut := runCLI(t, "", "-db", path, "-addr", "127.0.0.1:0")
	if code != exitFail || !strings.Contains(errOut, "schema version 9999") {
		t.Fatalf("serve on a newer schema: %d %q", code, errOut)
	}
}
