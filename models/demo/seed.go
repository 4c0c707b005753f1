package demo

import (
	"context"
	"fmt"

	"github.com/sellercenter/sellercenter/models"
	"github.com/sellercenter/sellercenter/models/accounts"
)

// Password is the demo logins' password (demo mode only).
const Password = "demo-pass-123"

// Login is one printed demo login.
type Login struct {
	Email string
	Role  models.Role
	Note  string
}

// Logins are the demo accounts, in the order they are printed.
var Logins = []Login{
	{"ops@demo.test", models.RoleOpsManager, "operations manager / 运营经理"},
	{"owner@acme.test", models.RoleOwner, "Acme owner / 商家管理员"},
	{"staff@acme.test", models.RoleOperations, "Acme staff / 运营"},
	{"finance@acme.test", models.RoleFinance, "Acme finance / 财务"},
	{"owner@globex.test", models.RoleOwner, "Globex owner / 商家管理员"},
	{"buyer@demo.test", models.RoleBuyer, "buyer hw-cust-1001 / 客户（工单）"},
}

// BuyerCustomerID is the demo buyer's marketplace customer id (the buyer of
// several of Acme's demo orders).
const BuyerCustomerID = "hw-cust-1001"

// Seed creates the demo merchants and users. It runs once, on a new database.
func Seed(ctx context.Context, acc *accounts.Service) error {
	sys := models.SystemActor("demo")
	if _, err := acc.AddUser(ctx, sys, "", accounts.NewUserInput{Email: "ops@demo.test", Name: "运营经理 Ops",
		Role: models.RoleOpsManager, Password: Password}); err != nil {
		return fmt.Errorf("demo ops user: %w", err)
	}
	merchants := []accounts.NewMerchantInput{
		{Slug: "acme", Name: "Acme 云服务", OwnerEmail: "owner@acme.test", OwnerName: "Acme 管理员", OwnerPassword: Password},
		{Slug: "globex", Name: "Globex 软件", OwnerEmail: "owner@globex.test", OwnerName: "Globex 管理员", OwnerPassword: Password},
	}
	for _, m := range merchants {
		if _, _, err := acc.CreateMerchant(ctx, sys, m); err != nil {
			return fmt.Errorf("demo merchant %s: %w", m.Slug, err)
		}
	}
	staff := []struct {
		email, name string
		role        models.Role
	}{
		{"staff@acme.test", "王运营", models.RoleOperations},
		{"finance@acme.test", "李财务", models.RoleFinance},
	}
	for _, u := range staff {
		if _, err := acc.AddUser(ctx, sys, "acme", accounts.NewUserInput{Email: u.email, Name: u.name,
			Role: u.role, Password: Password}); err != nil {
			return fmt.Errorf("demo user %s: %w", u.email, err)
		}
	}
	if _, err := acc.AddUser(ctx, sys, "", accounts.NewUserInput{Email: "buyer@demo.test", Name: "云帆 采购",
		Role: models.RoleBuyer, Password: Password, CustomerID: BuyerCustomerID}); err != nil {
		return fmt.Errorf("demo buyer: %w", err)
	}
	return nil
}
