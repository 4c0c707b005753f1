package supervision

import (
	"bytes"
	"io"
	"os"
	"testing"
)

func bytesOf(s string) io.Reader { return bytes.NewReader([]byte(s)) }

func repeat(b byte, n int) string { return string(bytes.Repeat([]byte{b}, n)) }

func countFiles(t *testing.T, dir string) int {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}
