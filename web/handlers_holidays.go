package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/calendars"
	"github.com/sellercenter/sellercenter/views/admin"
	"github.com/sellercenter/sellercenter/views/paths"
)

// holidayYear is the ?year= of the editor; the current year by default.
func (s *Server) holidayYear(c echo.Context) int {
	if y, err := strconv.Atoi(c.QueryParam("year")); err == nil {
		return y
	}
	if y, err := strconv.Atoi(c.FormValue("year")); err == nil {
		return y
	}
	return s.Clock.Now().In(userLoc(c)).Year()
}

func (s *Server) renderHolidays(c echo.Context, status int, year int, d admin.HolidaysData) error {
	view, err := s.Calendars.HolidayYear(c.Request().Context(), actor(c), year)
	if err != nil {
		return err
	}
	d.View = view
	return s.render(c, status, admin.Holidays(d))
}

func (s *Server) holidaysPage(c echo.Context) error {
	return s.renderHolidays(c, http.StatusOK, s.holidayYear(c), admin.HolidaysData{})
}

func (s *Server) holidayAdd(c echo.Context) error {
	in := calendars.HolidayInput{Date: c.FormValue("date"), Kind: c.FormValue("kind"), Name: c.FormValue("name")}
	err := s.Calendars.AddHoliday(c.Request().Context(), actor(c), in)
	if v, ok := asValidation(err); ok {
		return s.renderHolidays(c, http.StatusUnprocessableEntity, yearOf(in.Date, s.holidayYear(c)),
			admin.HolidaysData{Add: admin.HolidayForm{Date: in.Date, Kind: in.Kind, Name: in.Name, Err: v}})
	}
	if err != nil {
		return err
	}
	s.flash(c, "success", models.M("calendars.holidays.added", "Date", strings.TrimSpace(in.Date)))
	return redirect(c, holidayYearURL(strconv.Itoa(yearOf(in.Date, 0))))
}

func (s *Server) holidayRemove(c echo.Context) error {
	date := c.FormValue("date")
	err := s.Calendars.RemoveHoliday(c.Request().Context(), actor(c), date)
	if v, ok := asValidation(err); ok {
		return s.renderHolidays(c, http.StatusUnprocessableEntity, s.holidayYear(c), admin.HolidaysData{RowErr: v})
	}
	if err != nil {
		return err
	}
	s.flash(c, "success", models.M("calendars.holidays.removed", "Date", date))
	return redirect(c, holidayYearURL(strconv.Itoa(yearOf(date, 0))))
}

func (s *Server) holidayImport(c echo.Context) error {
	data, err := uploadedFile(c, "file", calendars.MaxImportBytes)
	if err != nil {
		return err
	}
	res, err := s.Calendars.ImportHolidays(c.Request().Context(), actor(c), data)
	if v, ok := asValidation(err); ok {
		return s.renderHolidays(c, http.StatusUnprocessableEntity, s.holidayYear(c), admin.HolidaysData{ImportErr: v})
	}
	if err != nil {
		return err
	}
	years := make([]string, len(res.Years))
	for i, y := range res.Years {
		years[i] = strconv.Itoa(y)
	}
	s.flash(c, "success", models.M("calendars.holidays.imported", "Days", res.Days, "Years", strings.Join(years, ", ")))
	if len(years) == 0 {
		return redirect(c, paths.AdminHolidays.String())
	}
	return redirect(c, holidayYearURL(years[0]))
}

// uploadedFile reads a form file up to limit+1 bytes, so the service can
// refuse an oversized one with its own message; no file reads as empty.
func uploadedFile(c echo.Context, field string, limit int64) ([]byte, error) {
	fh, err := c.FormFile(field)
	if errors.Is(err, http.ErrMissingFile) {
		return nil, nil
	}
	if err != nil {
		return nil, &echo.HTTPError{Code: http.StatusBadRequest, Message: "bad upload", Internal: err}
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit+1))
}

// yearOf is the year of a typed date, or def when it does not parse.
func yearOf(date string, def int) int {
	if y, err := strconv.Atoi(strings.SplitN(strings.TrimSpace(date), "-", 2)[0]); err == nil && y >= 2000 && y <= 2100 {
		return y
	}
	return def
}

// holidayYearURL is the editor opened on a year (a form's year, an
// imported file's first).
func holidayYearURL(year string) string {
	return string(paths.AdminHolidays.With(url.Values{"year": {year}}))
}
