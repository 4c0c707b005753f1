package models

// Role is what a user is allowed to be. Merchant roles belong to one merchant;
// platform roles (operations manager, buyer) belong to none.
type Role string

const (
	RoleOwner      Role = "owner"      // 商家管理员
	RoleOperations Role = "operations" // 运营
	RoleDelivery   Role = "delivery"   // 交付
	RoleTech       Role = "tech"       // 技术
	RoleFinance    Role = "finance"    // 财务
	RoleReadOnly   Role = "readonly"   // 只读
	RoleOpsManager Role = "opsmanager" // 平台运营经理
	RoleBuyer      Role = "buyer"      // 客户
)

// MerchantRoles are the roles an owner may hand to sub-users, in display order.
var MerchantRoles = []Role{RoleOwner, RoleOperations, RoleDelivery, RoleTech, RoleFinance, RoleReadOnly}

// AllRoles lists every role in display order.
var AllRoles = append(append([]Role{}, MerchantRoles...), RoleOpsManager, RoleBuyer)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, k := range AllRoles {
		if k == r {
			return true
		}
	}
	return false
}

// IsMerchant reports whether the role belongs to a merchant account.
func (r Role) IsMerchant() bool {
	return r.Valid() && r != RoleOpsManager && r != RoleBuyer
}

// MsgID is the catalog key of the role's display name.
func (r Role) MsgID() string { return "role." + string(r) }
