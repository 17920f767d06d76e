data "azurerm_client_config" "current" {}

locals {
  compact_name = replace(var.name, "-", "")
  chat_host    = "chat.${var.domain}"
  tags = merge(var.tags, {
    app        = "chatd"
    managed-by = "terraform"
    chat-host  = local.chat_host
  })
}

# Registry, vault and database names are global; a random suffix keeps two installs apart.
resource "random_string" "suffix" {
  length  = 5
  upper   = false
  special = false
}

resource "azurerm_resource_group" "this" {
  name     = "${var.name}-rg"
  location = var.location
  tags     = local.tags
}

module "network" {
  source = "../modules/azure-network"

  name                 = var.name
  resource_group_name  = azurerm_resource_group.this.name
  location             = azurerm_resource_group.this.location
  address_space        = var.vnet_address_space
  aks_subnet_cidr      = var.aks_subnet_cidr
  postgres_subnet_cidr = var.postgres_subnet_cidr
  tags                 = local.tags
}

resource "azurerm_container_registry" "this" {
  name                = "${local.compact_name}${random_string.suffix.result}"
  resource_group_name = azurerm_resource_group.this.name
  location            = azurerm_resource_group.this.location
  sku                 = var.acr_sku
  # Pulls use the kubelet identity and pushes use GitHub's federated identity: no admin password.
  admin_enabled = false
  tags          = local.tags
}

resource "azurerm_log_analytics_workspace" "this" {
  count = var.log_analytics_enabled ? 1 : 0

  name                = "${var.name}-logs"
  resource_group_name = azurerm_resource_group.this.name
  location            = azurerm_resource_group.this.location
  sku                 = "PerGB2018"
  retention_in_days   = var.log_analytics_retention_days
  tags                = local.tags
}

module "aks" {
  source = "../modules/azure-aks"

  name                       = "${var.name}-aks"
  resource_group_name        = azurerm_resource_group.this.name
  location                   = azurerm_resource_group.this.location
  kubernetes_version         = var.kubernetes_version
  sku_tier                   = var.aks_sku_tier
  subnet_id                  = module.network.aks_subnet_id
  zones                      = var.zones
  system_pool                = var.system_pool
  user_pool                  = var.user_pool
  acr_id                     = azurerm_container_registry.this.id
  log_analytics_workspace_id = var.log_analytics_enabled ? azurerm_log_analytics_workspace.this[0].id : null
  tags                       = local.tags
}

module "postgres" {
  source = "../modules/azure-postgres"

  name                  = "${var.name}-pg-${random_string.suffix.result}"
  resource_group_name   = azurerm_resource_group.this.name
  location              = azurerm_resource_group.this.location
  vnet_id               = module.network.vnet_id
  delegated_subnet_id   = module.network.postgres_subnet_id
  postgres_version      = var.postgres_version
  sku_name              = var.postgres_sku_name
  storage_mb            = var.postgres_storage_mb
  backup_retention_days = var.postgres_backup_retention_days
  geo_redundant_backup  = var.postgres_geo_redundant_backup
  high_availability     = var.postgres_high_availability
  tags                  = local.tags
}

module "github_oidc" {
  source = "../modules/azure-github-oidc"

  name                = "${var.name}-github-release"
  resource_group_name = azurerm_resource_group.this.name
  location            = azurerm_resource_group.this.location
  github_repository   = var.github_repository
  github_environment  = var.github_environment
  acr_id              = azurerm_container_registry.this.id
  tags                = local.tags

  plan_environment = var.github_plan_environment
  plan_role_assignments = merge({
    resource-group    = { scope = azurerm_resource_group.this.id, role = "Reader" }
    key-vault         = { scope = azurerm_key_vault.this.id, role = "Key Vault Reader" }
    key-vault-secrets = { scope = azurerm_key_vault.this.id, role = "Key Vault Secrets User" }
    }, var.tfstate_storage_account_id == null ? {} : {
    state = { scope = var.tfstate_storage_account_id, role = "Storage Blob Data Reader" }
  })
}
