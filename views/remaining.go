package views

import (
	"context"
	"strconv"
	"time"
)

// Remaining is the one remaining-time format of every list and detail
// (tickets' first-response clocks, demand windows, supervision deadlines):
// "剩余 2 天 3 小时", "剩余 3 小时 12 分", "剩余 14 分 05 秒", and past the
// deadline "已超时 …" in the same units — the two largest units that are
// not zero-leading, so a glance reads the same way everywhere.
// static/js/app.js counts live clocks down with the same patterns (Span).
func Remaining(ctx context.Context, d time.Duration) string {
	if d > 0 {
		return T(ctx, "ops.time.left", "Span", Span(ctx, d))
	}
	return T(ctx, "ops.time.over", "Span", Span(ctx, -d))
}

// Span is a duration in the two largest units: days and hours, hours and
// minutes, or minutes and seconds.
func Span(ctx context.Context, d time.Duration) string {
	s := int64(d / time.Second)
	a, b, id := s/60, twoDigits(s%60), "ops.time.ms"
	switch {
	case s >= 86400:
		a, b, id = s/86400, strconv.FormatInt(s%86400/3600, 10), "ops.time.dh"
	case s >= 3600:
		a, b, id = s/3600, strconv.FormatInt(s%3600/60, 10), "ops.time.hm"
	}
	return T(ctx, id, "A", a, "B", b)
}

// spanPatterns are the patterns static/js/app.js fills while it counts a
// clock down, with {a} and {b} for the two numbers and {t} for the span.
func spanPatterns(ctx context.Context) map[string]string {
	return map[string]string{
		"left": T(ctx, "ops.time.left", "Span", "{t}"),
		"over": T(ctx, "ops.time.over", "Span", "{t}"),
		"dh":   T(ctx, "ops.time.dh", "A", "{a}", "B", "{b}"),
		"hm":   T(ctx, "ops.time.hm", "A", "{a}", "B", "{b}"),
		"ms":   T(ctx, "ops.time.ms", "A", "{a}", "B", "{b}"),
	}
}
