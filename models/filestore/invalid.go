package filestore

import (
	"errors"
	"strings"

	"github.com/sellercenter/sellercenter/models"
)

// Invalid turns a refusal into the form error of field "files" in an
// area's own messages (<area>.err.empty_file, .file_type, .too_large), so an
// area sharing the store needs no switch of its own; any other error (the
// disk's) is returned as it is.
func Invalid(err error, area string, types []string, max int64) error {
	var r *Refusal
	if !errors.As(err, &r) {
		return err
	}
	m := models.M(area+".err.empty_file", "Name", r.Name)
	switch r.Kind {
	case RefusedType:
		m = models.M(area+".err.file_type", "Name", r.Name, "Types", strings.Join(types, ", "))
	case RefusedTooLarge:
		m = models.M(area+".err.too_large", "Name", r.Name, "MB", max>>20)
	}
	v := &models.ValidationError{}
	v.Add("files", m)
	return v
}
