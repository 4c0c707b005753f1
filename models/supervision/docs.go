package supervision

import (
	"bytes"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/filestore"
)

// Upload is a document as sent.
type Upload = filestore.Upload

// docTypes are the accepted extensions and the type each is served with.
// The bytes must agree with the extension: Office Open files and ZIPs are
// ZIP containers, the old Office formats OLE2 compound files; a renamed
// executable or HTML page is refused.
var docTypes = map[string]struct{ sniff, serve string }{
	".pdf":  {"application/pdf", "application/pdf"},
	".png":  {"image/png", "image/png"},
	".jpg":  {"image/jpeg", "image/jpeg"},
	".jpeg": {"image/jpeg", "image/jpeg"},
	".txt":  {"text/plain; charset=utf-8", "text/plain; charset=utf-8"},
	".zip":  {"application/zip", "application/zip"},
	".docx": {"application/zip", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	".xlsx": {"application/zip", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	".doc":  {"ole2", "application/msword"},
	".xls":  {"ole2", "application/vnd.ms-excel"},
}

var ole2Magic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// AllowedTypes lists what may be uploaded, for the form's hint.
func AllowedTypes() []string {
	return []string{"PDF", "DOC", "DOCX", "XLS", "XLSX", "PNG", "JPG", "ZIP", "TXT"}
}

func acceptDoc(name string, head []byte) (string, bool) {
	t, ok := docTypes[strings.ToLower(filepath.Ext(name))]
	if !ok {
		return "", false
	}
	if t.sniff == "ole2" {
		return t.serve, bytes.HasPrefix(head, ole2Magic)
	}
	return t.serve, http.DetectContentType(head) == t.sniff
}

// storeDocs writes the uploads; a refusal is the field "files" and nothing
// stays on disk.
func (s *Service) storeDocs(ups []Upload) ([]filestore.Stored, error) {
	if len(ups) > s.cfg.MaxFiles {
		v := &models.ValidationError{}
		v.Add("files", models.M("supervision.err.too_many_files", "Max", s.cfg.MaxFiles))
		return nil, v
	}
	out, err := s.files.SaveAll(ups)
	if err != nil {
		return nil, filestore.Invalid(err, "supervision", AllowedTypes(), s.cfg.MaxFile)
	}
	return out, nil
}

// recordDocs records stored files as documents of a flow's event.
func recordDocs(tx *gorm.DB, f *models.SupFlow, eventID int64, kind string, party models.SupParty,
	files []filestore.Stored, now time.Time) error {
	for _, st := range files {
		fid, eid := f.ID, eventID
		if err := tx.Create(&models.SupDocument{MerchantID: f.MerchantID, FlowRef: &fid, EventRef: &eid, Kind: kind,
			Party: party, FileName: st.Name, ContentType: st.ContentType, Size: st.Size, SHA256: st.SHA256,
			StorageName: st.Storage, CreatedAt: now}).Error; err != nil {
			return err
		}
	}
	return nil
}
