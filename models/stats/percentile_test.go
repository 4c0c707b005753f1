package stats

import (
	"testing"
	"time"
)

func TestPercentileByNearestRank(t *testing.T) {
	ds := []time.Duration{50, 10, 40, 20, 30} // unsorted on purpose
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{0, 10}, {20, 10}, {21, 20}, {50, 30}, {80, 40}, {81, 50}, {95, 50}, {100, 50}} {
		if got := Percentile(ds, c.p); got != c.want {
			t.Errorf("p%v = %v, want %v", c.p, got, c.want)
		}
	}
	if ds[0] != 50 {
		t.Error("Percentile reordered its input")
	}
	if Percentile(nil, 50) != 0 {
		t.Error("empty input")
	}
	// 100 samples: p95 is the 95th smallest.
	var hundred []time.Duration
	for i := 100; i >= 1; i-- {
		hundred = append(hundred, time.Duration(i)*time.Millisecond)
	}
	if got := Percentile(hundred, 95); got != 95*time.Millisecond {
		t.Errorf("p95 of 1..100 ms = %v", got)
	}
	if MS(1500*time.Microsecond) != 1.5 {
		t.Error("MS")
	}
}
