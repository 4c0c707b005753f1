package provisioning

import (
	"strings"
	"testing"

	"github.com/sellercenter/sellercenter/models"
)

// A failed connection's error quotes the whole URL the client tried, with
// the signature (V2) or authToken (V1) in its query: the log stores the text
// masked like the URL above it.
func TestFailedConnectionErrorIsStoredMasked(t *testing.T) {
	for proto, secret := range map[string]string{"v1": "authToken=", "v2": "signature="} {
		t.Run(proto, func(t *testing.T) {
			e := newEnv(t, proto)
			e.srv.Close() // nothing answers at the endpoint any more
			e.accept(e.order("ORD-X", models.OrderNew, LineInput{OrderLineID: "ORD-X-1"}))
			e.runDue()
			var m models.InterfaceMessage
			if err := e.db.Gorm.Where("order_id = ?", "ORD-X").First(&m).Error; err != nil {
				t.Fatal(err)
			}
			if m.ErrorClass != "connection" || m.ResponseStatus != 0 || !m.NoAnswer() {
				t.Fatalf("attempt: class %q status %d", m.ErrorClass, m.ResponseStatus)
			}
			if !strings.Contains(m.ErrorDetail, secret+"***") {
				t.Fatalf("the error text does not quote the masked %s: %s", secret, m.ErrorDetail)
			}
			_, value, _ := strings.Cut(m.ErrorDetail, secret)
			if !strings.HasPrefix(value, "***") {
				t.Fatalf("%s unmasked: %s", secret, m.ErrorDetail)
			}
			if !strings.Contains(m.URL, secret+"***") && strings.Contains(m.URL, secret) {
				t.Fatalf("URL unmasked: %s", m.URL)
			}
		})
	}
}
