package supervision

import (
	"bufio"
	"bytes"
	"path/filepath"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/filestore"
)

// Upload is a document as sent.
type Upload = filestore.Upload

// docTypes are the accepted extensions, the type the bytes must sniff as
// (net/http's algorithm) and the type each is served with. The bytes must
// agree with the extension: Office Open files and ZIPs are ZIP containers;
// the old Office formats sniff as nothing known, so their OLE2 signature is
// checked besides; a renamed executable or HTML page is refused.
var docTypes = map[string]struct{ sniff, serve string }{
	".pdf":  {"application/pdf", "application/pdf"},
	".png":  {"image/png", "image/png"},
	".jpg":  {"image/jpeg", "image/jpeg"},
	".jpeg": {"image/jpeg", "image/jpeg"},
	".txt":  {"text/plain; charset=utf-8", "text/plain; charset=utf-8"},
	".zip":  {"application/zip", "application/zip"},
	".docx": {"application/zip", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	".xlsx": {"application/zip", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	".doc":  {ole2, "application/msword"},
	".xls":  {ole2, "application/vnd.ms-excel"},
}

// ole2 is what net/http sniffs an OLE2 compound file as.
const ole2 = "application/octet-stream"

var ole2Magic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// AllowedTypes lists what may be uploaded, for the form's hint.
func AllowedTypes() []string {
	return []string{"PDF", "DOC", "DOCX", "XLS", "XLSX", "PNG", "JPG", "ZIP", "TXT"}
}

func docType(name string) (struct{ sniff, serve string }, bool) {
	t, ok := docTypes[strings.ToLower(filepath.Ext(name))]
	return t, ok
}

// dir is the document directory with its limits.
func (s *Service) dir() filestore.Dir {
	return filestore.Dir{Path: s.cfg.Dir, Max: s.cfg.MaxFile, Prefix: "sup-",
		Accept: func(ctype, name string) bool {
			t, ok := docType(name)
			return ok && ctype == t.sniff
		}}
}

// storeDocs writes the uploads; a refusal is the field "files" and nothing
// stays on disk.
func (s *Service) storeDocs(ups []Upload) ([]filestore.Stored, error) {
	if len(ups) > s.cfg.MaxFiles {
		v := &models.ValidationError{}
		v.Add("files", models.M("supervision.err.too_many_files", "Max", s.cfg.MaxFiles))
		return nil, v
	}
	var out []filestore.Stored
	for _, u := range ups {
		st, err := s.storeDoc(u)
		if err != nil {
			s.removeDocs(out)
			return nil, filestore.Invalid(err, "supervision", AllowedTypes(), s.cfg.MaxFile)
		}
		out = append(out, st)
	}
	return out, nil
}

// storeDoc saves one upload and records it with the type its extension is
// served with (the sniffed one says only "ZIP" for a .docx).
func (s *Service) storeDoc(u Upload) (filestore.Stored, error) {
	br := bufio.NewReaderSize(u.R, 512)
	t, ok := docType(u.Name)
	if ok && t.sniff == ole2 {
		if head, _ := br.Peek(len(ole2Magic)); len(head) > 0 && !bytes.Equal(head, ole2Magic) {
			return filestore.Stored{}, &filestore.Refusal{Kind: filestore.RefusedType, Name: filestore.CleanName(u.Name)}
		}
	}
	st, err := s.dir().Save(u.Name, br)
	if err != nil {
		return st, err
	}
	st.ContentType = t.serve
	return st, nil
}

func (s *Service) removeDocs(sts []filestore.Stored) {
	for _, st := range sts {
		s.dir().Remove(st.Storage)
	}
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
