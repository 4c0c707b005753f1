package web

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/calendars"
	"github.com/sellercenter/sellercenter/views/paths"
	"github.com/sellercenter/sellercenter/views/settings"
)

// maxRangeRows bounds the rows read per day; more than MaxRanges is refused
// by validation, this only keeps a crafted form from being huge.
const maxRangeRows = 4 * calendars.MaxRanges

func (s *Server) receptionPage(c echo.Context) error {
	r, err := s.Calendars.Reception(c.Request().Context(), actor(c), 0)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, settings.Reception(receptionData(calendars.InputOf(r), r, nil)))
}

// receptionData is the page for a form, its totals computed once.
func receptionData(in calendars.ReceptionInput, stored calendars.Reception, v *models.ValidationError) settings.ReceptionData {
	d := settings.ReceptionData{Form: in, Set: stored.Set, Stored: stored, Err: v}
	d.DayMinutes, d.WeekMinutes, d.FullDays = calendars.Totals(in)
	return d
}

// receptionForm reads the form: per weekday an "open" box and repeated
// from/to fields; blank rows are skipped, unticked days keep what was typed.
func receptionForm(c echo.Context) (calendars.ReceptionInput, error) {
	var in calendars.ReceptionInput
	form, err := c.FormParams()
	if err != nil {
		return in, err
	}
	in.Receiving = form.Get("receiving") == "1"
	in.TimeZone = form.Get("tz")
	in.FollowsHolidays = form.Get("follows_holidays") == "1"
	for wd := range in.Days {
		in.Closed[wd] = form.Get(fmt.Sprintf("open_%d", wd)) != "1"
		froms, tos := form[fmt.Sprintf("from_%d", wd)], form[fmt.Sprintf("to_%d", wd)]
		for i := 0; i < max(len(froms), len(tos)) && i < maxRangeRows; i++ {
			var r calendars.RangeText
			if i < len(froms) {
				r.From = froms[i]
			}
			if i < len(tos) {
				r.To = tos[i]
			}
			if r.From != "" || r.To != "" {
				in.Days[wd] = append(in.Days[wd], r)
			}
		}
	}
	return in, nil
}

func (s *Server) receptionSave(c echo.Context) error {
	in, err := receptionForm(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	_, err = s.Calendars.SaveReception(ctx, actor(c), 0, in)
	if v, ok := asValidation(err); ok {
		stored, rerr := s.Calendars.Reception(ctx, actor(c), 0)
		if rerr != nil {
			return rerr
		}
		return s.render(c, http.StatusUnprocessableEntity, settings.Reception(receptionData(in, stored, v)))
	}
	if err != nil {
		return err
	}
	s.flash(c, "success", models.M("calendars.reception.saved"))
	return redirect(c, paths.Reception.String())
}
