package interfacelog

import (
	"net/url"
	"testing"
	"time"
)

func TestParseFilter(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	f, v := ParseFilter(url.Values{"from": {"2026-11-01"}, "to": {"2026-11-30"}, "activity": {"newInstance"},
		"state": {"failed"}, "class": {"timeout"}, "order": {"ORD-*"}}, loc)
	if v.Err() != nil {
		t.Fatal(v)
	}
	if !f.From.Equal(time.Date(2026, 11, 1, 0, 0, 0, 0, loc)) || !f.To.Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, loc)) ||
		f.Activity != "newInstance" || f.State != "failed" || f.ErrorClass != "timeout" || f.OrderID != "ORD-*" {
		t.Fatalf("%+v", f)
	}
	for q, field := range map[string]string{"from=2026-02-31": "from", "from=2026-11-02&to=2026-11-01": "to",
		"activity=sleep": "activity", "state=x": "state", "class=x": "class"} {
		vals, _ := url.ParseQuery(q)
		if _, v := ParseFilter(vals, loc); v.Fields[field].ID == "" {
			t.Errorf("%s: no message for %s (%v)", q, field, v.Fields)
		}
	}
}
