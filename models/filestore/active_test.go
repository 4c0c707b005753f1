package filestore

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
)

// permissive accepts every sniffed type, so what is refused below is refused
// by the store itself, for every area sharing it.
func permissive(t *testing.T) Dir {
	return Dir{Path: t.TempDir(), Max: 1 << 20, Prefix: "t-", Accept: func(string, string) bool { return true }}
}

const svgScript = `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>`

func TestActiveDocumentsAreRefusedByNameAndByContent(t *testing.T) {
	d := permissive(t)
	long := strings.Repeat("日志行 log line\n", 200) // pushes the markup past the 512 sniffed bytes
	cases := map[string]struct{ name, body string }{
		"svg with a script under .png":      {"shot.png", svgScript},
		"svg with a script under .txt":      {"notes.txt", svgScript},
		"svg with an xml prolog under .txt": {"a.txt", `<?xml version="1.0"?>` + svgScript},
		"svg after 512 bytes of text":       {"trace.txt", long + svgScript},
		"marker split across writes":        {"trace.txt", strings.Repeat("x", 32*1024-3) + "<sCrIpT>alert(1)</script>"},
		"html file":                         {"page.html", "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"},
		"html under .txt":                   {"page.txt", "<html><body>hi</body></html>"},
		"uppercase .SVG name, plain bytes":  {"LOGO.SVG", "just text"},
		"uppercase .HTM name":               {"INDEX.HTM", "hello"},
		"mixed-case .Html name":             {"x.Html", "hello"},
		"uppercase markup":                  {"x.TXT", "<SVG><SCRIPT>alert(1)</SCRIPT></SVG>"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := d.Save(c.name, strings.NewReader(c.body))
			var r *Refusal
			if !errors.As(err, &r) || r.Kind != RefusedType {
				t.Fatalf("stored or other error: %v", err)
			}
		})
	}
	if left, _ := os.ReadDir(d.Path); len(left) != 0 {
		t.Fatalf("refused uploads left %d files", len(left))
	}
}

func TestOrdinaryFilesAreStillStored(t *testing.T) {
	d := permissive(t)
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte("<svg"), 50)...) // binary: its magic decides
	for name, body := range map[string][]byte{
		"trace.txt":  []byte(strings.Repeat("a < b and c > d\n", 100)),
		"shot.PNG":   png,
		"report.pdf": []byte("%PDF-1.4\n1 0 obj\n"),
	} {
		st, err := d.Save(name, bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if st.Size != int64(len(body)) {
			t.Fatalf("%s: size %d", name, st.Size)
		}
	}
}
