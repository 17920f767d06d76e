output "client_id" {
  description = "Client ID for azure/login (repository variable AZURE_CLIENT_ID)."
  value       = azurerm_user_assigned_identity.github.client_id
}

output "principal_id" {
  description = "Object ID of the identity."
  value       = azurerm_user_assigned_identity.github.principal_id
}

output "subject" {
  description = "Token subject the federated credential trusts."
  value       = azurerm_federated_identity_credential.release.subject
}

output "plan_client_id" {
  description = "Client ID of the plan identity (repository variable AZURE_PLAN_CLIENT_ID), or null."
  value       = var.plan_environment == null ? null : azurerm_user_assigned_identity.plan[0].client_id
}
