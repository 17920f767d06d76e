output "resource_group_name" {
  description = "Resource group holding everything."
  value       = azurerm_resource_group.this.name
}

output "chat_host" {
  description = "Host name the ingress serves; point its DNS record at the ingress address."
  value       = local.chat_host
}

output "registry_login_server" {
  description = "Registry host; images are <registry_login_server>/chatd:<tag> (repository variable ACR_LOGIN_SERVER)."
  value       = azurerm_container_registry.this.login_server
}

output "registry_name" {
  description = "Registry name, for az acr login --name (repository variable ACR_NAME)."
  value       = azurerm_container_registry.this.name
}

output "cluster_name" {
  description = "AKS cluster name."
  value       = module.aks.name
}

output "get_credentials_command" {
  description = "Command that writes a kubeconfig entry for the cluster."
  value       = "az aks get-credentials --resource-group ${azurerm_resource_group.this.name} --name ${module.aks.name}"
}

output "node_resource_group" {
  description = "Resource group AKS manages for nodes and load balancers (for a static ingress IP)."
  value       = module.aks.node_resource_group
}

output "oidc_issuer_url" {
  description = "Issuer of the cluster's ServiceAccount tokens."
  value       = module.aks.oidc_issuer_url
}

output "database_host" {
  description = "Private host name of PostgreSQL."
  value       = module.postgres.fqdn
}

output "database_name" {
  description = "Database chatd uses."
  value       = module.postgres.database_name
}

output "key_vault_name" {
  description = "Key Vault holding chatd's secrets (for the SecretProviderClass keyvaultName)."
  value       = azurerm_key_vault.this.name
}

output "key_vault_uri" {
  description = "Key Vault URI."
  value       = azurerm_key_vault.this.vault_uri
}

output "tenant_id" {
  description = "Entra ID tenant (SecretProviderClass tenantId, repository variable AZURE_TENANT_ID)."
  value       = data.azurerm_client_config.current.tenant_id
}

output "database_url_secret_id" {
  description = "Key Vault secret holding DATABASE_URL."
  value       = azurerm_key_vault_secret.database_url.versionless_id
}

output "admin_token_secret_id" {
  description = "Key Vault secret holding CHATD_ADMIN_TOKEN."
  value       = azurerm_key_vault_secret.admin_token.versionless_id
}

output "secret_names" {
  description = "Key Vault secret name for each key of the Kubernetes Secret chatd-secrets."
  value = {
    DATABASE_URL      = azurerm_key_vault_secret.database_url.name
    CHATD_ADMIN_TOKEN = azurerm_key_vault_secret.admin_token.name
  }
}

output "chatd_identity_client_id" {
  description = "Client ID for the chatd ServiceAccount annotation azure.workload.identity/client-id."
  value       = azurerm_user_assigned_identity.chatd.client_id
}

output "github_actions_client_id" {
  description = "Client ID the release workflow signs in with (repository variable AZURE_CLIENT_ID)."
  value       = module.github_oidc.client_id
}

output "github_plan_client_id" {
  description = "Client ID of the read-only plan identity (repository variable AZURE_PLAN_CLIENT_ID), or null."
  value       = module.github_oidc.plan_client_id
}

output "subscription_id" {
  description = "Subscription (repository variable AZURE_SUBSCRIPTION_ID)."
  value       = var.subscription_id
}
