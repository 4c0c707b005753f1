package models

import "testing"

// allPerms is every permission constant; a new one must be added here and to
// the expectations below, or this test fails.
var allPerms = []Permission{
	PermOverview, PermOrdersView, PermOrdersExport, PermCredentialsView, PermBuyerPIIView, PermInvoices,
	PermSupervision, PermAppealsFile, PermDemands, PermTickets, PermInterfaceLog, PermInterfaceRestart,
	PermDebugger, PermEndpointSettings, PermReception, PermUsersManage, PermMerchantAudit, PermNotifications,
	PermProfile, PermAdminAudit, PermAdminMerchants, PermAdminAppeals, PermAdminDemands, PermAdminProducts,
	PermAdminCalendar, PermBuyerPortal, PermInvoicesView, PermInvoiceSettings, PermAdminInvoices, PermSupSettings, PermAdminTickets,
}

func TestRolePermissionTable(t *testing.T) {
	want := map[Role][]Permission{
		RoleOwner: {PermOverview, PermOrdersView, PermOrdersExport, PermCredentialsView, PermBuyerPIIView,
			PermInvoices, PermSupervision, PermAppealsFile, PermDemands, PermTickets, PermInterfaceLog,
			PermInterfaceRestart, PermDebugger, PermEndpointSettings, PermReception, PermUsersManage,
			PermMerchantAudit, PermNotifications, PermProfile, PermInvoicesView, PermInvoiceSettings, PermSupSettings},
		RoleOperations: {PermOverview, PermOrdersView, PermOrdersExport, PermInvoicesView, PermSupervision, PermAppealsFile,
			PermDemands, PermTickets, PermInterfaceLog, PermReception, PermNotifications, PermProfile, PermSupSettings},
		RoleDelivery: {PermOverview, PermOrdersView, PermSupervision, PermAppealsFile, PermTickets,
			PermInterfaceLog, PermNotifications, PermProfile},
		RoleTech: {PermOverview, PermOrdersView, PermCredentialsView, PermInterfaceLog, PermInterfaceRestart,
			PermDebugger, PermEndpointSettings, PermTickets, PermNotifications, PermProfile},
		RoleFinance: {PermOverview, PermOrdersView, PermOrdersExport, PermInvoices, PermInvoicesView,
			PermNotifications, PermProfile},
		RoleReadOnly: {PermOverview, PermOrdersView, PermInterfaceLog, PermInvoicesView, PermNotifications, PermProfile},
		RoleOpsManager: {PermOverview, PermNotifications, PermProfile, PermOrdersView, PermOrdersExport,
			PermInterfaceLog, PermAdminAudit, PermAdminMerchants, PermAdminAppeals, PermAdminDemands, PermAdminProducts,
			PermAdminCalendar, PermAdminInvoices, PermAdminTickets},
		RoleBuyer: {PermBuyerPortal, PermProfile},
	}
	for _, r := range AllRoles {
		allowed := map[Permission]bool{}
		for _, p := range want[r] {
			allowed[p] = true
		}
		for _, p := range allPerms {
			if got := r.Can(p); got != allowed[p] {
				t.Errorf("%s.Can(%s) = %v, want %v", r, p, got, allowed[p])
			}
		}
	}
	if Role("root").Can(PermOverview) {
		t.Error("an unknown role was granted a permission")
	}
}

func TestRoleKinds(t *testing.T) {
	for _, r := range MerchantRoles {
		if !r.IsMerchant() || !r.Valid() {
			t.Errorf("%s should be a valid merchant role", r)
		}
	}
	for _, r := range []Role{RoleOpsManager, RoleBuyer} {
		if r.IsMerchant() || !r.Valid() {
			t.Errorf("%s should be a valid platform role", r)
		}
	}
	if Role("admin").Valid() || Role("").IsMerchant() {
		t.Error("unknown roles must be invalid")
	}
}

func TestValidationErrorKeepsFirstMessagePerField(t *testing.T) {
	v := &ValidationError{}
	if v.Err() != nil {
		t.Fatal("empty validation error must be nil")
	}
	v.Add("email", M("err.required"))
	v.Add("email", M("err.email_format"))
	if v.Err() == nil || v.Fields["email"].ID != "err.required" {
		t.Fatalf("got %+v", v.Fields)
	}
	m := M("err.too_long", "Max", 254)
	if m.Args["Max"] != 254 {
		t.Fatalf("args: %+v", m.Args)
	}
}
