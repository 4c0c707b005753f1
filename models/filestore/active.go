package filestore

import (
	"bytes"
	"path/filepath"
	"strings"
)

// activeExts are names a browser would render as a document that runs
// script (SVG, HTML and their relatives), refused whatever the bytes are:
// a download keeps its name, and a name decides how a saved file opens.
var activeExts = map[string]bool{
	".svg": true, ".svgz": true, ".html": true, ".htm": true, ".xhtml": true, ".xht": true, ".shtml": true,
	".mht": true, ".mhtml": true, ".xml": true, ".xsl": true, ".xslt": true, ".js": true, ".mjs": true, ".hta": true,
}

// activeName reports whether the file's extension, in any letter case, is
// one of activeExts.
func activeName(name string) bool {
	return activeExts[strings.ToLower(filepath.Ext(name))]
}

// markupMarkers are what makes text an SVG or HTML document (or a fragment
// a browser would run). net/http's sniffing knows no SVG rule, so an SVG
// with a script sniffs as text/plain: text is therefore read to its end for
// these, in any letter case.
var markupMarkers = [][]byte{
	[]byte("<svg"), []byte("<script"), []byte("<html"), []byte("<!doctype"), []byte("<?xml"),
	[]byte("<iframe"), []byte("<object"), []byte("<embed"), []byte("<body"), []byte("<head"),
	[]byte("<meta"), []byte("<foreignobject"), []byte("<xsl:"), []byte("javascript:"),
}

// longestMarker is the overlap kept between two writes so a marker split
// across them is still seen.
var longestMarker = func() int {
	n := 0
	for _, m := range markupMarkers {
		n = max(n, len(m))
	}
	return n
}()

// textual reports whether a sniffed type is text, whose every byte must be
// scanned for markup; binary formats are identified by their magic bytes and
// served as what they are.
func textual(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "xml")
}

// markupScanner is an io.Writer that remembers whether anything written
// contained a markup marker.
type markupScanner struct {
	tail  []byte
	found bool
}

func (m *markupScanner) Write(p []byte) (int, error) {
	if m.found {
		return len(p), nil
	}
	buf := bytes.ToLower(append(m.tail, p...))
	for _, mk := range markupMarkers {
		if bytes.Contains(buf, mk) {
			m.found = true
			return len(p), nil
		}
	}
	keep := min(len(buf), longestMarker-1)
	m.tail = append(m.tail[:0], buf[len(buf)-keep:]...)
	return len(p), nil
}
