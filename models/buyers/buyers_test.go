package buyers

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/dbtest"
	"github.com/sellercenter/sellercenter/models/vault"
)

func TestSaveReplacesOrKeepsAKnownBuyer(t *testing.T) {
	d := dbtest.Open(t)
	v, err := vault.New(make([]byte, vault.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	id, err := Save(d.Gorm, v, "c-1", models.BuyerPII{CustomerName: "张三", Email: "z@example.com"}, now, true)
	if err != nil || id == 0 {
		t.Fatalf("first save: %d %v", id, err)
	}
	pii := func() (models.Buyer, models.BuyerPII) {
		var b models.Buyer
		if err := d.Gorm.Where("customer_id = ?", "c-1").First(&b).Error; err != nil {
			t.Fatal(err)
		}
		plain, err := v.Open(b.PIIEnc, vault.PurposeBuyerPII)
		if err != nil {
			t.Fatal(err)
		}
		var p models.BuyerPII
		_ = json.Unmarshal(plain, &p)
		return b, p
	}
	// A ticket's name alone does not replace what an order recorded.
	again, err := Save(d.Gorm, v, "c-1", models.BuyerPII{CustomerName: "李四"}, now, false)
	if err != nil || again != id {
		t.Fatalf("keep: id %d (want %d) %v", again, id, err)
	}
	if b, p := pii(); p.CustomerName != "张三" || p.Email != "z@example.com" || b.NameMasked != "张**" {
		t.Fatalf("kept buyer changed: %q %+v", b.NameMasked, p)
	}
	// A later order's PII does.
	if again, err = Save(d.Gorm, v, "c-1", models.BuyerPII{CustomerName: "王五五"}, now, true); err != nil || again != id {
		t.Fatalf("replace: id %d (want %d) %v", again, id, err)
	}
	if b, p := pii(); p.CustomerName != "王五五" || p.Email != "" || b.NameMasked != "王***" {
		t.Fatalf("replaced buyer: %q %+v", b.NameMasked, p)
	}
}

func TestMaskName(t *testing.T) {
	for in, want := range map[string]string{"": "", "A": "A*", "张三": "张**", "Alexander Hamilton": "A*******"} {
		if got := MaskName(in); got != want {
			t.Errorf("MaskName(%q) = %q, want %q", in, got, want)
		}
	}
}
