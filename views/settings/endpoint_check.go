package settings

import (
	"context"

	md "github.com/sellercenter/sellercenter/models/debugger"
	"github.com/sellercenter/sellercenter/views"
)

// checkOutcome is the test call's outcome for tests: "no_key" or "failed"
// (a passing call never waits for a confirmation).
func checkOutcome(c *md.EndpointSave) string {
	if c.NoKey {
		return "no_key"
	}
	return "failed"
}

// checkMeaning is the result code's meaning in the viewer's language.
func checkMeaning(ctx context.Context, r *md.Result) string {
	if views.Lang(ctx) == "en" {
		return r.MeaningEN
	}
	return r.MeaningZH
}
