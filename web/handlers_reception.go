package web

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/calendars"
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
	d := settings.ReceptionData{Form: calendars.InputOf(r), Set: r.Set, Stored: r}
	for wd := range d.Open {
		d.Open[wd] = len(r.Week[wd]) > 0
	}
	return s.render(c, http.StatusOK, settings.Reception(d))
}

// receptionForm reads the form: per weekday an "open" box and repeated
// from/to fields; blank rows are skipped and unticked days closed.
func receptionForm(c echo.Context) (calendars.ReceptionInput, [7]bool, error) {
	var in calendars.ReceptionInput
	var open [7]bool
	form, err := c.FormParams()
	if err != nil {
		return in, open, err
	}
	in.Receiving = form.Get("receiving") == "1"
	in.TimeZone = form.Get("tz")
	in.FollowsHolidays = form.Get("follows_holidays") == "1"
	for wd := range in.Days {
		open[wd] = form.Get(fmt.Sprintf("open_%d", wd)) == "1"
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
	return in, open, nil
}

func (s *Server) receptionSave(c echo.Context) error {
	in, open, err := receptionForm(c)
	if err != nil {
		return err
	}
	typed := in
	for wd := range in.Days {
		if !open[wd] {
			in.Days[wd] = nil
		}
	}
	ctx := c.Request().Context()
	_, err = s.Calendars.SaveReception(ctx, actor(c), 0, in)
	if v, ok := asValidation(err); ok {
		stored, rerr := s.Calendars.Reception(ctx, actor(c), 0)
		if rerr != nil {
			return rerr
		}
		return s.render(c, http.StatusUnprocessableEntity, settings.Reception(settings.ReceptionData{Form: typed,
			Open: open, Set: stored.Set, Stored: stored, Err: v}))
	}
	if err != nil {
		return err
	}
	s.flash(c, "success", models.M("calendars.reception.saved"))
	return redirect(c, "/settings/reception")
}
