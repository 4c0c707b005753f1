package admin

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/calendars"
	"github.com/sellercenter/sellercenter/views/paths"
)

// HolidaysData is the 节假日安排 editor for one year.
type HolidaysData struct {
	View calendars.HolidayYearView
	Add  HolidayForm
	// ImportErr is a refused file's message; RowErr a refused removal's.
	ImportErr *models.ValidationError
	RowErr    *models.ValidationError
}

// HolidayForm echoes the add form after a validation failure.
type HolidayForm struct {
	Date, Kind, Name string
	Err              *models.ValidationError
}

func yearURL(y int) templ.SafeURL {
	return paths.AdminHolidays.With(url.Values{"year": {strconv.Itoa(y)}})
}

func kindBadge(kind string) string {
	if kind == bizclock.KindWorkday {
		return "warn"
	}
	return "ok"
}

// isWebURL keeps an imported file's source from becoming a javascript: link.
func isWebURL(s string) bool {
	return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
}
