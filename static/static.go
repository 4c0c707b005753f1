// Package static embeds the hand-written CSS and JS and names each file by a
// hash of its content, so browsers may cache them forever and still see every
// change.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
)

//go:embed css/*.css js/*.js img/*.svg
var files embed.FS

// FS is the embedded asset tree (css/, js/).
var FS fs.FS = files

var versions = func() map[string]string {
	v := map[string]string{}
	_ = fs.WalkDir(files, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		v[path] = hex.EncodeToString(sum[:6])
		return nil
	})
	return v
}()

// URL returns the cache-busted URL of an asset, e.g. URL("css/app.css").
func URL(name string) string {
	return "/static/" + versions[name] + "/" + name
}

// Version returns the content hash of name, or "" for an unknown asset.
func Version(name string) string { return versions[name] }
