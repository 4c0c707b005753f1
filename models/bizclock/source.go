package bizclock

import "context"

// Holidays is an installation's holiday calendar, which operations edit
// (models/calendars implements it).
type Holidays interface {
	Holidays(ctx context.Context) (*HolidaySet, error)
}

// HolidaysOf reads h, or the shipped mainland-China calendar when an area
// was built without one (tests, tools).
func HolidaysOf(ctx context.Context, h Holidays) (*HolidaySet, error) {
	if h == nil {
		return MainlandChina(), nil
	}
	return h.Holidays(ctx)
}
