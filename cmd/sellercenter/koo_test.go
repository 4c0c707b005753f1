package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const kooKey = "a1b2c3d4-0000-4000-8000-123456789abc" // the spec's fictitious key

func kooRun(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Setenv("KOO_KEY", "")
	var out, errOut strings.Builder
	code = runKoo(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func kooWriteFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "body.json")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// The expected outputs are the spec's worked vectors.
func TestKooSpecVectors(t *testing.T) {
	v2Body := `{"activity":"newInstance","businessId":"87b94795-0603-4e24-8ae5-69420d60e3c8","orderId":"CS2211181819B4LVS","orderLineId":"CS2211181819B4LVS-000001","testFlag":"1"}`
	respBody := `{"resultCode":"000000","resultMsg":"success."}`
	cases := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"v1-token", "", []string{"v1-token", "--key", kooKey, "activity=newInstance", "businessId=61e834ba-7b97-4418-b8f7-e5345137278c",
			"customerId=68cbc86abc2018ab880d92f36422fa0e", "expireTime=20250101080000", "orderId=CS1906666666ABCDE",
			"productId=00301-666666-0--0", "testFlag=1", "timeStamp=20240101080000123"}, "tQ2Gio7RcDuZ+w67njeVlS6r5s71NsqfsIeBPPpNwDo="},
		{"v2-sign from a file", "", []string{"v2-sign", "--key", kooKey, "--nonce", "50D83FDECAED6CCD8EF597F2A577950527928BA287D04E6036E92B2806FD17DA",
			"--timestamp", "1680508066618", "--body-file", kooWriteFile(t, v2Body)}, "D2B1C0D0710214932847C66D994352E877EE22B0934E5F517748531A1CF8E73D"},
		{"v2-sign from stdin", v2Body, []string{"v2-sign", "-key", kooKey, "-nonce", "50D83FDECAED6CCD8EF597F2A577950527928BA287D04E6036E92B2806FD17DA",
			"-timestamp", "1680508066618", "-body-file", "-"}, "D2B1C0D0710214932847C66D994352E877EE22B0934E5F517748531A1CF8E73D"},
		{"body-sign", "", []string{"body-sign", "--key", kooKey, "--body-file", kooWriteFile(t, respBody)}, "R3zVoaQBzwz0OnqvIoewZxcxNiz+T6EwBZMOTlUOSLU="},
		{"body-sign header", respBody, []string{"body-sign", "--key", kooKey, "--body-file", "-", "--header"},
			`sign_type="HMAC-SHA256", signature= "R3zVoaQBzwz0OnqvIoewZxcxNiz+T6EwBZMOTlUOSLU="`},
		{"encrypt 256", "", []string{"encrypt", "--key", kooKey, "--bits", "256", "--iv", "Ab3dEf6hIj9kLm2n", "admin"}, "Ab3dEf6hIj9kLm2nzGI0Tk8sCF2194FH7yNX8Q=="},
		{"encrypt 128", "", []string{"encrypt", "--key", kooKey, "--bits", "128", "--iv", "Ab3dEf6hIj9kLm2n", "admin"}, "Ab3dEf6hIj9kLm2nPRx1dTFsgf9ehxXtAYeBHg=="},
		{"decrypt auto", "", []string{"decrypt", "--key", kooKey, "Ab3dEf6hIj9kLm2nPRx1dTFsgf9ehxXtAYeBHg=="}, "admin"},
		{"decrypt 256", "", []string{"decrypt", "--key", kooKey, "--bits", "256", "Ab3dEf6hIj9kLm2nzGI0Tk8sCF2194FH7yNX8Q=="}, "admin"},
		{"decrypt 128", "", []string{"decrypt", "--key", kooKey, "--bits", "128", "Ab3dEf6hIj9kLm2nPRx1dTFsgf9ehxXtAYeBHg=="}, "admin"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := kooRun(t, tc.stdin, tc.args...)
			if code != 0 || out != tc.want+"\n" || errOut != "" {
				t.Errorf("exit %d stdout %q stderr %q; want %q", code, out, errOut, tc.want)
			}
		})
	}
}

func TestKooBodyIsExact(t *testing.T) {
	// A trailing newline is part of the body and changes the signature.
	_, a, _ := kooRun(t, `{"resultCode":"000000","resultMsg":"success."}`, "body-sign", "--key", kooKey, "--body-file", "-")
	_, b, _ := kooRun(t, `{"resultCode":"000000","resultMsg":"success."}`+"\n", "body-sign", "--key", kooKey, "--body-file", "-")
	if a == b {
		t.Error("trailing newline ignored")
	}
}

func TestKooEncryptRoundTrip(t *testing.T) {
	code, enc, _ := kooRun(t, "", "encrypt", "--key", kooKey, "--bits", "128", "用户名")
	if code != 0 || len(strings.TrimSpace(enc)) < 17 {
		t.Fatalf("encrypt: %d %q", code, enc)
	}
	code, dec, _ := kooRun(t, "", "decrypt", "--key", kooKey, strings.TrimSpace(enc))
	if code != 0 || dec != "用户名\n" {
		t.Errorf("decrypt: %d %q", code, dec)
	}
	t.Setenv("KOO_KEY", kooKey)
	var out, errOut strings.Builder
	if code := runKoo([]string{"decrypt", strings.TrimSpace(enc)}, nil, &out, &errOut); code != 0 || out.String() != "用户名\n" {
		t.Errorf("key from $KOO_KEY: %d %q %q", code, out.String(), errOut.String())
	}
}

func TestKooBadInputExits2(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none.json")
	cases := [][]string{
		{},
		{"sign-everything"},
		{"v1-token", "activity=x", "timeStamp=1"},                            // no key
		{"v1-token", "--key", kooKey},                                        // no parameters
		{"v1-token", "--key", kooKey, "activity=x"},                          // no timeStamp
		{"v1-token", "--key", kooKey, "noequals", "timeStamp=1"},             // not name=value
		{"v1-token", "--key", kooKey, "a=1", "a=2", "timeStamp=1"},           // duplicate
		{"v1-token", "--key", kooKey, "--bogus"},                             // unknown flag
		{"v2-sign", "--key", kooKey, "--timestamp", "1", "--body-file", "-"}, // no nonce
		{"v2-sign", "--key", kooKey, "--nonce", "n", "--body-file", "-"},     // no timestamp
		{"v2-sign", "--key", kooKey, "--nonce", "n", "--timestamp", "1.5e12", "--body-file", "-"},
		{"v2-sign", "--key", kooKey, "--nonce", "n", "--timestamp", "1"},                // no body file
		{"body-sign", "--key", kooKey, "--body-file", missing},                          // unreadable
		{"body-sign", "--key", kooKey, "--body-file", "-", "extra"},                     // stray argument
		{"encrypt", "--key", kooKey, "--bits", "192", "x"},                              // bad size
		{"encrypt", "--key", kooKey, "--iv", "short", "x"},                              // bad IV
		{"encrypt", "--key", kooKey, strings.Repeat("x", 80)},                           // over 79 bytes
		{"encrypt", "--key", kooKey, "a\xffb"},                                          // not UTF-8
		{"encrypt", "--key", kooKey},                                                    // no text
		{"decrypt", "--key", kooKey, "Ab3dEf6hIj9kLm2n!!!"},                             // bad Base64
		{"decrypt", "--key", kooKey, "short"},                                           // IV too short
		{"decrypt", "--key", "another-key", "Ab3dEf6hIj9kLm2nPRx1dTFsgf9ehxXtAYeBHg=="}, // wrong key
		{"decrypt", "--key", kooKey, "--bits", "512", "Ab3dEf6hIj9kLm2nPRx1dTFsgf9ehxXtAYeBHg=="},
	}
	for _, args := range cases {
		code, out, errOut := kooRun(t, "{}", args...)
		if code != 2 || out != "" || errOut == "" {
			t.Errorf("%q: exit %d stdout %q stderr %q", args, code, out, errOut)
		}
	}
}

func TestKooHelp(t *testing.T) {
	code, out, _ := kooRun(t, "", "-h")
	if code != 0 || !strings.Contains(out, "v2-sign") {
		t.Errorf("koo -h: %d %q", code, out)
	}
	for _, sub := range []string{"v1-token", "v2-sign", "body-sign", "encrypt", "decrypt"} {
		code, out, errOut := kooRun(t, "", sub, "-h")
		if code != 0 || !strings.Contains(out, "Usage: sellercenter koo "+sub) || !strings.Contains(out, "-key") || errOut != "" {
			t.Errorf("%s -h: %d %q %q", sub, code, out, errOut)
		}
	}
}
