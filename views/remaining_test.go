package views

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"

	"github.com/sellercenter/sellercenter/models/i18n"
)

func metaCtx(lang i18n.Lang, zone string) context.Context {
	loc, err := time.LoadLocation(zone)
	if err != nil {
		panic(err)
	}
	return WithMeta(context.Background(), &Meta{L: i18n.For(lang), Loc: loc})
}

func TestRemainingIsOneFormatInTwoUnits(t *testing.T) {
	zh, en := metaCtx(i18n.ZH, "Asia/Shanghai"), metaCtx(i18n.EN, "Asia/Shanghai")
	cases := []struct {
		d      time.Duration
		zh, en string
	}{
		{14*time.Minute + 5*time.Second, "剩余 14 分 05 秒", "14 min 05 s left"},
		{3*time.Hour + 12*time.Minute + 40*time.Second, "剩余 3 小时 12 分", "3 h 12 min left"},
		{2*24*time.Hour + 3*time.Hour + 59*time.Minute, "剩余 2 天 3 小时", "2 d 3 h left"},
		{-(90 * time.Second), "已超时 1 分 30 秒", "1 min 30 s overdue"},
		{-(26 * time.Hour), "已超时 1 天 2 小时", "1 d 2 h overdue"},
		{0, "已超时 0 分 00 秒", "0 min 00 s overdue"},
	}
	for _, c := range cases {
		if got := Remaining(zh, c.d); got != c.zh {
			t.Errorf("zh %s: %q, want %q", c.d, got, c.zh)
		}
		if got := Remaining(en, c.d); got != c.en {
			t.Errorf("en %s: %q, want %q", c.d, got, c.en)
		}
	}
	p := spanPatterns(zh)
	if p["left"] != "剩余 {t}" || p["ms"] != "{a} 分 {b} 秒" || p["dh"] != "{a} 天 {b} 小时" {
		t.Errorf("JS patterns %v", p)
	}
}

func TestPageNamesTheZoneOnlyWhenItShowsATime(t *testing.T) {
	render := func(ctx context.Context, body templ.Component) string {
		var b bytes.Buffer
		if err := Page("T").Render(templ.WithChildren(ctx, body), &b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	at := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)
	shown := templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		_, err := w.Write([]byte(Time(ctx, at) + " / " + Time(ctx, at.Add(time.Hour))))
		return err
	})
	html := render(metaCtx(i18n.ZH, "Asia/Shanghai"), shown)
	if strings.Count(html, "北京时间") != 1 || !strings.Contains(html, "2026-11-23 10:00:00") {
		t.Errorf("zh page: zone notes %d\n%s", strings.Count(html, "北京时间"), html)
	}
	if strings.Index(html, "page-zone") > strings.Index(html, "2026-11-23 10:00:00") {
		t.Error("the zone comes after the times")
	}
	if html := render(metaCtx(i18n.EN, "Asia/Shanghai"), shown); !strings.Contains(html, "All times on this page are Beijing time") {
		t.Error("en page lacks the zone")
	}
	if html := render(metaCtx(i18n.EN, "Asia/Tokyo"), shown); !strings.Contains(html, "Asia/Tokyo (UTC+09:00)") {
		t.Error("another zone is not named with its offset")
	}
	none := templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		_, err := w.Write([]byte("no times here"))
		return err
	})
	if html := render(metaCtx(i18n.ZH, "Asia/Shanghai"), none); strings.Contains(html, "page-zone") {
		t.Error("a page without times names a zone")
	}
}
