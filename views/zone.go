package views

import (
	"bytes"
	"context"
	"io"
	"time"

	"github.com/a-h/templ"
)

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

// Every time a page shows is in the viewer's zone; the page says which zone
// once, beside its title, and only when it showed a time. The page's body
// is rendered first (Time notes that it showed one), then the heading.

// noteTime records that the page being rendered shows a time.
func noteTime(ctx context.Context) {
	if m, ok := ctx.Value(metaKey{}).(*Meta); ok && m != nil {
		m.timesShown = true
	}
}

// ZoneName is the viewer's zone in words: 北京时间 for China's zone, else
// the zone's name and its offset from UTC.
func ZoneName(ctx context.Context) string {
	loc := MetaOf(ctx).Loc
	switch loc.String() {
	case "Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "PRC":
		return T(ctx, "ops.zone.beijing")
	}
	_, off := time.Now().In(loc).Zone()
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	return T(ctx, "ops.zone.other", "Name", loc.String(), "Offset", sign+twoDigits(int64(off/3600))+":"+twoDigits(int64(off%3600/60)))
}

// titled renders the page's children, then its heading (with the zone when
// the children showed a time) followed by them.
func titled(title string) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		var body bytes.Buffer
		if err := templ.GetChildren(ctx).Render(templ.ClearChildren(ctx), &body); err != nil {
			return err
		}
		zone := ""
		if m, ok := ctx.Value(metaKey{}).(*Meta); ok && m != nil && m.timesShown {
			zone = T(ctx, "ops.zone.note", "Zone", ZoneName(ctx))
		}
		if err := heading(title, zone).Render(ctx, w); err != nil {
			return err
		}
		_, err := body.WriteTo(w)
		return err
	})
}

// CutByDay notes that the page shows figures cut at the viewer's day
// boundaries (today, this month), which depend on the zone as much as a
// time does, so the heading names it. It renders nothing.
func CutByDay(ctx context.Context) string {
	noteTime(ctx)
	return ""
}
