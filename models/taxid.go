package models

import "strings"

// uscc is the alphabet of the unified social credit code (统一社会信用代码,
// GB 32100-2015): digits and capitals without I, O, S, V and Z, each worth
// its index.
const uscc = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are 3^i mod 31 for the first 17 positions.
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// NormalizeTaxID is the tax id as stored: no spaces, capitals.
func NormalizeTaxID(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// ValidTaxID reports whether s (normalized) is a taxpayer id a 数电 invoice
// accepts: an 18-character unified social credit code whose last character
// is its check character, or an older 15-, 17- or 20-character id (tax
// registration numbers, individual ids) of digits and capitals, which have
// no check character to verify.
func ValidTaxID(s string) bool {
	switch len(s) {
	case 18:
		return validUSCC(s)
	case 15, 17, 20:
		for _, r := range s {
			if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z') {
				return false
			}
		}
		return true
	}
	return false
}

func validUSCC(s string) bool {
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(uscc, s[i])
		if v < 0 {
			return false
		}
		sum += v * usccWeights[i]
	}
	c := (31 - sum%31) % 31
	return s[17] == uscc[c]
}

// InvoiceParty is who an invoice is made out to: 抬头, 税号, and for a
// 数电专票 the address, phone, bank and account printed on it. Customer
// invoices and platform-fee requests embed it as their columns.
type InvoiceParty struct {
	Kind    InvoiceKind `gorm:"column:kind"`
	Title   string      `gorm:"column:title"`
	TaxID   string      `gorm:"column:tax_id"`
	Address string      `gorm:"column:address"`
	Phone   string      `gorm:"column:phone"`
	Bank    string      `gorm:"column:bank"`
	Account string      `gorm:"column:account"`
	Email   string      `gorm:"column:email"`
}

// Validate checks the party as a pure rule: a known kind, a title, a valid
// tax id when one is given (required for a 专票, and whenever taxRequired),
// the special-invoice details for a 专票, and an e-mail address.
func (p *InvoiceParty) Validate(v *ValidationError, taxRequired bool) {
	p.TaxID = NormalizeTaxID(p.TaxID)
	if !p.Kind.Valid() {
		v.Add("kind", M("err.enum", "Values", "normal, special"))
	}
	v.Text("title", p.Title, InvoiceTitleMax, true, false)
	switch {
	case p.TaxID == "" && (taxRequired || p.Kind == InvoiceSpecial):
		v.Add("taxId", M("err.required"))
	case p.TaxID != "" && !ValidTaxID(p.TaxID):
		v.Add("taxId", M("invoices.err.tax_id"))
	}
	special := p.Kind == InvoiceSpecial
	v.Text("address", p.Address, InvoiceAddressMax, special, false)
	v.Text("phone", p.Phone, InvoicePhoneMax, special, false)
	v.Text("bank", p.Bank, InvoiceBankMax, special, false)
	v.Text("account", p.Account, InvoiceAccountMax, special, false)
	switch {
	case strings.TrimSpace(p.Email) == "":
		v.Add("email", M("err.required"))
	case !ValidEmail(p.Email):
		v.Add("email", M("err.email_format"))
	}
}
