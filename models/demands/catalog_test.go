package demands

import (
	"testing"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/i18n"
)

// Ids built at run time (states, events, window modes, to-do counters) are
// out of reach of the catalog's literal scan: check them here.
func TestDynamicCatalogIDs(t *testing.T) {
	ids := []string{"demand.state.closed_timeout", "todo.pending_demands", "todo.pending_demands_all"}
	for _, s := range models.DemandStates {
		ids = append(ids, "demand.state."+string(s), "demands.err.state."+string(s))
	}
	for _, k := range models.DemandEventKinds {
		ids = append(ids, "demands.event."+k)
	}
	for _, m := range []string{models.WindowNatural, models.WindowWorking} {
		ids = append(ids, "demands.window."+m)
	}
	for _, l := range i18n.Langs {
		for _, id := range ids {
			if !i18n.For(l).Has(id) {
				t.Errorf("%s: %q has no translation", l, id)
			}
		}
	}
}
