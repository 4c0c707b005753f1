package db

import (
	"strconv"
	"strings"
	"sync"
)

var rebound sync.Map // query text → PostgreSQL text

// Rebind rewrites a query's ? placeholders as PostgreSQL's $1, $2, … for
// code that runs SQL on database/sql directly (GORM rebinds its own). A ?
// inside a quoted literal or identifier is left alone. Results are cached by
// query text: the dispatch path sends the same few statements all day.
func Rebind(q string) string {
	if v, ok := rebound.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	out := b.String()
	rebound.Store(q, out)
	return out
}
