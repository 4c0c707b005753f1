// Package invoices is 发票管理: customer invoices (给用户开票) requested by
// buyers through the marketplace or the buyer pages and issued, rejected,
// revoked or returned (退票) by the merchant's finance staff; the flag a
// refund puts on an issued invoice (需退票); monthly settlement statements
// (结算单) and the merchant's platform-fee invoice requests (平台费发票); and
// the reconciliation of invoices, refunds and settlement. Every state change
// goes through the transition tables in models and leaves an immutable
// timeline event and, for staff actions, an audit line.
//
// Forms that create requests (the buyer's request, 退票并重开) carry an
// idempotency token made when they render (NewRequestToken), so a double
// submit is one request and both submits land on it. Selections (the
// buyer's lines, finance's statements) travel with the form: its page
// buttons submit it, so ticks survive paging without script or a draft,
// checked and bounded on every page. Operations generate statements and set
// commission rates on their own page (StatementAdmin, GenerateFor,
// SetMerchantRate); a rate change applies to statements generated after it.
// A statement's page and its export (kind statement) read its lines in keyset
// steps (StatementLines, Reader.EachStatementLine), scoped like the list.
package invoices

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/filestore"
)

// Holidays is the installation's holiday calendar (models/calendars).
type Holidays interface {
	Holidays(ctx context.Context) (*bizclock.HolidaySet, error)
}

// Gate is the settlement gate: which order lines may be invoiced and
// settled. Supervision owns the rule (a supervised line passes once its
// supervision is complete); the gate is SQL so that statements and the
// reconciliation stay set-based over millions of lines.
type Gate interface {
	// SettleableSQL is a condition over order_lines aliased "ol", with its
	// arguments, true for the lines that pass.
	SettleableSQL() (string, []any)
}

// EveryLine lets every line pass: the default where no supervision gate is
// configured (the app configures supervision.Gate).
type EveryLine struct{}

// SettleableSQL implements Gate.
func (EveryLine) SettleableSQL() (string, []any) { return "1 = 1", nil }

// Config tunes the service; zero values take the defaults.
type Config struct {
	// Dir holds the invoice files (created if missing); it must lie outside
	// anything served statically.
	Dir string
	// MaxFile caps an invoice file (default 10 MiB).
	MaxFile int64
	// Gate is the settlement gate (default EveryLine).
	Gate Gate
}

// Service is the invoices service.
type Service struct {
	db       *gorm.DB
	clock    bizclock.Clock
	holidays Holidays
	cfg      Config
	files    filestore.Dir
}

// New builds the service; holidays may be nil (the shipped mainland-China
// calendar).
func New(db *gorm.DB, clock bizclock.Clock, holidays Holidays, cfg Config) (*Service, error) {
	if cfg.Dir == "" {
		return nil, errors.New("invoices: no file directory")
	}
	if cfg.MaxFile <= 0 {
		cfg.MaxFile = 10 << 20
	}
	if cfg.Gate == nil {
		cfg.Gate = EveryLine{}
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("invoices directory: %w", err)
	}
	return &Service{db: db, clock: clock, holidays: holidays, cfg: cfg,
		files: filestore.Dir{Path: cfg.Dir, Max: cfg.MaxFile, Prefix: "inv-", Accept: acceptInvoiceFile}}, nil
}

// Dir is where the invoice files are kept.
func (s *Service) Dir() string { return s.cfg.Dir }

// now is the current instant to the second: stored instants are whole
// seconds, so comparisons in SQL and in Go agree.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Second) }

func (s *Service) holidaySet(ctx context.Context) (*bizclock.HolidaySet, error) {
	if s.holidays == nil {
		return bizclock.MainlandChina(), nil
	}
	return s.holidays.Holidays(ctx)
}

// overdueAt is when a request made at t becomes overdue: 3 working days
// later on the mainland calendar, read in Beijing time.
func overdueAt(t time.Time, hs *bizclock.HolidaySet) time.Time {
	return hs.AddWorkingDays(t, models.InvoiceOverdueDays, bizclock.Shanghai).UTC()
}

// acceptInvoiceFile admits PDF, and OFD (the national e-invoice format, a
// zip package) by its name; the OFD's inside is checked once stored.
func acceptInvoiceFile(ctype, name string) bool {
	switch ctype {
	case "application/pdf":
		return true
	case "application/zip":
		return strings.HasSuffix(strings.ToLower(name), ".ofd")
	}
	return false
}

// validOFD reports whether a stored zip is an OFD package: its entry point
// OFD.xml at the root.
func validOFD(path string) bool {
	z, err := zip.OpenReader(path)
	if err != nil {
		return false
	}
	defer z.Close()
	for _, f := range z.File {
		if f.Name == "OFD.xml" {
			return true
		}
	}
	return false
}

func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return models.ErrNotFound
	}
	return err
}

// conflict is a refused action: the invoice is not in a state that allows it.
func conflict(m models.Msg) error { return &models.ConflictError{Msg: m} }

func refusedIn(st models.InvoiceStatus) error {
	return conflict(models.M("invoices.err.not_allowed", "State", models.M(st.MsgID())))
}
