// Package stats holds the nearest-rank percentile that the SLA report and
// every benchmark's figures use, so they all count the same way.
package stats

import (
	"math"
	"slices"
	"time"
)

// Percentile is the p-th percentile (0–100) of ds by nearest rank: the
// smallest value with at least p % of the values at or below it. 0 when ds is
// empty; ds is not reordered.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(math.Ceil(p/100*float64(len(s)))) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// MS is d in milliseconds, for printing figures.
func MS(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
