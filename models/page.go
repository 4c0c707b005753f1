package models

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Page is one keyset page of a list, in the list's order. Next is where the
// following page starts ("" on the last page) and Param the query parameter
// that carries it, so one pager serves every list whatever its key.
type Page[T any] struct {
	Rows  []T
	Next  string
	Param string
	// Prev is where the page before this one is read from ("" on the first
	// page, and on lists that page one way only), in the same Param.
	Prev string
	// Start is the 1-based number of the page's first row in the whole
	// list; 0 when unknown (a link made before positions were kept).
	Start int64
}

// The query parameters a page's position travels in. Lists ordered by id
// alone page with before=<id>; lists over a sort key with an opaque cursor.
const (
	ParamBefore = "before"
	ParamCursor = "cursor"
)

// NextQuery is q, a list's query as submitted, pointing at the next page
// (any earlier position dropped); nil on the last page.
func (p Page[T]) NextQuery(q url.Values) url.Values {
	if p.Next == "" {
		return nil
	}
	n := url.Values{}
	for k, v := range q {
		if k != ParamBefore && k != ParamCursor {
			n[k] = v
		}
	}
	n.Set(p.Param, p.Next)
	return n
}

// PrevQuery is q pointing at the previous page; nil on the first page.
func (p Page[T]) PrevQuery(q url.Values) url.Values {
	if p.Prev == "" {
		return nil
	}
	return Page[T]{Next: p.Prev, Param: p.Param}.NextQuery(q)
}

// PageLimit is a list's page size: 50 unless asked for 1–200.
func PageLimit(n int) int {
	if n <= 0 || n > 200 {
		return 50
	}
	return n
}

// PageOf trims rows read with limit+1 (the extra row only says another page
// exists) to one page positioned by next of its last row.
func PageOf[T any](rows []T, limit int, param string, next func(last T) string) Page[T] {
	p := Page[T]{Rows: rows, Param: param}
	if len(rows) > limit {
		p.Rows = rows[:limit]
		p.Next = next(p.Rows[limit-1])
	}
	return p
}

// PageBefore is PageOf for lists in descending id order: the next page is
// before the last row's id.
func PageBefore[T any](rows []T, limit int, id func(T) int64) Page[T] {
	return PageOf(rows, limit, ParamBefore, func(last T) string { return strconv.FormatInt(id(last), 10) })
}

// ParseBefore reads an id list's position (before=<id>); a value the list did
// not make is a field error under "before".
func ParseBefore(q url.Values, v *ValidationError) int64 {
	b := q.Get(ParamBefore)
	if b == "" {
		return 0
	}
	id, err := strconv.ParseInt(b, 10, 64)
	if err != nil || id <= 0 {
		v.Add(ParamBefore, M("err.cursor"))
		return 0
	}
	return id
}

// ErrBadCursor is a cursor the app did not make, or one edited since.
var ErrBadCursor = errors.New("malformed list cursor")

// A cursor is the last row's sort key and id with the kind of key ('t' a
// time in Unix nanoseconds, 'a' an amount…) and a checksum. The checksum is
// no secret: a forged cursor only moves within what the service lets the
// reader see anyway; it catches links cut short or edited by hand, which
// would otherwise page from a silently wrong place.
const cursorSum = 4

// Cursor is a keyset position: the sort key and id of the row it sits on,
// which way the page it opens runs from that row, and where that row stands
// in the list, so a page can say "第 x–y 条" without counting the rows
// before it.
type Cursor struct {
	Kind    byte
	Key, ID int64
	// Back opens the page before the row (the previous page) instead of
	// the one after it.
	Back bool
	// Pos is the row's 1-based number in the list; 0 when unknown.
	Pos int64
}

// Encode makes the opaque form of c. A forward cursor without a position
// encodes as EncodeCursor always did, so links made before still work.
func (c Cursor) Encode() string {
	b := make([]byte, 0, 64)
	b = append(b, c.Kind)
	if c.Back {
		b = append(b, '<')
	}
	b = strconv.AppendInt(b, c.Key, 10)
	b = append(b, '.')
	b = strconv.AppendInt(b, c.ID, 10)
	if c.Pos > 0 {
		b = append(b, '.')
		b = strconv.AppendInt(b, c.Pos, 10)
	}
	sum := sha256.Sum256(b)
	return base64.RawURLEncoding.EncodeToString(append(b, sum[:cursorSum]...))
}

// ParseCursor reads a cursor Encode (or EncodeCursor) made with one of kinds.
func ParseCursor(s string, kinds string) (Cursor, error) {
	b, derr := base64.RawURLEncoding.Strict().DecodeString(s)
	if derr != nil || len(b) < 4+cursorSum || len(b) > 64 {
		return Cursor{}, ErrBadCursor
	}
	body, sum := b[:len(b)-cursorSum], b[len(b)-cursorSum:]
	if want := sha256.Sum256(body); string(want[:cursorSum]) != string(sum) || strings.IndexByte(kinds, body[0]) < 0 {
		return Cursor{}, ErrBadCursor
	}
	c := Cursor{Kind: body[0]}
	rest := string(body[1:])
	if strings.HasPrefix(rest, "<") {
		c.Back, rest = true, rest[1:]
	}
	parts := strings.Split(rest, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return Cursor{}, ErrBadCursor
	}
	var err1, err2, err3 error
	c.Key, err1 = strconv.ParseInt(parts[0], 10, 64)
	c.ID, err2 = strconv.ParseInt(parts[1], 10, 64)
	if len(parts) == 3 {
		c.Pos, err3 = strconv.ParseInt(parts[2], 10, 64)
		if c.Pos <= 0 {
			err3 = ErrBadCursor
		}
	}
	if err1 != nil || err2 != nil || err3 != nil || c.ID <= 0 {
		return Cursor{}, ErrBadCursor
	}
	return c, nil
}

// EncodeCursor makes the opaque cursor of a forward keyset position.
func EncodeCursor(kind byte, key, id int64) string {
	return Cursor{Kind: kind, Key: key, ID: id}.Encode()
}

// DecodeCursor reads a forward cursor without a position, for lists that
// page one way only; any other cursor is ErrBadCursor.
func DecodeCursor(c string, kinds string) (kind byte, key, id int64, err error) {
	cur, err := ParseCursor(c, kinds)
	if err != nil || cur.Back || cur.Pos != 0 {
		return 0, 0, 0, ErrBadCursor
	}
	return cur.Kind, cur.Key, cur.ID, nil
}

// CursorPage makes a page that pages both ways from rows read with limit+1
// from at (the zero Cursor for the first page). A backward read (at.Back)
// reads the rows nearest the cursor first, so rows come in reverse list
// order; CursorPage puts them back. key is a row's cursor (Kind, Key, ID).
// A backward read that found no row beyond the page reached the list's
// start: the caller reads the first page instead (first reports it), so
// the first page is always full and numbered from 1.
func CursorPage[T any](rows []T, limit int, at Cursor, key func(T) Cursor) (p Page[T], first bool) {
	p = Page[T]{Param: ParamCursor}
	more := len(rows) > limit
	if more {
		rows = rows[:limit]
	}
	if at.Back {
		if !more {
			return p, true
		}
		slices.Reverse(rows)
	}
	p.Rows = rows
	switch {
	case at.ID == 0:
		p.Start = 1
	case at.Pos > 0 && at.Back:
		p.Start = max(at.Pos-int64(len(rows)), 1)
	case at.Pos > 0:
		p.Start = at.Pos + 1
	}
	if len(rows) == 0 {
		return p, false
	}
	at0 := func(c Cursor, pos int64) Cursor {
		if p.Start > 0 {
			c.Pos = pos
		}
		return c
	}
	if more || at.Back {
		p.Next = at0(key(rows[len(rows)-1]), p.Start+int64(len(rows))-1).Encode()
	}
	if at.ID != 0 {
		c := at0(key(rows[0]), p.Start)
		c.Back = true
		p.Prev = c.Encode()
	}
	return p, false
}
