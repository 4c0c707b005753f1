package jobs

import (
	"encoding/json"
	"testing"
	"time"
)

type testNames struct{}

func (testNames) Area() string      { return "test" }
func (testNames) Queue() string     { return "test" }
func (testNames) TimerKind() string { return "test_timer" }
func (testNames) SweepKind() string { return "test_sweep" }
func (testNames) IDKey() string     { return "demand_id" }

// A job queued by an earlier release (its own struct, the id under the
// area's key) decodes into the shared args, and the shared args write that
// same shape.
func TestTimerArgsKeepTheAreaKey(t *testing.T) {
	at := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)
	old := `{"demand_id":42,"timer":"close","at":"2026-11-23T02:00:00Z"}`
	var a TimerArgs[testNames]
	if err := json.Unmarshal([]byte(old), &a); err != nil || a.ID != 42 || a.Timer != "close" || !a.At.Equal(at) {
		t.Fatalf("%+v %v", a, err)
	}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	if m["demand_id"] != float64(42) || m["timer"] != "close" || len(m) != 3 {
		t.Fatalf("%s", b)
	}
	if (TimerArgs[testNames]{}).Kind() != "test_timer" || (SweepArgs[testNames]{}).Kind() != "test_sweep" {
		t.Fatal("kinds")
	}
}
