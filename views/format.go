package views

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// Money renders minor units with two decimals, thousands separators and
// the currency: "12,345.60 CNY".
func Money(minor int64, currency string) string {
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	return fmt.Sprintf("%s%s.%02d %s", sign, Thousands(minor/100), minor%100, currency)
}

// Thousands writes a non-negative n with comma separators.
func Thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	if len(s) <= 3 {
		return s
	}
	b := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	return string(b)
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
