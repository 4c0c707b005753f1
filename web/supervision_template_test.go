package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
	"github.com/sellercenter/sellercenter/models/demo"
)

// postFormFile posts a multipart form with one file under field.
func (c *client) postFormFile(path string, fields url.Values, field, name string, data []byte) page {
	c.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("_csrf", c.csrf())
	for k, vs := range fields {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	fw, err := w.CreateFormFile(field, name)
	if err != nil {
		c.t.Fatal(err)
	}
	_, _ = fw.Write(data)
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

// The requirement template from the product settings to the buyer's and
// the merchant's flow pages, served as a download, to no one else.
func TestRequirementTemplateFromSettingsToTheFlowPages(t *testing.T) {
	a := newAPIEnv(t)
	a.db.Gorm.Model(&a.product).Update("supervised", true)
	id := a.buyerSupOrder("CS-TPL")
	owner := a.loggedIn("owner@acme.test")
	settings := "/settings/products/" + strconv.FormatInt(a.product.ID, 10) + "/supervision"
	form := url.Values{"supervised": {"1"}, "variant": {"manual"}, "sla_days": {"30"}, "acceptance_mode": {"manual"}}

	// A renamed page is refused by type: 422 naming the field, nothing kept.
	p := owner.postFormFile(settings, form, "template", "模板.docx", []byte("<html><body>x</body></html>"))
	if p.status != http.StatusUnprocessableEntity || testid(p, "sup-settings").Length() != 1 ||
		!strings.Contains(p.body, "类型不支持") || a.count("supervision_documents", "kind = 'template'") != 0 {
		t.Fatalf("bad type %d\n%s", p.status, p.body)
	}
	tpl := []byte("需求模板：部署地址、账号数量、联系人")
	if p := owner.postFormFile(settings, form, "template", "需求模板.txt", tpl); p.status != http.StatusSeeOther {
		t.Fatalf("upload %d\n%s", p.status, p.body)
	}
	p = owner.get(settings)
	link := testid(p, "sup-template-link")
	if link.Length() != 1 || link.Text() != "需求模板.txt" {
		t.Fatalf("settings page shows no template\n%s", p.body)
	}
	if s, h, b := owner.download(link.AttrOr("href", "")); s != http.StatusOK || !bytes.Equal(b, tpl) ||
		!strings.HasPrefix(h.Get("Content-Disposition"), "attachment") {
		t.Fatalf("settings download %d %v", s, h)
	}

	// The buyer downloads it from the flow where it submits requirements.
	buyer := a.loggedIn("buyer@demo.test")
	bp := buyer.get("/buyer/supervision/" + strconv.FormatInt(id, 10))
	blink := testid(bp, "sup-template-link")
	if blink.Length() != 1 || testid(bp, "sup-action-submit").Length() != 1 {
		t.Fatalf("buyer page: template link %d\n%s", blink.Length(), bp.body)
	}
	s, h, b := buyer.download(blink.AttrOr("href", ""))
	if s != http.StatusOK || !bytes.Equal(b, tpl) || h.Get("Content-Security-Policy") != "sandbox; default-src 'none'" ||
		h.Get("Cache-Control") != "private, no-store" || !strings.Contains(h.Get("Content-Disposition"), "filename*=utf-8''") ||
		!strings.HasPrefix(h.Get("Content-Type"), "text/plain") {
		t.Fatalf("buyer download %d %v", s, h)
	}
	// The merchant's flow page offers it too.
	mp := owner.get("/supervision/" + strconv.FormatInt(id, 10))
	if s, _, b := owner.download(testid(mp, "sup-template-link").AttrOr("href", "")); s != http.StatusOK || !bytes.Equal(b, tpl) {
		t.Fatalf("merchant download %d", s)
	}

	// Replaced: every page serves the new file.
	tpl2 := []byte("需求模板 第二版")
	if p := owner.postFormFile(settings, form, "template", "需求模板v2.txt", tpl2); p.status != http.StatusSeeOther {
		t.Fatalf("replace %d", p.status)
	}
	if _, _, b := buyer.download(blink.AttrOr("href", "")); !bytes.Equal(b, tpl2) {
		t.Fatalf("buyer still gets %q", b)
	}

	// Another merchant and another buyer: 404.
	globex := a.loggedIn("owner@globex.test")
	for _, path := range []string{"/supervision/" + strconv.FormatInt(id, 10) + "/template", settings + "/template"} {
		if s, _, _ := globex.download(path); s != http.StatusNotFound {
			t.Fatalf("globex on %s: %d", path, s)
		}
	}
	if _, err := a.acc.AddUser(t.Context(), models.SystemActor("test"), "", accounts.NewUserInput{Email: "other@buyer.test",
		Name: "Other", Role: models.RoleBuyer, Password: demo.Password, CustomerID: "cust-other"}); err != nil {
		t.Fatal(err)
	}
	if s, _, _ := a.loggedIn("other@buyer.test").download(blink.AttrOr("href", "")); s != http.StatusNotFound {
		t.Fatalf("another buyer gets the template: %d", s)
	}
}

// Product supervision settings are the owner's and operations staff's:
// operations reach them from the product list (which shows them no add
// form), tech staff (who add products) do not.
func TestProductSupervisionSettingsAreForOwnerAndOperations(t *testing.T) {
	a := newAPIEnv(t)
	settings := "/settings/products/" + strconv.FormatInt(a.product.ID, 10) + "/supervision"
	staff := a.loggedIn("staff@acme.test")
	p := staff.get("/settings/products")
	if p.status != http.StatusOK || testid(p, "nav-products").Length() != 1 || testid(p, "product-add-form").Length() != 0 ||
		testid(p, "product-sup-settings").Length() == 0 {
		t.Fatalf("operations' product list %d", p.status)
	}
	form := url.Values{"supervised": {"1"}, "variant": {"hardware"}, "sla_days": {"7"}, "acceptance_mode": {"manual"}}
	if p := staff.postFormFile(settings, form, "template", "模板.txt", []byte("模板")); p.status != http.StatusSeeOther {
		t.Fatalf("operations save %d\n%s", p.status, p.body)
	}
	if a.count("products", "id = ? AND supervised = 1", a.product.ID) != 1 ||
		a.count("supervision_settings", "product_ref = ? AND variant = 'hardware' AND sla_days = 7", a.product.ID) != 1 {
		t.Fatal("operations' settings not saved")
	}
	if _, err := a.acc.AddUser(t.Context(), models.SystemActor("test"), "acme", accounts.NewUserInput{
		Email: "tech@acme.test", Name: "Tech", Role: models.RoleTech, Password: demo.Password}); err != nil {
		t.Fatal(err)
	}
	tech := a.loggedIn("tech@acme.test")
	if p := tech.get("/settings/products"); p.status != http.StatusOK || testid(p, "product-add-form").Length() != 1 ||
		testid(p, "product-sup-settings").Length() != 0 {
		t.Fatalf("tech's product list %d", p.status)
	}
	for _, path := range []string{settings, settings + "/template"} {
		if p := tech.get(path); p.status != http.StatusForbidden {
			t.Fatalf("tech on %s: %d", path, p.status)
		}
	}
	if p := tech.post(settings, form); p.status != http.StatusForbidden {
		t.Fatalf("tech saves settings: %d", p.status)
	}
}
