package models

import (
	"testing"
	"time"
)

// Only a call waiting on an attempt shows when it runs: a failed or
// succeeded call may keep a stale NextAt from its last retry.
func TestCallNextAttempt(t *testing.T) {
	at := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	for _, s := range CallStates {
		next, ok := Call{State: s, NextAt: &at}.NextAttempt()
		want := s == CallRetrying || s == CallPolling
		if ok != want || (ok && !next.Equal(at)) {
			t.Errorf("%s: NextAttempt = %v, %v; want shown %v", s, next, ok, want)
		}
	}
	if _, ok := (Call{State: CallRetrying}).NextAttempt(); ok {
		t.Error("a retrying call without NextAt shows a next attempt")
	}
}

// The log shows a call's last error class only while it has not succeeded.
func TestOpenErrorOnlyWhileUnsucceeded(t *testing.T) {
	closed := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		call Call
		want string
	}{
		{Call{State: CallRetrying, LastError: "timeout"}, "timeout"},
		{Call{State: CallFailed, LastError: "http_5xx"}, "http_5xx"},
		{Call{State: CallFailed, LastError: "http_5xx", ClosedAt: &closed}, "http_5xx"},
		{Call{State: CallRecovered, LastError: "timeout"}, ""},
		{Call{State: CallSucceeded, LastError: "timeout"}, ""},
		{Call{State: CallRetrying}, ""},
	} {
		if got := c.call.OpenError(); got != c.want {
			t.Errorf("%s (closed %v): %q, want %q", c.call.State, c.call.ClosedAt != nil, got, c.want)
		}
	}
}
