package paths

import (
	"testing"

	"github.com/sellercenter/sellercenter/models"
)

// Every page a model may link to has a route, so a model's link cannot
// panic on a page the table forgot.
func TestEveryModelPageHasARoute(t *testing.T) {
	for _, p := range models.Screens {
		if _, ok := pages[p]; !ok {
			t.Errorf("page %s has no route", p)
		}
	}
	for _, c := range []struct {
		link models.Link
		want string
	}{
		{models.LinkTo(models.ScreenTicket, 7), "/tickets/7"},
		{models.LinkFiltered(models.ScreenInterfaceMessages, "state", "failed"), "/interface-messages?state=failed"},
		{models.Link{To: models.ScreenNotifications}, "/notifications"},
		{models.Link{}, ""},
	} {
		if got := string(Of(c.link)); got != c.want {
			t.Errorf("Of(%+v) = %q, want %q", c.link, got, c.want)
		}
	}
}
