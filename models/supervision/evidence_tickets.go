package supervision

import (
	"bytes"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/bizclock"
	"github.com/sellercenter/sellercenter/models/buyers"
	"github.com/sellercenter/sellercenter/models/filestore"
	"github.com/sellercenter/sellercenter/models/i18n"
)

// packTicket is one related ticket as its pages show it: the customer by
// the masked name, never the sealed one.
type packTicket struct {
	ID       int64
	TicketID string
	Title    string
	Content  string
	State    string
	Customer string
	Created  time.Time
}

// relatedTickets are the tickets the flow's buyer opened about the flow's
// product at the flow's merchant (the same conversation, in another area),
// each rendered as a text file. Internal notes stay with the merchant, as
// on the buyer's ticket page; a buyer's own name is masked like the
// customer column. The tickets_buyer index holds the buyer's tickets.
func relatedTickets(tx *gorm.DB, f *models.SupFlow, party models.SupParty, loc *i18n.Localizer) (map[string][]byte, error) {
	var ts []packTicket
	if err := tx.Table("tickets AS t").Select(`t.id, t.ticket_id, t.title, t.content, t.state,
			b.name_masked AS customer, t.created_at AS created`).
		Joins("JOIN buyers b ON b.id = t.buyer_ref").
		Where("t.buyer_ref = ? AND t.merchant_id = ? AND t.product_ref = ?", f.BuyerRef, f.MerchantID, f.ProductRef).
		Order("t.id").Scan(&ts).Error; err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, t := range ts {
		q := tx.Where("ticket_ref = ?", t.ID)
		if party != models.SupPartyMerchant {
			q = q.Where("kind <> ?", models.TicketMsgNote)
		}
		var ms []models.TicketMessage
		if err := q.Order("id").Find(&ms).Error; err != nil {
			return nil, err
		}
		var b bytes.Buffer
		at := func(t time.Time) string { return t.In(bizclock.Shanghai).Format(time.DateTime) }
		fmt.Fprintf(&b, "%s %s\n%s\n%s · %s · %s\n\n", loc.T("supervision.evidence.ticket"), t.TicketID, t.Title,
			t.Customer, loc.T("tickets.state."+t.State), at(t.Created))
		fmt.Fprintf(&b, "[%s] %s · %s\n%s\n\n", at(t.Created), loc.T("tickets.msg."+models.TicketMsgBuyer), t.Customer,
			t.Content)
		for _, m := range ms {
			author := m.AuthorName
			if m.Kind == models.TicketMsgBuyer {
				author = buyers.MaskName(author)
			}
			fmt.Fprintf(&b, "[%s] %s · %s\n%s\n\n", at(m.CreatedAt), loc.T("tickets.msg."+m.Kind), author, m.Body)
		}
		out[fmt.Sprintf("tickets/%d-%s.txt", t.ID, filestore.CleanName(t.TicketID))] = b.Bytes()
	}
	return out, nil
}
