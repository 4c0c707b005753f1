package auth

import (
	"context"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/views"
)

// waitMessage says how long the throttle asks to wait: seconds while that
// is short, whole minutes (rounded up) beyond two.
func waitMessage(ctx context.Context, l *models.RateLimitedError) string {
	if l.RetryAfterSeconds < 120 {
		return views.T(ctx, "login.wait_seconds", "Seconds", l.RetryAfterSeconds)
	}
	return views.T(ctx, "login.wait_minutes", "Minutes", l.RetryAfterMinutes())
}
