package models

import "testing"

// The wait is rounded up: a person told "1 minute" after 61 seconds left
// would be refused again.
func TestRetryAfterMinutes(t *testing.T) {
	for secs, want := range map[int]int{0: 0, 1: 1, 60: 1, 61: 2, 900: 15} {
		if got := (&RateLimitedError{RetryAfterSeconds: secs}).RetryAfterMinutes(); got != want {
			t.Errorf("%ds: %d minutes, want %d", secs, got, want)
		}
	}
}
