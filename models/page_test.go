package models

import (
	"net/url"
	"strings"
	"testing"
)

func TestCursorRoundTripAndTamper(t *testing.T) {
	c := EncodeCursor('t', 1_700_000_000_123456789, 42)
	kind, key, id, err := DecodeCursor(c, "ta")
	if err != nil || kind != 't' || key != 1_700_000_000_123456789 || id != 42 {
		t.Fatalf("round trip: %c %d %d %v", kind, key, id, err)
	}
	if _, _, _, err := DecodeCursor(c, "a"); err != ErrBadCursor {
		t.Fatalf("a cursor of another kind is accepted: %v", err)
	}
	// Any one character changed, the cursor cut short or made up is refused.
	for i := range c {
		b := []byte(c)
		b[i] = "AB"[boolInt(b[i] == 'A')]
		if _, _, _, err := DecodeCursor(string(b), "ta"); err != ErrBadCursor {
			t.Fatalf("edited at %d: %s accepted", i, b)
		}
	}
	for _, bad := range []string{"", c[:len(c)-2], "bm9wZQ", "!!", strings.Repeat("A", 80)} {
		if _, _, _, err := DecodeCursor(bad, "ta"); err != ErrBadCursor {
			t.Fatalf("%q accepted", bad)
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestPageNextQuery(t *testing.T) {
	rows := []int64{9, 8, 7}
	p := PageBefore(rows, 2, func(r int64) int64 { return r })
	if len(p.Rows) != 2 || p.Next != "8" || p.Param != ParamBefore {
		t.Fatalf("page %+v", p)
	}
	q := p.NextQuery(url.Values{"state": {"open"}, "before": {"20"}, "cursor": {"x"}})
	if q.Encode() != "before=8&state=open" {
		t.Fatalf("next query %s", q.Encode())
	}
	if last := PageBefore(rows, 3, func(r int64) int64 { return r }); last.NextQuery(url.Values{}) != nil || len(last.Rows) != 3 {
		t.Fatalf("last page %+v", last)
	}
}

func TestParseBefore(t *testing.T) {
	v := &ValidationError{}
	if id := ParseBefore(url.Values{"before": {"17"}}, v); id != 17 || v.Err() != nil {
		t.Fatalf("17: %d %v", id, v)
	}
	for _, bad := range []string{"abc", "0", "-3"} {
		v := &ValidationError{}
		if ParseBefore(url.Values{"before": {bad}}, v); v.Fields["before"].ID != "err.cursor" {
			t.Fatalf("%s accepted", bad)
		}
	}
	if (*ValidationError)(nil).Err() != nil {
		t.Fatal("a nil verdict is an error")
	}
}
