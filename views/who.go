package views

import (
	"context"
	"strings"
)

// Who is the person an event or a row names: a user's name or e-mail as
// stored, and the system's own jobs ("system:demands", "system:export") as
// 系统 rather than their internal actor string.
func Who(ctx context.Context, actor string) string {
	if strings.HasPrefix(actor, "system:") || actor == "system" {
		return T(ctx, "ops.actor.system")
	}
	return actor
}
