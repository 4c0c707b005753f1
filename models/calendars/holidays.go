package calendars

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/audit"
	"github.com/sellercenter/sellercenter/models/bizclock"
)

// MaxImportBytes bounds an imported holiday file (a year is about 2 KB).
const MaxImportBytes = 256 << 10

const maxNameRunes = 64

// HolidayYearView is one year of the holiday editor.
type HolidayYearView struct {
	Year      int
	Known     bool // the database has this year
	Confirmed bool
	Source    string
	Note      string
	Origin    string
	UpdatedAt time.Time
	Days      []bizclock.Day
	Off       int
	Makeup    int
	Years     []int // every year the database knows, ascending
}

// HolidayInput adds one day.
type HolidayInput struct {
	Date string
	Kind string
	Name string
}

// ImportResult says what an import replaced.
type ImportResult struct {
	Years []int
	Days  int
}

func canEdit(actor models.Actor) error {
	if !actor.Can(models.PermAdminCalendar) {
		return models.ErrForbidden
	}
	return nil
}

// HolidayYear lists a year's days off and make-up days (by the year of the
// announcement they belong to).
func (s *Service) HolidayYear(ctx context.Context, actor models.Actor, year int) (HolidayYearView, error) {
	if err := canEdit(actor); err != nil {
		return HolidayYearView{}, err
	}
	if year < 2000 || year > 2100 {
		v := &models.ValidationError{}
		v.Add("year", models.M("calendars.err.year_range"))
		return HolidayYearView{}, v
	}
	if err := s.ensureShipped(ctx); err != nil {
		return HolidayYearView{}, err
	}
	db := s.db.WithContext(ctx)
	view := HolidayYearView{Year: year}
	if err := db.Model(&models.HolidayYear{}).Order("year").Pluck("year", &view.Years).Error; err != nil {
		return view, err
	}
	var y models.HolidayYear
	res := db.Where("year = ?", year).Limit(1).Find(&y)
	if res.Error != nil {
		return view, res.Error
	}
	if res.RowsAffected == 1 {
		view.Known, view.Confirmed, view.Source, view.Note, view.Origin, view.UpdatedAt =
			true, y.Confirmed, y.Source, y.Note, y.Origin, y.UpdatedAt
	}
	var rows []models.Holiday
	if err := db.Where("year = ?", year).Order("day").Find(&rows).Error; err != nil {
		return view, err
	}
	for _, r := range rows {
		d, err := bizclock.ParseDate(r.Day)
		if err != nil {
			return view, err
		}
		view.Days = append(view.Days, bizclock.Day{Date: d, Kind: r.Kind, Name: r.Name})
		if r.Kind == bizclock.KindOff {
			view.Off++
		} else {
			view.Makeup++
		}
	}
	return view, nil
}

// AddHoliday lists one day off or make-up workday. The date must exist, not
// be listed already, and a make-up day must fall on a Saturday or Sunday.
func (s *Service) AddHoliday(ctx context.Context, actor models.Actor, in HolidayInput) error {
	if err := canEdit(actor); err != nil {
		return err
	}
	if err := s.ensureShipped(ctx); err != nil {
		return err
	}
	v := &models.ValidationError{}
	d, err := bizclock.ParseDate(strings.TrimSpace(in.Date))
	if err != nil {
		v.Add("date", models.M("calendars.err.date_format", "Value", in.Date))
	} else if d.Year < 2000 || d.Year > 2100 {
		v.Add("date", models.M("calendars.err.year_range"))
	}
	if in.Kind != bizclock.KindOff && in.Kind != bizclock.KindWorkday {
		v.Add("kind", models.M("calendars.err.kind"))
	}
	name := strings.TrimSpace(in.Name)
	if len([]rune(name)) > maxNameRunes {
		v.Add("name", models.M("calendars.err.name_too_long", "Max", maxNameRunes))
	}
	if wd := d.Weekday(); err == nil && in.Kind == bizclock.KindWorkday && wd != time.Saturday && wd != time.Sunday {
		v.Add("date", models.M("calendars.err.not_weekend", "Date", d.String()))
	}
	if err := v.Err(); err != nil {
		return err
	}
	now := s.now()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var existing models.Holiday
		res := tx.Where("day = ?", d.String()).Limit(1).Find(&existing)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected > 0 {
			id := "calendars.err.date_taken_off"
			if existing.Kind == bizclock.KindWorkday {
				id = "calendars.err.date_taken_workday"
			}
			v.Add("date", models.M(id, "Date", d.String()))
			return v
		}
		if err := touchYear(tx, d.Year, models.HolidayOriginEdited, now); err != nil {
			return err
		}
		if err := tx.Create(&models.Holiday{Day: d.String(), Year: d.Year, Kind: in.Kind, Name: name, CreatedAt: now}).Error; err != nil {
			return err
		}
		if err := audit.Write(tx, now, actor, audit.Event{Action: models.AuditHolidayAdded, TargetType: "holiday",
			Target: d.String(), Detail: map[string]any{"kind": in.Kind, "name": name}}); err != nil {
			return err
		}
		return s.runHolidayHooks(ctx, tx)
	})
	s.forget()
	return err
}

// RemoveHoliday takes one day off the list.
func (s *Service) RemoveHoliday(ctx context.Context, actor models.Actor, date string) error {
	if err := canEdit(actor); err != nil {
		return err
	}
	d, err := bizclock.ParseDate(strings.TrimSpace(date))
	if err != nil {
		v := &models.ValidationError{}
		v.Add("date", models.M("calendars.err.date_format", "Value", date))
		return v
	}
	if err := s.ensureShipped(ctx); err != nil {
		return err
	}
	now := s.now()
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var row models.Holiday
		if err := tx.Where("day = ?", d.String()).Take(&row).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return models.ErrNotFound
			}
			return err
		}
		if err := tx.Delete(&row).Error; err != nil {
			return err
		}
		if err := touchYear(tx, row.Year, models.HolidayOriginEdited, now); err != nil {
			return err
		}
		if err := audit.Write(tx, now, actor, audit.Event{Action: models.AuditHolidayRemoved, TargetType: "holiday",
			Target: row.Day, Detail: map[string]any{"kind": row.Kind, "name": row.Name}}); err != nil {
			return err
		}
		return s.runHolidayHooks(ctx, tx)
	})
	s.forget()
	return err
}

// ImportHolidays replaces the years a JSON or CSV file covers with its days
// (years it does not mention are untouched). The file is validated whole
// first: one bad date, duplicate, or date both off and make-up refuses it
// with a message naming the line, and nothing changes.
func (s *Service) ImportHolidays(ctx context.Context, actor models.Actor, data []byte) (ImportResult, error) {
	if err := canEdit(actor); err != nil {
		return ImportResult{}, err
	}
	v := &models.ValidationError{}
	switch {
	case len(data) == 0:
		v.Add("file", models.M("calendars.err.file_required"))
	case len(data) > MaxImportBytes:
		v.Add("file", models.M("calendars.err.file_too_large", "KB", MaxImportBytes>>10))
	}
	if err := v.Err(); err != nil {
		return ImportResult{}, err
	}
	f, err := bizclock.ParseHolidayFile(data)
	if err != nil {
		var fe *bizclock.HolidayFileError
		if errors.As(err, &fe) {
			v.Add("file", importMsg(fe))
			return ImportResult{}, v
		}
		return ImportResult{}, err
	}
	if err := s.ensureShipped(ctx); err != nil {
		return ImportResult{}, err
	}
	now := s.now()
	var res ImportResult
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, y := range f.Years {
			if err := tx.Where("year = ?", y.Year).Delete(&models.Holiday{}).Error; err != nil {
				return err
			}
		}
		for _, y := range f.Years {
			for _, d := range y.Days {
				// A day listed under another year moves to this file's.
				if err := tx.Where("day = ?", d.Date.String()).Delete(&models.Holiday{}).Error; err != nil {
					return err
				}
			}
		}
		for _, y := range f.Years {
			if err := touchYear(tx, y.Year, models.HolidayOriginImported, now); err != nil {
				return err
			}
			if err := tx.Model(&models.HolidayYear{}).Where("year = ?", y.Year).Updates(map[string]any{
				"confirmed": y.Confirmed, "source": y.Source, "note": y.Note}).Error; err != nil {
				return err
			}
			if err := insertDays(tx, y, now); err != nil {
				return err
			}
			res.Years = append(res.Years, y.Year)
			res.Days += len(y.Days)
		}
		slices.Sort(res.Years)
		if err := audit.Write(tx, now, actor, audit.Event{Action: models.AuditHolidaysImported, TargetType: "holidays",
			Detail: map[string]any{"years": res.Years, "days": res.Days}}); err != nil {
			return err
		}
		return s.runHolidayHooks(ctx, tx)
	})
	s.forget()
	if err != nil {
		return ImportResult{}, err
	}
	return res, nil
}

// touchYear makes sure the year's row exists and records an edit: the
// origin (an edited or imported year is never overwritten by shipped data)
// and a new revision, which tells every instance its cache is stale.
func touchYear(tx *gorm.DB, year int, origin string, now time.Time) error {
	res := tx.Model(&models.HolidayYear{}).Where("year = ?", year).Updates(map[string]any{
		"origin": origin, "revision": gorm.Expr("revision + 1"), "updated_at": now})
	if res.Error != nil || res.RowsAffected > 0 {
		return res.Error
	}
	// A year the shipped data does not cover yet: when a later release
	// ships it, those days are merged in (edited) or skipped (imported).
	return tx.Create(&models.HolidayYear{Year: year, Confirmed: true, Origin: origin, Revision: 1, UpdatedAt: now}).Error
}

// forget drops the cached set so this instance reloads at once (others see
// the new revision).
func (s *Service) forget() {
	s.mu.Lock()
	s.holidays = nil
	s.mu.Unlock()
}

// importMsgs maps each problem of a holiday file to its message.
var importMsgs = map[string]string{
	bizclock.ProblemFormat:        "calendars.import.format",
	bizclock.ProblemBadDate:       "calendars.import.bad_date",
	bizclock.ProblemBadRange:      "calendars.import.bad_range",
	bizclock.ProblemBadKind:       "calendars.import.bad_kind",
	bizclock.ProblemBadYear:       "calendars.import.bad_year",
	bizclock.ProblemDuplicate:     "calendars.import.duplicate",
	bizclock.ProblemOffAndWorkday: "calendars.import.off_and_workday",
	bizclock.ProblemNotWeekend:    "calendars.import.not_weekend",
	bizclock.ProblemEmpty:         "calendars.import.empty",
	bizclock.ProblemNameTooLong:   "calendars.import.name_too_long",
}

// importMsg names the problem, the line and the value of a refused file.
func importMsg(fe *bizclock.HolidayFileError) models.Msg {
	id, ok := importMsgs[fe.Problem]
	if !ok {
		id = "calendars.import.format"
	}
	return models.M(id, "Line", fe.Line, "Value", fe.Value)
}
