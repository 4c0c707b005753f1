package web_test

import (
	"os"
	"regexp"
	"testing"

	"github.com/sellercenter/sellercenter/views/paths"
	"github.com/sellercenter/sellercenter/web"
)

// Every named path the views link to is a route the server answers, so a
// renamed route cannot leave links pointing nowhere.
func TestEveryNamedPathIsRouted(t *testing.T) {
	src, err := os.ReadFile("../views/paths/paths.go")
	if err != nil {
		t.Fatal(err)
	}
	routed := map[string]bool{}
	for _, r := range web.New(newEnv(t).app, web.Options{Logger: quietLogger()}).Routes() {
		routed[r.Path] = true
	}
	names := regexp.MustCompile(`route\("([^"]+)"\)`).FindAllSubmatch(src, -1)
	if len(names) < 50 {
		t.Fatalf("found %d named paths: the table moved?", len(names))
	}
	for _, m := range names {
		if p := string(m[1]); !routed[p] {
			t.Errorf("named path %s is not routed", p)
		}
	}
	if got := paths.Order.String(42); got != "/orders/42" {
		t.Errorf("Order(42) = %s", got)
	}
	if got := paths.TicketFile.String(7, "a b"); got != "/tickets/7/attachments/a%20b" {
		t.Errorf("TicketFile = %s", got)
	}
}
