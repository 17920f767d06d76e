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

# The optional plan identity: read-only, trusted only in the plan environment.
resource "azurerm_user_assigned_identity" "plan" {
  count = var.plan_environment == null ? 0 : 1

  name                = "${var.name}-plan"
  resource_group_name = var.resource_group_name
  location            = var.location
  tags                = var.tags
}

resource "azurerm_federated_identity_credential" "plan" {
  count = var.plan_environment == null ? 0 : 1

  name                = "github-${var.plan_environment}"
  resource_group_name = var.resource_group_name
  parent_id           = azurerm_user_assigned_identity.plan[0].id
  audience            = ["api://AzureADTokenExchange"]
  issuer              = local.github_issuer
  subject             = "repo:${var.github_repository}:environment:${var.plan_environment}"
}

resource "azurerm_role_assignment" "plan" {
  for_each = var.plan_environment == null ? {} : var.plan_role_assignments

  scope                = each.value.scope
  role_definition_name = each.value.role
  principal_id         = azurerm_user_assigned_identity.plan[0].principal_id
}
