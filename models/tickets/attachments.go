package tickets

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/filestore"
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

// dir is the attachment directory with its limits.
func (s *Service) dir() filestore.Dir {
	return filestore.Dir{Path: s.cfg.Dir, Max: s.cfg.MaxAttachment, Prefix: "att-",
		Accept: func(ctype, _ string) bool { return allowedTypes[ctype] }}
}

// storeAll writes the uploads under names of ours; any refusal removes what
// was written and is reported per file as ticket field "files".
func (s *Service) storeAll(ups []Upload) ([]filestore.Stored, error) {
	if len(ups) > MaxFiles {
		v := &models.ValidationError{}
		v.Add("files", models.M("tickets.err.too_many_files", "Max", MaxFiles))
		return nil, v
	}
	var out []filestore.Stored
	for _, u := range ups {
		st, err := s.dir().Save(u.Name, u.R)
		if err != nil {
			s.removeAll(out)
			return nil, refusedFile(err, s.cfg.MaxAttachment)
		}
		out = append(out, st)
	}
	return out, nil
}

// refusedFile turns a refused upload into the ticket's field message.
func refusedFile(err error, max int64) error {
	var r *filestore.Refusal
	if !errors.As(err, &r) {
		return err
	}
	m := models.M("tickets.err.empty_file", "Name", r.Name)
	switch r.Kind {
	case filestore.RefusedType:
		m = models.M("tickets.err.file_type", "Name", r.Name, "Types", strings.Join(AllowedTypes(), ", "))
	case filestore.RefusedTooLarge:
		m = models.M("tickets.err.too_large", "Name", r.Name, "MB", max>>20)
	}
	v := &models.ValidationError{}
	v.Add("files", m)
	return v
}

func (s *Service) removeAll(sts []filestore.Stored) {
	for _, st := range sts {
		s.dir().Remove(st.Storage)
	}
}

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
		return writeMessage(tx, actor, c, in.Kind, in.Body, files)
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
	} else if actor.IsPlatform() {
		t, err = s.loadForPlatform(db, actor, ticketID)
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
	f, err := s.dir().Open(a.StorageName)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, models.ErrNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	return &a, f, nil
}

// writeMessage stores a message by the actor with its files (already in the
// store), inside the change's transaction.
func writeMessage(tx *gorm.DB, actor models.Actor, c *change, kind string, body string, files []filestore.Stored) error {
	var u models.User
	if err := tx.Select("name", "email").Take(&u, actor.UserID).Error; err != nil {
		return err
	}
	m := models.TicketMessage{TicketRef: c.t.ID, MerchantID: c.t.MerchantID, Kind: kind, AuthorUserID: c.userID,
		AuthorName: u.DisplayName(), Body: body, CreatedAt: c.now}
	if err := tx.Create(&m).Error; err != nil {
		return err
	}
	for _, f := range files {
		if err := tx.Create(&models.TicketAttachment{TicketRef: c.t.ID, MerchantID: c.t.MerchantID, MessageRef: m.ID,
			FileName: f.Name, ContentType: f.ContentType, Size: f.Size, SHA256: f.SHA256, StorageName: f.Storage,
			UploadedBy: c.userID, CreatedAt: c.now}).Error; err != nil {
			return err
		}
	}
	return nil
}
