package koogallery

import (
	"bytes"
	"encoding/json"
	"unicode/utf16"
	"unicode/utf8"
)

// MarshalASCII marshals v as compact JSON whose every non-ASCII character is
// written as \uXXXX (surrogate pairs above U+FFFF). The spec asks for memo
// ("如果备注包含中文内容,请将中文转换成unicode编码"); applying it to the whole
// body is equivalent JSON and keeps every byte ASCII. HTML characters are
// not escaped, and there is no trailing newline: the bytes returned are the
// bytes to sign.
func MarshalASCII(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return asciiEscape(bytes.TrimSuffix(buf.Bytes(), []byte{'\n'})), nil
}

// asciiEscape rewrites non-ASCII runes of valid JSON as \u escapes. Such
// runes only occur inside strings, where an escape means the same thing.
func asciiEscape(b []byte) []byte {
	n := 0
	for _, c := range b {
		if c >= utf8.RuneSelf {
			n++
		}
	}
	if n == 0 {
		return b
	}
	const hexDigits = "0123456789abcdef"
	out := make([]byte, 0, len(b)+4*n)
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			out = append(out, c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		for _, u := range utf16.Encode([]rune{r}) {
			out = append(out, '\\', 'u', hexDigits[u>>12], hexDigits[u>>8&0xf], hexDigits[u>>4&0xf], hexDigits[u&0xf])
		}
		i += size
	}
	return out
}
