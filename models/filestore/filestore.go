// Package filestore keeps uploaded files (ticket attachments, invoice PDFs,
// supervision documents) in a directory outside the web root, under random
// names of ours, with the type sniffed from the bytes and the size decided
// by reading, never by what the client claims.
//
// Whatever a directory accepts, no store keeps a document a browser would
// run: a name ending in .svg, .html and their relatives (any letter case) is
// refused, and so is text containing SVG or HTML markup anywhere in it —
// net/http's sniffing has no SVG rule, so an SVG with a script under a .png
// or .txt name sniffs as text/plain and is caught only by reading it all.
package filestore

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Dir is a storage directory with its size limit and the content types it
// accepts.
type Dir struct {
	Path string
	Max  int64
	// Accept says whether a file of this sniffed type (net/http's
	// algorithm) and name may be stored.
	Accept func(ctype, name string) bool
	Prefix string // of the stored names, e.g. "att-"
}

// Stored is a file written to the directory, not yet recorded anywhere.
type Stored struct {
	Name, ContentType, SHA256, Storage string
	Size                               int64
}

// Refusal kinds: why an upload was not stored.
const (
	RefusedEmpty    = "empty"
	RefusedType     = "type"
	RefusedTooLarge = "too_large"
)

// Refusal is bad input: nothing was kept. Callers turn it into their own
// field message.
type Refusal struct {
	Kind string
	Name string // the cleaned file name
}

func (r *Refusal) Error() string { return "filestore: " + r.Name + ": " + r.Kind }

// Save writes r under a new name. A Refusal is bad input; any other error
// is the disk's.
func (d Dir) Save(name string, r io.Reader) (Stored, error) {
	name = CleanName(name)
	head := make([]byte, 512)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return Stored{}, err
	}
	head = head[:n]
	if n == 0 {
		return Stored{}, &Refusal{RefusedEmpty, name}
	}
	ctype := http.DetectContentType(head)
	if activeName(name) || d.Accept == nil || !d.Accept(ctype, name) {
		return Stored{}, &Refusal{RefusedType, name}
	}
	var scan *markupScanner
	if textual(ctype) {
		scan = &markupScanner{}
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return Stored{}, err
	}
	st := Stored{Name: name, ContentType: ctype, Storage: d.Prefix + hex.EncodeToString(b) + ".bin"}
	f, err := os.OpenFile(d.File(st.Storage), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return Stored{}, err
	}
	h := sha256.New()
	sinks := []io.Writer{f, h}
	if scan != nil {
		sinks = append(sinks, scan)
	}
	// One byte past the limit tells an oversized file without reading it all.
	size, err := io.Copy(io.MultiWriter(sinks...), io.LimitReader(io.MultiReader(bytes.NewReader(head), r), d.Max+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && size > d.Max {
		err = &Refusal{RefusedTooLarge, name}
	}
	if err == nil && scan != nil && scan.found {
		err = &Refusal{RefusedType, name}
	}
	if err != nil {
		d.Remove(st.Storage)
		return Stored{}, err
	}
	st.Size, st.SHA256 = size, hex.EncodeToString(h.Sum(nil))
	return st, nil
}

// File is where a stored name lives; names are ours and kept inside the
// directory.
func (d Dir) File(storage string) string { return filepath.Join(d.Path, filepath.Base(storage)) }

// Remove deletes a stored file, if it is there.
func (d Dir) Remove(storage string) { _ = os.Remove(d.File(storage)) }

// Open opens a stored file; a missing one is os.ErrNotExist.
func (d Dir) Open(storage string) (*os.File, error) { return os.Open(d.File(storage)) }

// CleanName keeps a file name displayable and safe in a header: the last
// path element, no control characters, at most 120 characters.
func CleanName(n string) string {
	n = strings.ReplaceAll(n, "\\", "/")
	if i := strings.LastIndexByte(n, '/'); i >= 0 {
		n = n[i+1:]
	}
	n = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' || r == utf8.RuneError {
			return -1
		}
		return r
	}, n)
	n = strings.TrimSpace(n)
	if r := []rune(n); len(r) > 120 {
		n = string(r[len(r)-120:])
	}
	if n == "" || n == "." || n == ".." {
		n = "attachment"
	}
	return n
}
