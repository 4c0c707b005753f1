// Package filestore keeps uploaded files (ticket attachments, supervision
// documents) in a directory outside the web root, under names of ours, with
// their size decided by reading and their SHA-256 computed while writing.
// Which files an area accepts is the area's rule (Accept); refusals come
// back as a *Refusal the area turns into its own message.
package filestore

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sellercenter/sellercenter/models"
)

// Upload is a file as sent: its name as the browser gave it and its bytes.
// Size is decided by reading, never by what the client claims.
type Upload struct {
	Name string
	R    io.Reader
}

// Stored is a file written to the directory, not yet recorded by its area.
type Stored struct {
	Name        string // cleaned display name
	ContentType string
	SHA256      string // hex
	Storage     string // our name inside the directory
	Size        int64
}

// Accept decides from the cleaned name and the first (up to 512) bytes
// whether a file is allowed, and the content type to serve it with.
type Accept func(name string, head []byte) (contentType string, ok bool)

// Store writes files into Dir.
type Store struct {
	Dir    string
	Max    int64  // largest file accepted, in bytes
	Prefix string // of storage names, telling areas' files apart
	Accept Accept
}

// Refusal kinds.
const (
	RefusedEmpty = "empty"
	RefusedType  = "type"
	RefusedSize  = "size"
)

// Refusal says a file was not accepted; nothing of it stays on disk.
type Refusal struct {
	Kind string
	Name string
}

func (r *Refusal) Error() string { return fmt.Sprintf("file %q refused: %s", r.Name, r.Kind) }

// Save writes one upload; a refusal removes what was written.
func (s *Store) Save(u Upload) (Stored, error) {
	name := CleanName(u.Name)
	head := make([]byte, 512)
	n, err := io.ReadFull(u.R, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return Stored{}, err
	}
	head = head[:n]
	if n == 0 {
		return Stored{}, &Refusal{RefusedEmpty, name}
	}
	ctype, ok := s.Accept(name, head)
	if !ok {
		return Stored{}, &Refusal{RefusedType, name}
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return Stored{}, err
	}
	st := Stored{Name: name, ContentType: ctype, Storage: s.Prefix + hex.EncodeToString(b) + ".bin"}
	f, err := os.OpenFile(s.Path(st.Storage), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return Stored{}, err
	}
	h := sha256.New()
	// One byte past the limit tells an oversized file without reading it all.
	size, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(io.MultiReader(bytes.NewReader(head), u.R), s.Max+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && size > s.Max {
		err = &Refusal{RefusedSize, name}
	}
	if err != nil {
		_ = os.Remove(s.Path(st.Storage))
		return Stored{}, err
	}
	st.Size, st.SHA256 = size, hex.EncodeToString(h.Sum(nil))
	return st, nil
}

// SaveAll writes the uploads; on any error none of them stays.
func (s *Store) SaveAll(ups []Upload) ([]Stored, error) {
	var out []Stored
	for _, u := range ups {
		st, err := s.Save(u)
		if err != nil {
			s.Remove(out)
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// Remove deletes stored files (their records were not committed).
func (s *Store) Remove(sts []Stored) {
	for _, st := range sts {
		_ = os.Remove(s.Path(st.Storage))
	}
}

// Path is where a stored name lives; names are ours and kept inside the
// directory whatever a caller passes.
func (s *Store) Path(storage string) string { return filepath.Join(s.Dir, filepath.Base(storage)) }

// Open opens a stored file for reading.
func (s *Store) Open(storage string) (*os.File, error) { return os.Open(s.Path(storage)) }

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

// Invalid turns a refusal into the form error of field "files" in an
// area's messages (<area>.err.empty_file, .file_type, .too_large); any
// other error is returned as it is.
func Invalid(err error, area string, types []string, max int64) error {
	var r *Refusal
	if !errors.As(err, &r) {
		return err
	}
	v := &models.ValidationError{}
	switch r.Kind {
	case RefusedEmpty:
		v.Add("files", models.M(area+".err.empty_file", "Name", r.Name))
	case RefusedType:
		v.Add("files", models.M(area+".err.file_type", "Name", r.Name, "Types", strings.Join(types, ", ")))
	default:
		v.Add("files", models.M(area+".err.too_large", "Name", r.Name, "MB", max>>20))
	}
	return v
}
