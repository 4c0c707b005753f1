package supervision

import (
	"bytes"
	"testing"
)

// The shared store sniffs; the area decides by extension what the bytes
// must be and serves each document with its extension's type.
func TestStoreDocTypes(t *testing.T) {
	e := newTEnv(t)
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 100)...)
	for _, c := range []struct {
		name  string
		data  []byte
		serve string // "" refused
	}{
		{"spec.doc", ole, "application/msword"},
		{"spec.doc", []byte("MZ\x90\x00 not a word file"), ""},
		{"sheet.docx", []byte("PK\x03\x04 zip container"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"sheet.docx", []byte("%PDF-1.4 not a zip"), ""},
		{"note.txt", []byte("交付说明"), "text/plain; charset=utf-8"},
		{"page.html", []byte("<html>"), ""},
	} {
		sts, err := e.svc.storeDocs([]Upload{{Name: c.name, R: bytes.NewReader(c.data)}})
		switch {
		case c.serve == "" && fieldErr(err, "files") != "supervision.err.file_type":
			t.Errorf("%s %q: want refused, got %v", c.name, c.data[:4], err)
		case c.serve != "" && (err != nil || sts[0].ContentType != c.serve || sts[0].Size != int64(len(c.data))):
			t.Errorf("%s: %v %+v", c.name, err, sts)
		}
	}
}
