package models

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/url"
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

// EncodeCursor makes the opaque cursor of a keyset position.
func EncodeCursor(kind byte, key, id int64) string {
	b := make([]byte, 0, 48)
	b = append(b, kind)
	b = strconv.AppendInt(b, key, 10)
	b = append(b, '.')
	b = strconv.AppendInt(b, id, 10)
	sum := sha256.Sum256(b)
	return base64.RawURLEncoding.EncodeToString(append(b, sum[:cursorSum]...))
}

// DecodeCursor reads a cursor EncodeCursor made with one of kinds.
func DecodeCursor(c string, kinds string) (kind byte, key, id int64, err error) {
	b, derr := base64.RawURLEncoding.Strict().DecodeString(c)
	if derr != nil || len(b) < 4+cursorSum || len(b) > 48 {
		return 0, 0, 0, ErrBadCursor
	}
	body, sum := b[:len(b)-cursorSum], b[len(b)-cursorSum:]
	if want := sha256.Sum256(body); string(want[:cursorSum]) != string(sum) || strings.IndexByte(kinds, body[0]) < 0 {
		return 0, 0, 0, ErrBadCursor
	}
	k, i, ok := strings.Cut(string(body[1:]), ".")
	if !ok {
		return 0, 0, 0, ErrBadCursor
	}
	key, err1 := strconv.ParseInt(k, 10, 64)
	id, err2 := strconv.ParseInt(i, 10, 64)
	if err1 != nil || err2 != nil || id <= 0 {
		return 0, 0, 0, ErrBadCursor
	}
	return body[0], key, id, nil
}
