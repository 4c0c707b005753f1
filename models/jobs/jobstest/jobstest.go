// Package jobstest drives a timer area (jobs.TimerArea) from tests as its
// River workers would: one timer at a time, or the periodic sweep, failing
// the test on an error. Demands and supervision share it.
package jobstest

import (
	"context"
	"testing"
	"time"
)

// Area is a service with timers: Fire handles one timer of a record (the
// wait it asks for before the timer is looked at again), Sweep the
// periodic safety net (how many records it handled).
type Area interface {
	Fire(ctx context.Context, id int64, kind string) (time.Duration, error)
	Sweep(ctx context.Context) (int, error)
}

// Fire runs one timer and returns the wait it asked for.
func Fire(t testing.TB, a Area, id int64, kind string) time.Duration {
	t.Helper()
	wait, err := a.Fire(context.Background(), id, kind)
	if err != nil {
		t.Fatalf("fire %s of %d: %v", kind, id, err)
	}
	return wait
}

// Sweep runs the sweep and returns how many records it handled.
func Sweep(t testing.TB, a Area) int {
	t.Helper()
	n, err := a.Sweep(context.Background())
	if err != nil {
		t.Fatalf("sweep: %v", err)
	}
	return n
}
