package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/notify"
)

func TestOpsNotificationsArePlatformNotifications(t *testing.T) {
	e := newEnv(t)
	acme := e.merchantID("acme")
	if err := notify.WritePlatform(e.db.Gorm, e.clock.Now(), acme, models.NotifyOps, models.M("ops.notify.appeal_filed",
		"Order", "ORD-ACME-9", "Party", models.M("supervision.party.buyer")), "/appeals/1"); err != nil {
		t.Fatal(err)
	}
	ops := e.loggedIn("ops@demo.test")
	p := ops.get("/notifications")
	if p.status != http.StatusOK {
		t.Fatalf("ops notifications: %d", p.status)
	}
	row := testid(p, "notify-row")
	if row.Length() != 1 || !strings.Contains(row.Text(), "ORD-ACME-9") || !strings.Contains(row.Text(), "客户发起了服务监管申诉") {
		t.Fatalf("rows %d: %q", row.Length(), row.Text())
	}
	if got := strings.TrimSpace(testid(p, "notify-merchant").Text()); got != "Acme 科技" && !strings.Contains(got, "Acme") {
		t.Errorf("merchant column %q", got)
	}
	if strings.Contains(row.Text(), "501") {
		t.Errorf("type code shown as a bare number: %q", row.Text())
	}
	// The merchant's own list does not hold the platform's.
	owner := e.loggedIn("owner@acme.test")
	if p := owner.get("/notifications"); strings.Contains(p.body, "ORD-ACME-9") {
		t.Error("a merchant sees a platform notification")
	}
	if p := ops.post("/notifications/read", url.Values{}); p.status != http.StatusSeeOther {
		t.Fatalf("mark read: %d", p.status)
	}
	if n := e.count("platform_notifications", "read_at IS NULL"); n != 0 {
		t.Errorf("unread after mark-all-read: %d", n)
	}
	if s := e.loggedIn("buyer@demo.test").get("/notifications").status; s != http.StatusForbidden {
		t.Errorf("buyer on notifications: %d", s)
	}
}
