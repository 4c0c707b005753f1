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

func TestCursorKeepsDirectionAndPosition(t *testing.T) {
	for _, c := range []Cursor{{Kind: 'a', Key: -12345, ID: 7, Back: true, Pos: 101}, {Kind: 't', Key: 5, ID: 9, Pos: 1}, {Kind: 'a', Key: -1, ID: 3, Back: true}} {
		got, err := ParseCursor(c.Encode(), "ta")
		if err != nil || got != c {
			t.Fatalf("%+v round trips to %+v, %v", c, got, err)
		}
		// A list that pages one way only refuses it rather than reading
		// a backward cursor forwards.
		if _, _, _, err := DecodeCursor(c.Encode(), "ta"); err != ErrBadCursor {
			t.Fatalf("DecodeCursor took %+v", c)
		}
	}
	old := EncodeCursor('t', 77, 8)
	if c, err := ParseCursor(old, "t"); err != nil || c != (Cursor{Kind: 't', Key: 77, ID: 8}) {
		t.Fatalf("a cursor made before: %+v %v", c, err)
	}
	if _, err := ParseCursor(Cursor{Kind: 't', Key: 1, ID: 2, Pos: 3}.Encode()+"x", "t"); err != ErrBadCursor {
		t.Fatal("edited cursor accepted")
	}
}

func TestCursorPageBothWays(t *testing.T) {
	key := func(r int64) Cursor { return Cursor{Kind: 't', Key: r, ID: r} }
	// First page of 3 out of more.
	p, first := CursorPage([]int64{10, 9, 8, 7}, 3, Cursor{}, key)
	if first || len(p.Rows) != 3 || p.Start != 1 || p.Prev != "" || p.Next == "" {
		t.Fatalf("first page %+v", p)
	}
	next, _ := ParseCursor(p.Next, "t")
	if next.ID != 8 || next.Back || next.Pos != 3 {
		t.Fatalf("next %+v", next)
	}
	// The page after it: rows 4–6, with a way back from its first row.
	p, _ = CursorPage([]int64{7, 6, 5}, 3, next, key)
	prev, _ := ParseCursor(p.Prev, "t")
	if p.Start != 4 || p.Next != "" || prev != (Cursor{Kind: 't', Key: 7, ID: 7, Back: true, Pos: 4}) {
		t.Fatalf("second page %+v, prev %+v", p, prev)
	}
	// Reading back from row 7 of a longer list: nearest first, put back in order.
	p, first = CursorPage([]int64{8, 9, 10, 11}, 3, Cursor{Kind: 't', Key: 7, ID: 7, Back: true, Pos: 7}, key)
	if first || p.Rows[0] != 10 || p.Rows[2] != 8 || p.Start != 4 || p.Prev == "" || p.Next == "" {
		t.Fatalf("backward page %+v", p)
	}
	// Back at the start: the caller reads the first page.
	if _, first = CursorPage([]int64{8, 9}, 3, Cursor{Kind: 't', Key: 7, ID: 7, Back: true, Pos: 3}, key); !first {
		t.Fatal("the start of the list not reported")
	}
}
