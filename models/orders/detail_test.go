package orders

import (
	"testing"

	"github.com/sellercenter/sellercenter/models"
)

// Credentials are offered on the line that provisioned the instance, and
// only to a viewer allowed to see them.
func TestCanRevealCredentialsOf(t *testing.T) {
	inst := &models.Instance{}
	for _, c := range []struct {
		name    string
		may     bool
		line    models.OrderLine
		reveals bool
	}{
		{"own instance", true, models.OrderLine{Instance: inst}, true},
		{"not allowed", false, models.OrderLine{Instance: inst}, false},
		{"no instance yet", true, models.OrderLine{}, false},
		{"acts on another instance", true, models.OrderLine{Instance: inst, TargetInstanceID: "I-1"}, false},
	} {
		d := Detail{CanRevealCredentials: c.may}
		if got := d.CanRevealCredentialsOf(c.line); got != c.reveals {
			t.Errorf("%s: %v", c.name, got)
		}
	}
}
