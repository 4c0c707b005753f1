package koogallery

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// LayoutExpireTime is the 14-digit UTC yyyyMMddHHmmss layout of expireTime
// and createTime.
const LayoutExpireTime = "20060102150405"

// FormatTimeStamp renders t as the 17-digit UTC yyyyMMddHHmmssSSS the V1
// timeStamp and usageInfo.statisticalTime use. Go layouts cannot express
// milliseconds without a separator, hence the manual suffix.
func FormatTimeStamp(t time.Time) string {
	t = t.UTC()
	return t.Format(LayoutExpireTime) + fmt.Sprintf("%03d", t.Nanosecond()/int(time.Millisecond))
}

// FormatExpireTime renders t as the 14-digit UTC yyyyMMddHHmmss.
func FormatExpireTime(t time.Time) string {
	return t.UTC().Format(LayoutExpireTime)
}

// ParseTime parses a UTC time of 14 (yyyyMMddHHmmss) or 17
// (yyyyMMddHHmmssSSS) digits. Both are accepted everywhere because a V2
// example sends 17 digits in expireTime, which the table calls 14.
func ParseTime(s string) (time.Time, error) {
	if (len(s) != 14 && len(s) != 17) || !allDigits(s) {
		return time.Time{}, fmt.Errorf("%w: %q is neither yyyyMMddHHmmss nor yyyyMMddHHmmssSSS", ErrBadTime, s)
	}
	t, err := time.ParseInLocation(LayoutExpireTime, s[:14], time.UTC)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %q: %v", ErrBadTime, s, err)
	}
	if len(s) == 17 {
		ms, _ := strconv.Atoi(s[14:])
		t = t.Add(time.Duration(ms) * time.Millisecond)
	}
	return t, nil
}

// ParseLicenseTime parses the getLicenseAsync effectiveTime/expireTime form,
// e.g. "2023-10-27 10:30:15 z" (UTC; the zone letter is optional and may be
// lower case).
func ParseLicenseTime(s string) (time.Time, error) {
	v := strings.TrimSpace(s)
	if rest, ok := strings.CutSuffix(v, "z"); ok {
		v = strings.TrimSpace(rest)
	} else if rest, ok := strings.CutSuffix(v, "Z"); ok {
		v = strings.TrimSpace(rest)
	}
	t, err := time.ParseInLocation("2006-01-02 15:04:05", v, time.UTC)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %q: %v", ErrBadTime, s, err)
	}
	return t, nil
}

// msThreshold separates V2 timestamps in seconds from those in milliseconds:
// 10^12 ms is September 2001, 10^12 s lies 30,000 years ahead.
const msThreshold = 1_000_000_000_000

// ParseUnixTimestamp parses the V2 timestamp, which the pages document as
// milliseconds on some and seconds on others; values above 10^12 are
// milliseconds.
func ParseUnixTimestamp(s string) (time.Time, error) {
	if s == "" || len(s) > 16 || !allDigits(s) {
		return time.Time{}, fmt.Errorf("%w: %q is not a Unix time in s or ms", ErrBadTimestamp, s)
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: %q: %v", ErrBadTimestamp, s, err)
	}
	if v > msThreshold {
		return time.UnixMilli(v).UTC(), nil
	}
	return time.Unix(v, 0).UTC(), nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
