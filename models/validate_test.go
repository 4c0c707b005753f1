package models

import "testing"

func TestTextAndIDChecks(t *testing.T) {
	cases := []struct {
		name               string
		s                  string
		required, multiple bool
		want               string // message id, "" for none
	}{
		{"blank required", "  ", true, false, "err.required"},
		{"empty optional", "", false, false, ""},
		{"too long", "一二三四五六", true, false, "err.too_long"},
		{"five characters fit", "一二三四五", true, false, ""},
		{"line break in one line", "a\nb", false, false, "err.invalid_text"},
		{"line break in multiline", "a\nb", true, true, ""},
		{"NUL", "a\x00", true, true, "err.invalid_text"},
		{"bad UTF-8", "a\xff", true, true, "err.invalid_text"},
	}
	for _, c := range cases {
		v := &ValidationError{}
		v.Text("f", c.s, 5, c.required, c.multiple)
		if got := v.Fields["f"].ID; got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	for s, want := range map[string]string{"ORD-1": "", "": "err.required", "-x": "err.id_format", "a b": "err.id_format"} {
		v := &ValidationError{}
		v.ID("id", s, true)
		if got := v.Fields["id"].ID; got != want {
			t.Errorf("ID(%q): %q, want %q", s, got, want)
		}
	}
	if v := (&ValidationError{}); func() bool { v.ID("id", "", false); return v.Err() != nil }() {
		t.Error("an empty optional id was refused")
	}
}
