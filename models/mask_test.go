package models

import (
	"net"
	"net/http"
	"strings"
	"testing"
)

// A real failed connection: Go's error quotes the whole URL, signature and
// all; the masked text keeps everything else.
func TestMaskSecretsInAFailedConnectionError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close() // nothing listens there now: the dial is refused
	url := "http://" + addr + "/produce?activity=newInstance&signature=9f86d081884c7d65&timestamp=1700000000&nonce=ab&authToken=c0ffee"
	_, err = http.Get(url)
	if err == nil {
		t.Fatal("the call to a closed port succeeded")
	}
	raw := err.Error()
	if !strings.Contains(raw, "9f86d081884c7d65") {
		t.Fatalf("the error does not quote the signature, the test proves nothing: %s", raw)
	}
	got := MaskSecrets(raw)
	for _, secret := range []string{"9f86d081884c7d65", "c0ffee"} {
		if strings.Contains(got, secret) {
			t.Fatalf("%q left in %s", secret, got)
		}
	}
	for _, kept := range []string{"signature=***", "authToken=***", "activity=newInstance", "timestamp=1700000000", addr} {
		if !strings.Contains(got, kept) {
			t.Fatalf("%q missing from %s", kept, got)
		}
	}
}

func TestMaskSecretsForms(t *testing.T) {
	for in, want := range map[string]string{
		`authToken: abc123`:                       `authToken: ***`,
		`{"password":"p@ss","memo":"x"}`:          `{"password":"***","memo":"x"}`,
		`sign_type="HMAC-SHA256", signature="ab"`: `sign_type="HMAC-SHA256", signature="***"`,
		`resultCode 000005`:                       `resultCode 000005`,
		`userName=alice&x=1`:                      `userName=***&x=1`,
	} {
		if got := MaskSecrets(in); got != want {
			t.Errorf("MaskSecrets(%q) = %q, want %q", in, got, want)
		}
	}
}
