package jobs

import (
	"testing"
	"time"

	"github.com/riverqueue/river"
)

func TestAtHoldsOnlyFutureJobs(t *testing.T) {
	base := river.InsertOpts{Queue: "q", MaxAttempts: 7}
	future := time.Now().Add(time.Hour)
	got := At(base, future)
	if !got.ScheduledAt.Equal(future) || got.Queue != "q" || got.MaxAttempts != 7 {
		t.Fatalf("future: %+v", got)
	}
	// Due now or late: no ScheduledAt, so River runs it at once instead of
	// waiting for its scheduler pass.
	if got := At(base, time.Now().Add(-time.Second)); !got.ScheduledAt.IsZero() {
		t.Fatalf("past: %+v", got)
	}
	if !base.ScheduledAt.IsZero() {
		t.Fatal("At changed the caller's options")
	}
}
