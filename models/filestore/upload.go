package filestore

import "io"

// Upload is one file of a form or an API call as it arrived: the name the
// client gave and a reader of its bytes (Dir.Save decides the size).
type Upload struct {
	Name string
	R    io.Reader
}
