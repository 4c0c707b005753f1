package views

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// Money renders minor units with two decimals and the currency.
func Money(minor int64, currency string) string {
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	return fmt.Sprintf("%s%d.%02d %s", sign, minor/100, minor%100, currency)
}

// Date formats t as a date in the viewer's zone (for date inputs).
func Date(ctx context.Context, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(MetaOf(ctx).Loc).Format("2006-01-02")
}

// Itoa is strconv for templates.
func Itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Size is a file size for people.
func Size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
