package koogallery

import (
	"net/http"
	"testing"
)

func TestMaskURL(t *testing.T) {
	cases := map[string]string{
		"https://x/p?activity=newInstance&authToken=abc%2B%3D&mobilePhone=Ab3d&email=e&customerId=c#frag": "https://x/p?activity=newInstance&authToken=***&mobilePhone=***&email=***&customerId=c#frag",
		"https://x/p?signature=ABC&timestamp=1&nonce=n":                                                   "https://x/p?signature=***&timestamp=1&nonce=n",
		"https://x/p?auth%54oken=abc&password":                                                            "https://x/p?auth%54oken=***&password",
		"https://x/p":                                                                                     "https://x/p",
	}
	for in, want := range cases {
		if got := MaskURL(in); got != want {
			t.Errorf("MaskURL(%q)\n got %s\nwant %s", in, got, want)
		}
	}
}

func TestMaskJSON(t *testing.T) {
	cases := map[string]string{
		`{"activity":"newInstance","mobilePhone":"Ab3d+x==","buyerInfo":{"email":"a@b","name":"n"}}`: `{"activity":"newInstance","mobilePhone":"***","buyerInfo":{"email":"***","name":"n"}}`,
		`{"appInfo": {"frontEndUrl":"u", "password" : "p\"w", "userName":"u"}}`:                      `{"appInfo": {"frontEndUrl":"u", "password" : "***", "userName":"***"}}`,
		`{"pass\u0077ord":"x","PASSWORD":12345,"email":null}`:                                        `{"pass\u0077ord":"***","PASSWORD":"***","email":null}`,
		`{"note":"password","list":["email"]}`:                                                       `{"note":"password","list":["email"]}`,
		`{"password":"unterminated`:                                                                  `{"password":"***"`,
		``:                                                                                           ``,
	}
	for in, want := range cases {
		if got := MaskJSON(in); got != want {
			t.Errorf("MaskJSON(%s)\n got %s\nwant %s", in, got, want)
		}
	}
}

func TestMaskHeaders(t *testing.T) {
	// The client sends authToken with the spec's non-canonical spelling.
	h := http.Header{"authToken": {"t"}, "Content-Type": {"application/json"}, "Body-Sign": {"x"}}
	m := MaskHeaders(h)
	//lint:ignore SA1008 the non-canonical key is what the client sends
	if m["authToken"][0] != Mask || m.Get("Content-Type") != "application/json" || m.Get("Body-Sign") != "x" {
		t.Errorf("masked %v", m)
	}
	//lint:ignore SA1008 as above
	if h["authToken"][0] != "t" {
		t.Error("MaskHeaders modified its input")
	}
}
