package views

import (
	"context"
	"time"
)

// ZoneNote names the viewer's time zone for a page that shows times, said
// once per page rather than after every time: 北京时间 / Beijing time for
// Asia/Shanghai (and its aliases), the zone's name otherwise.
func ZoneNote(ctx context.Context) string {
	loc := MetaOf(ctx).Loc
	switch loc.String() {
	case "Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "PRC":
		return T(ctx, "pages.zone.beijing")
	}
	return T(ctx, "pages.zone.other", "Zone", loc.String())
}

// Clock is the time of day of t in the viewer's zone, to the minute, for
// dense lists that show the date above it (the detail keeps seconds).
func Clock(ctx context.Context, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(MetaOf(ctx).Loc).Format("15:04")
}

// DatePtr is a date in the viewer's zone, or a dash.
func DatePtr(ctx context.Context, t *time.Time) string {
	if t == nil {
		return "—"
	}
	return Date(ctx, *t)
}
