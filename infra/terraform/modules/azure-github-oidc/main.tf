locals {
  github_issuer = "https://token.actions.githubusercontent.com"
}

resource "azurerm_user_assigned_identity" "github" {
  name                = var.name
  resource_group_name = var.resource_group_name
  location            = var.location
  tags                = var.tags
}

# Federated credentials match the token's subject exactly (no wildcards), so trust goes to one
# GitHub environment; its protection rules decide which branches and tags may deploy.
resource "azurerm_federated_identity_credential" "release" {
  name                = "github-${var.github_environment}"
  resource_group_name = var.resource_group_name
  parent_id           = azurerm_user_assigned_identity.github.id
  audience            = ["api://AzureADTokenExchange"]
  issuer              = local.github_issuer
  subject             = "repo:${var.github_repository}:environment:${var.github_environment}"
}

resource "azurerm_role_assignment" "acr_push" {
  scope                = var.acr_id
  role_definition_name = "AcrPush"
  principal_id         = azurerm_user_assigned_identity.github.principal_id
}
