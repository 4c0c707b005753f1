package web_test

import (
	"net/http"
	"testing"

	"github.com/sellercenter/sellercenter/models"
)

// Every list answers a page position it did not make with a 4xx, never a
// silently wrong page: a cursor edited by hand fails its checksum, a before
// that is no id is refused.
func TestListsRefuseForeignPositions(t *testing.T) {
	w := newWorld(t)
	acme := w.loggedIn("owner@acme.test")
	forged := models.EncodeCursor('t', 1, 1)
	edited := forged[:len(forged)-1] + string("AB"[boolInt(forged[len(forged)-1] == 'A')])
	for path, want := range map[string]int{
		"/orders?cursor=" + edited:             http.StatusUnprocessableEntity,
		"/interface-messages?cursor=" + edited: http.StatusBadRequest,
		"/exports?before=abc":                  http.StatusBadRequest,
		"/notifications?before=-1":             http.StatusBadRequest,
		"/tickets?before=x":                    http.StatusUnprocessableEntity,
		"/demands?before=x":                    http.StatusUnprocessableEntity,
		"/invoices?cursor=" + edited:           http.StatusUnprocessableEntity,
		"/invoices?tab=platform&cursor=x":      http.StatusUnprocessableEntity,
	} {
		if p := acme.get(path); p.status != want {
			t.Errorf("%s: %d, want %d", path, p.status, want)
		}
	}
	// A well-formed cursor of the right kind pages, even past the end.
	if p := acme.get("/interface-messages?cursor=" + forged); p.status != http.StatusOK {
		t.Errorf("a cursor the list made: %d", p.status)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
