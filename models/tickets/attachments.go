package tickets

import (
	"bytes"
	"context"
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

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
)

// Upload is a file sent with a reply: its name as the browser gave it and
// its bytes. Size is decided by reading, never by what the client claims.
type Upload struct {
	Name string
	R    io.Reader
}

// MaxFiles is how many files one message may carry.
const MaxFiles = 5

// allowedTypes are the content types accepted, as sniffed from the bytes
// (net/http's algorithm): pictures, PDF and plain text. Anything a browser
// could run (HTML, SVG, scripts) or that hides other content (archives,
// executables) is refused.
var allowedTypes = map[string]bool{
	"image/png":                 true,
	"image/jpeg":                true,
	"image/gif":                 true,
	"image/webp":                true,
	"application/pdf":           true,
	"text/plain; charset=utf-8": true,
}

// AllowedTypes lists what may be attached, for the form's hint.
func AllowedTypes() []string { return []string{"PNG", "JPEG", "GIF", "WebP", "PDF", "TXT"} }

// stored is a file written to the attachment directory, not yet recorded.
type stored struct {
	name, ctype, sha, storage string
	size                      int64
}

// storeAll writes the uploads under names of ours; any refusal removes what
// was written and is reported per file as ticket field "files".
func (s *Service) storeAll(ups []Upload) ([]stored, error) {
	if len(ups) > MaxFiles {
		v := &models.ValidationError{}
		v.Add("files", models.M("tickets.err.too_many_files", "Max", MaxFiles))
		return nil, v
	}
	var out []stored
	for _, u := range ups {
		st, err := s.store(u)
		if err != nil {
			s.removeAll(out)
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

func (s *Service) removeAll(sts []stored) {
	for _, st := range sts {
		_ = os.Remove(s.path(st.storage))
	}
}

func (s *Service) store(u Upload) (stored, error) {
	name := cleanName(u.Name)
	bad := func(m models.Msg) error {
		v := &models.ValidationError{}
		v.Add("files", m)
		return v
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(u.R, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return stored{}, err
	}
	head = head[:n]
	if n == 0 {
		return stored{}, bad(models.M("tickets.err.empty_file", "Name", name))
	}
	ctype := http.DetectContentType(head)
	if !allowedTypes[ctype] {
		return stored{}, bad(models.M("tickets.err.file_type", "Name", name, "Types", strings.Join(AllowedTypes(), ", ")))
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return stored{}, err
	}
	st := stored{name: name, ctype: ctype, storage: "att-" + hex.EncodeToString(b) + ".bin"}
	f, err := os.OpenFile(s.path(st.storage), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return stored{}, err
	}
	h := sha256.New()
	// One byte past the limit tells an oversized file without reading it all.
	size, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(io.MultiReader(bytes.NewReader(head), u.R), s.cfg.MaxAttachment+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && size > s.cfg.MaxAttachment {
		err = bad(models.M("tickets.err.too_large", "Name", name, "MB", s.cfg.MaxAttachment>>20))
	}
	if err != nil {
		_ = os.Remove(s.path(st.storage))
		return stored{}, err
	}
	st.size, st.sha = size, hex.EncodeToString(h.Sum(nil))
	return st, nil
}

// cleanName keeps a file name displayable and safe in a header: the last
// path element, no control characters, at most 120 characters.
func cleanName(n string) string {
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

// path is where a stored name lives; names are ours and kept inside the
// directory.
func (s *Service) path(name string) string { return filepath.Join(s.cfg.Dir, filepath.Base(name)) }

// ReplyInput is a merchant's message: a public reply (the first one stops
// the first-response clock) or an internal note, with optional files.
type ReplyInput struct {
	Kind  string // models.TicketMsgReply or models.TicketMsgNote
	Body  string
	Files []Upload
}

// Reply records a merchant's reply or note with its files in one
// transaction. Bad input (text, file size or type) is a ValidationError; a
// reply to a closed ticket is a conflict; either way nothing is stored.
func (s *Service) Reply(ctx context.Context, actor models.Actor, id int64, in ReplyInput) error {
	if err := merchantScope(actor); err != nil {
		return err
	}
	v := &models.ValidationError{}
	action := models.TicketReply
	switch in.Kind {
	case models.TicketMsgReply:
	case models.TicketMsgNote:
		action = models.TicketNote
	default:
		v.Add("kind", models.M("err.enum", "Values", "reply, note"))
	}
	v.Text("body", in.Body, models.TicketBodyMax, true, true)
	if v.Err() != nil {
		return v
	}
	// Refuse a closed ticket before reading any file; the transaction takes
	// the calendar from this read.
	t, err := s.loadForMerchant(s.db.WithContext(ctx), actor, id)
	if err != nil {
		return err
	}
	if _, err := models.TicketTransition(t.State, action); err != nil {
		return refused(t.State, action)
	}
	files, err := s.storeAll(in.Files)
	if err != nil {
		return err
	}
	err = s.ticketTx(ctx, actor, t, s.loadForMerchant, models.TicketByStaff, func(tx *gorm.DB, c *change) error {
		c.action = action
		if err := s.apply(tx, c); err != nil {
			return err
		}
		if action == models.TicketReply {
			if err := s.respond(tx, c); err != nil {
				return err
			}
		}
		var u models.User
		if err := tx.Select("name", "email").Take(&u, actor.UserID).Error; err != nil {
			return err
		}
		m := models.TicketMessage{TicketRef: c.t.ID, MerchantID: c.t.MerchantID, Kind: in.Kind, AuthorUserID: c.userID,
			AuthorName: u.DisplayName(), Body: in.Body, CreatedAt: c.now}
		if err := tx.Create(&m).Error; err != nil {
			return err
		}
		for _, f := range files {
			if err := tx.Create(&models.TicketAttachment{TicketRef: c.t.ID, MerchantID: c.t.MerchantID, MessageRef: m.ID,
				FileName: f.name, ContentType: f.ctype, Size: f.size, SHA256: f.sha, StorageName: f.storage,
				UploadedBy: c.userID, CreatedAt: c.now}).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		s.removeAll(files)
	}
	return err
}

// OpenAttachment authorizes a download: a file of a ticket of the actor's
// merchant, or, for a buyer, a file of a public message of their own ticket.
// The caller streams and closes the file.
func (s *Service) OpenAttachment(ctx context.Context, actor models.Actor, ticketID, attID int64) (*models.TicketAttachment, *os.File, error) {
	db := s.db.WithContext(ctx)
	var t *models.Ticket
	var err error
	buyer := actor.Can(models.PermBuyerPortal)
	if buyer {
		t, err = s.loadForBuyer(db, actor, ticketID)
	} else {
		t, err = s.loadForMerchant(db, actor, ticketID)
	}
	if err != nil {
		return nil, nil, err
	}
	var a models.TicketAttachment
	if err := db.Where("id = ? AND ticket_ref = ?", attID, t.ID).Take(&a).Error; err != nil {
		return nil, nil, notFound(err)
	}
	if buyer {
		var m models.TicketMessage
		if err := db.Take(&m, a.MessageRef).Error; err != nil {
			return nil, nil, notFound(err)
		}
		if !m.Public() {
			return nil, nil, models.ErrNotFound
		}
	}
	f, err := os.Open(s.path(a.StorageName))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, models.ErrNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	return &a, f, nil
}
