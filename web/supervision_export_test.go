package web_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/demo"
)

// The 服务监管 list exports what it shows under its filter, through the
// export engine, for the staff with the export right and the merchant only.
func TestSupervisionListExportsItsFilteredRows(t *testing.T) {
	a := newAPIEnv(t)
	a.buyerSupOrder("CS-EXP-1")
	a.buyerSupOrder("CS-EXP-2")
	a.buyerSupOrder("CS-EXP-3")
	owner := a.loggedIn("owner@acme.test")
	list := owner.get("/supervision?node=requirements&customer=hw-cust-1001")
	var listed []string
	list.doc.Find(`[data-testid="sup-row"]`).Each(func(_ int, s *goquery.Selection) {
		listed = append(listed, s.AttrOr("data-order", ""))
	})
	if len(listed) != 3 {
		t.Fatalf("list rows %v", listed)
	}
	action, form := exportForm(t, list)
	if form.Get("kind") != "supervision" || !strings.Contains(form.Get("query"), "node=requirements") {
		t.Fatalf("export form %v", form)
	}
	if p := owner.post(action, form); p.status != http.StatusSeeOther {
		t.Fatalf("export %d\n%s", p.status, p.body)
	}
	id := a.lastExportID()
	a.runExports()
	link := exportRow(owner.get("/exports"), id).Find(`[data-testid="export-download"]`).AttrOr("href", "")
	status, hdr, body := owner.download(link)
	if status != http.StatusOK || !strings.Contains(hdr.Get("Content-Disposition"), "acme-supervision-") {
		t.Fatalf("download %d %v", status, hdr)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("服务监管")
	if err != nil || len(rows) != len(listed)+1 || rows[0][0] != "订单号" {
		t.Fatalf("rows %v (%v)", rows, err)
	}
	for i, code := range listed {
		if rows[i+1][0] != code || rows[i+1][5] != "用户提交需求" {
			t.Fatalf("row %d %q, list %q", i, rows[i+1], code)
		}
	}
	// Delivery staff read the list but have no export right: no form.
	if _, err := a.acc.AddUser(t.Context(), models.SystemActor("test"), "acme", accounts.NewUserInput{
		Email: "delivery@acme.test", Name: "Delivery", Role: models.RoleDelivery, Password: demo.Password}); err != nil {
		t.Fatal(err)
	}
	if p := a.loggedIn("delivery@acme.test").get("/supervision"); p.status != http.StatusOK || testid(p, "export-form").Length() != 0 {
		t.Fatalf("delivery staff's list %d with an export form", p.status)
	}
	if s, _, _ := a.loggedIn("owner@globex.test").download(link); s != http.StatusNotFound {
		t.Fatalf("globex downloads acme's supervision export: %d", s)
	}
}
