# Key Vault holds what chatd-secrets is made of: DATABASE_URL and CHATD_ADMIN_TOKEN. Access is by
# Azure RBAC only; the chatd pod reads it through workload identity, never through a stored key.
resource "azurerm_key_vault" "this" {
  name                       = "${substr(local.compact_name, 0, 14)}kv${random_string.suffix.result}"
  resource_group_name        = azurerm_resource_group.this.name
  location                   = azurerm_resource_group.this.location
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "standard"
  enable_rbac_authorization  = true
  purge_protection_enabled   = var.key_vault_purge_protection
  soft_delete_retention_days = 30
  tags                       = local.tags
}

# Whoever runs terraform apply writes the secret values.
resource "azurerm_role_assignment" "deployer_secrets_officer" {
  scope                = azurerm_key_vault.this.id
  role_definition_name = "Key Vault Secrets Officer"
  principal_id         = data.azurerm_client_config.current.object_id
}

resource "random_password" "admin_token" {
  length  = 48
  special = false
}

resource "azurerm_key_vault_secret" "database_url" {
  name         = "chatd-database-url"
  value        = module.postgres.database_url
  key_vault_id = azurerm_key_vault.this.id
  content_type = "text/plain"
  tags         = local.tags

  depends_on = [azurerm_role_assignment.deployer_secrets_officer]
}

resource "azurerm_key_vault_secret" "admin_token" {
  name         = "chatd-admin-token"
  value        = random_password.admin_token.result
  key_vault_id = azurerm_key_vault.this.id
  content_type = "text/plain"
  tags         = local.tags

  depends_on = [azurerm_role_assignment.deployer_secrets_officer]
}

# Workload identity for the chatd ServiceAccount (namespace chatd, name chatd).
resource "azurerm_user_assigned_identity" "chatd" {
  name                = "${var.name}-chatd"
  resource_group_name = azurerm_resource_group.this.name
  location            = azurerm_resource_group.this.location
  tags                = local.tags
}

resource "azurerm_federated_identity_credential" "chatd" {
  name                = "chatd-serviceaccount"
  resource_group_name = azurerm_resource_group.this.name
  parent_id           = azurerm_user_assigned_identity.chatd.id
  audience            = ["api://AzureADTokenExchange"]
  issuer              = module.aks.oidc_issuer_url
  subject             = "system:serviceaccount:chatd:chatd"
}

resource "azurerm_role_assignment" "chatd_secrets_user" {
  scope                = azurerm_key_vault.this.id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_user_assigned_identity.chatd.principal_id
}
