package models

import (
	"errors"
	"testing"
)

func TestInvoiceTransitions(t *testing.T) {
	ok := map[InvoiceStatus]map[InvoiceAction]InvoiceStatus{
		InvoicePending: {InvoiceIssue: InvoiceIssued, InvoiceReject: InvoiceRejected, InvoiceRevoke: InvoiceRevoked},
		InvoiceIssued:  {InvoiceReturn: InvoiceReturning},
		InvoiceReturning: {InvoiceApproveReturn: InvoiceReturning, InvoiceConfirmReturn: InvoiceReturned,
			InvoiceCancelReturn: InvoiceIssued},
	}
	checkTransitions(t, InvoiceStatuses, InvoiceActions, InvoiceTransition, ok)
	// 退票 only from issued, spelled out because it is the rule people ask about.
	for _, from := range InvoiceStatuses {
		if _, err := InvoiceTransition(from, InvoiceReturn); (err == nil) != (from == InvoiceIssued) {
			t.Errorf("return from %s: err=%v", from, err)
		}
	}
}

func TestInvoiceLiveStates(t *testing.T) {
	for _, s := range InvoiceStatuses {
		want := s == InvoicePending || s == InvoiceIssued || s == InvoiceReturning
		if s.Live() != want {
			t.Errorf("%s.Live() = %v", s, s.Live())
		}
	}
}

func TestPlatformFeeTransitions(t *testing.T) {
	ok := map[PlatformFeeStatus]map[PlatformFeeAction]PlatformFeeStatus{
		PlatformFeePending: {PlatformFeeIssue: PlatformFeeIssued, PlatformFeeReject: PlatformFeeRejected},
	}
	checkTransitions(t, PlatformFeeStatuses, PlatformFeeActions, PlatformFeeTransition, ok)
}

func TestInvoiceActionsFollowRoleTableAndFourEyes(t *testing.T) {
	req := int64(7)
	finance := Actor{UserID: 7, Role: RoleFinance, MerchantID: 1}
	owner := Actor{UserID: 8, Role: RoleOwner, MerchantID: 1}
	other := Actor{UserID: 9, Role: RoleFinance, MerchantID: 2}
	readonly := Actor{UserID: 10, Role: RoleReadOnly, MerchantID: 1}
	buyer := Actor{UserID: 11, Role: RoleBuyer}
	ops := Actor{UserID: 12, Role: RoleOpsManager}
	eq := func(got []InvoiceAction, want ...InvoiceAction) bool {
		if len(got) != len(want) {
			return false
		}
		for i := range got {
			if got[i] != want[i] {
				return false
			}
		}
		return true
	}
	pending := &Invoice{MerchantID: 1, Status: InvoicePending}
	if got := InvoiceActionsFor(pending, finance); !eq(got, InvoiceIssue, InvoiceReject) {
		t.Errorf("finance on pending: %v", got)
	}
	if got := InvoiceActionsFor(pending, buyer); !eq(got, InvoiceRevoke) {
		t.Errorf("buyer on pending: %v", got)
	}
	for _, a := range []Actor{other, readonly, ops} {
		if got := InvoiceActionsFor(pending, a); len(got) != 0 {
			t.Errorf("%s of merchant %d may %v", a.Role, a.MerchantID, got)
		}
	}
	awaiting := &Invoice{MerchantID: 1, Status: InvoiceReturning, ReturnNeedsApproval: true, ReturnRequestedBy: &req}
	if got := InvoiceActionsFor(awaiting, finance); !eq(got, InvoiceCancelReturn) {
		t.Errorf("requester on own return: %v", got)
	}
	if got := InvoiceActionsFor(awaiting, owner); !eq(got, InvoiceApproveReturn, InvoiceCancelReturn) {
		t.Errorf("second person: %v", got)
	}
	if err := InvoiceGuard(awaiting, InvoiceApproveReturn, 7); !errors.Is(err, ErrOwnApproval) {
		t.Errorf("own approval: %v", err)
	}
	if err := InvoiceGuard(awaiting, InvoiceConfirmReturn, 8); !errors.Is(err, ErrApprovalPending) {
		t.Errorf("confirm before approval: %v", err)
	}
	approved := *awaiting
	approved.ReturnApprovedBy = &owner.UserID
	if got := InvoiceActionsFor(&approved, finance); !eq(got, InvoiceConfirmReturn, InvoiceCancelReturn) {
		t.Errorf("approved return: %v", got)
	}
	plain := &Invoice{MerchantID: 1, Status: InvoiceReturning, ReturnRequestedBy: &req}
	if got := InvoiceActionsFor(plain, finance); !eq(got, InvoiceConfirmReturn, InvoiceCancelReturn) {
		t.Errorf("return without four-eyes: %v", got)
	}
}

func TestTaxIDs(t *testing.T) {
	for _, s := range []string{
		"91350100M000100Y43", "91110000802100433B", "91440300708461136T", // unified social credit codes
		"110108123456789", "11010812345678901", "11010819900101123X01", // older ids: 15, 17, 20
	} {
		if !ValidTaxID(s) {
			t.Errorf("%s refused", s)
		}
	}
	for _, s := range []string{
		"91350100M000100Y44", // wrong check character
		"911100001000013155", // ditto
		"91350100I000100Y43", // I is not in the alphabet
		"9135010", "1101081234567890", "11010812345678901234567", "11010812345678-", "",
	} {
		if ValidTaxID(s) {
			t.Errorf("%s accepted", s)
		}
	}
	if got := NormalizeTaxID(" 9135 0100m000100y43 "); got != "91350100M000100Y43" {
		t.Errorf("normalize: %q", got)
	}
}

func TestInvoicePartyRules(t *testing.T) {
	p := InvoiceParty{Kind: InvoiceSpecial, Title: "杭州云帆科技有限公司", TaxID: "91350100M000100Y43", Email: "a@b.cn"}
	v := &ValidationError{}
	p.Validate(v, false)
	for _, f := range []string{"address", "phone", "bank", "account"} {
		if _, ok := v.Fields[f]; !ok {
			t.Errorf("special invoice without %s accepted", f)
		}
	}
	n := InvoiceParty{Kind: InvoiceNormal, Title: "王五", Email: "a@b.cn"}
	v = &ValidationError{}
	n.Validate(v, false)
	if v.Err() != nil {
		t.Errorf("a personal 普票 needs no tax id: %v", v)
	}
	v = &ValidationError{}
	n.Validate(v, true)
	if _, ok := v.Fields["taxId"]; !ok {
		t.Error("tax id required but missing accepted")
	}
	bad := InvoiceParty{Kind: "paper", Title: "x", TaxID: "123", Email: "nope"}
	v = &ValidationError{}
	bad.Validate(v, false)
	for _, f := range []string{"kind", "taxId", "email"} {
		if _, ok := v.Fields[f]; !ok {
			t.Errorf("bad %s accepted", f)
		}
	}
}

func TestCommissionFeeRoundsSymmetrically(t *testing.T) {
	for _, c := range []struct {
		amount int64
		bp     int
		want   int64
	}{{10000, 500, 500}, {1, 5000, 1}, {3, 1500, 0}, {-10000, 500, -500}, {-1, 5000, -1}, {12345, 1250, 1543}} {
		if got := CommissionFee(c.amount, c.bp); got != c.want {
			t.Errorf("fee(%d, %d bp) = %d, want %d", c.amount, c.bp, got, c.want)
		}
		if CommissionFee(-c.amount, c.bp) != -CommissionFee(c.amount, c.bp) {
			t.Errorf("fee of %d is not the negation of its refund's", c.amount)
		}
	}
}
