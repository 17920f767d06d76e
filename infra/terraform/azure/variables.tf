variable "subscription_id" {
  description = "Azure subscription that holds everything."
  type        = string

  validation {
    condition     = can(regex("^[0-9a-fA-F-]{36}$", var.subscription_id))
    error_message = "subscription_id must be a subscription GUID."
  }
}

variable "name" {
  description = "Short prefix for every resource, e.g. \"chatd-prod\"."
  type        = string
  default     = "chatd-prod"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,14}[a-z0-9]$", var.name))
    error_message = "name must be 3-16 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "location" {
  description = "Azure region, e.g. \"koreacentral\"."
  type        = string
  default     = "koreacentral"

  validation {
    condition     = can(regex("^[a-z0-9]+$", var.location))
    error_message = "location must be a region name such as koreacentral (no spaces)."
  }
}

variable "domain" {
  description = "Blog domain; chatd is served at chat.<domain>. Only used for outputs and tags."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain))
    error_message = "domain must be a lowercase DNS name such as example.com."
  }
}

variable "github_repository" {
  description = "Repository whose release workflow may push images, as \"owner/name\"."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must look like owner/name."
  }
}

variable "github_environment" {
  description = "GitHub environment of the release job that the OIDC federation trusts."
  type        = string
  default     = "release"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{1,255}$", var.github_environment))
    error_message = "github_environment must be a plain environment name."
  }
}

variable "github_plan_environment" {
  description = "GitHub environment of the opt-in plan job in infra.yml; null creates no plan identity."
  type        = string
  default     = null

  validation {
    condition     = var.github_plan_environment == null || can(regex("^[A-Za-z0-9_.-]{1,255}$", coalesce(var.github_plan_environment, "x")))
    error_message = "github_plan_environment must be a plain environment name, or null."
  }
}

variable "tfstate_storage_account_id" {
  description = "ID of the storage account that holds the state, so the plan identity may read it; null if there is no plan identity."
  type        = string
  default     = null
}

variable "vnet_address_space" {
  description = "CIDR of the virtual network."
  type        = string
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrhost(var.vnet_address_space, 0))
    error_message = "vnet_address_space must be a CIDR block."
  }
}

variable "aks_subnet_cidr" {
  description = "Subnet for AKS nodes, inside vnet_address_space."
  type        = string
  default     = "10.40.0.0/22"

  validation {
    condition     = can(cidrhost(var.aks_subnet_cidr, 0))
    error_message = "aks_subnet_cidr must be a CIDR block."
  }
}

variable "postgres_subnet_cidr" {
  description = "Subnet delegated to PostgreSQL, inside vnet_address_space."
  type        = string
  default     = "10.40.8.0/24"

  validation {
    condition     = can(cidrhost(var.postgres_subnet_cidr, 0))
    error_message = "postgres_subnet_cidr must be a CIDR block."
  }
}

variable "kubernetes_version" {
  description = "AKS minor version such as \"1.31\", or null for the AKS default."
  type        = string
  default     = null

  validation {
    condition     = var.kubernetes_version == null || can(regex("^1\\.[0-9]{2}$", var.kubernetes_version))
    error_message = "kubernetes_version must look like \"1.31\", or be null."
  }
}

variable "aks_sku_tier" {
  description = "AKS control plane tier: Free (no SLA) or Standard."
  type        = string
  default     = "Standard"

  validation {
    condition     = contains(["Free", "Standard"], var.aks_sku_tier)
    error_message = "aks_sku_tier must be Free or Standard."
  }
}

variable "zones" {
  description = "Availability zones for nodes; [] in regions without zones."
  type        = list(string)
  default     = ["1", "2", "3"]

  validation {
    condition     = alltrue([for z in var.zones : contains(["1", "2", "3"], z)])
    error_message = "zones may only contain \"1\", \"2\" and \"3\"."
  }
}

variable "system_pool" {
  description = "System node pool: VM size and autoscaler bounds."
  type = object({
    vm_size   = string
    min_count = number
    max_count = number
  })
  default = {
    vm_size   = "Standard_D2s_v5"
    min_count = 1
    max_count = 3
  }

  validation {
    condition     = var.system_pool.min_count >= 1 && var.system_pool.max_count >= var.system_pool.min_count
    error_message = "system_pool needs 1 <= min_count <= max_count."
  }
}

variable "user_pool" {
  description = "User node pool (chatd runs here): VM size and autoscaler bounds."
  type = object({
    vm_size   = string
    min_count = number
    max_count = number
  })
  default = {
    vm_size   = "Standard_D4s_v5"
    min_count = 2
    max_count = 6
  }

  validation {
    condition     = var.user_pool.min_count >= 0 && var.user_pool.max_count >= var.user_pool.min_count && var.user_pool.max_count >= 1
    error_message = "user_pool needs 0 <= min_count <= max_count and max_count >= 1."
  }
}

variable "acr_sku" {
  description = "Container registry tier."
  type        = string
  default     = "Standard"

  validation {
    condition     = contains(["Basic", "Standard", "Premium"], var.acr_sku)
    error_message = "acr_sku must be Basic, Standard or Premium."
  }
}

variable "postgres_sku_name" {
  description = "PostgreSQL Flexible Server compute, e.g. B_Standard_B1ms (cheap, no HA) or GP_Standard_D2ds_v5."
  type        = string
  default     = "GP_Standard_D2ds_v5"

  validation {
    condition     = can(regex("^(B|GP|MO)_Standard_", var.postgres_sku_name))
    error_message = "postgres_sku_name must start with B_Standard_, GP_Standard_ or MO_Standard_."
  }
}

variable "postgres_version" {
  description = "PostgreSQL major version."
  type        = string
  default     = "16"

  validation {
    condition     = contains(["14", "15", "16", "17"], var.postgres_version)
    error_message = "postgres_version must be one of 14, 15, 16, 17."
  }
}

variable "postgres_storage_mb" {
  description = "PostgreSQL storage in MB (grows automatically)."
  type        = number
  default     = 32768

  validation {
    condition     = contains([32768, 65536, 131072, 262144, 524288, 1048576, 2097152, 4193280, 4194304, 8388608, 16777216, 33553408], var.postgres_storage_mb)
    error_message = "postgres_storage_mb must be one of the sizes Flexible Server offers (32768, 65536, 131072, ...)."
  }
}

variable "postgres_backup_retention_days" {
  description = "Days of point-in-time restore (7-35)."
  type        = number
  default     = 14

  validation {
    condition     = var.postgres_backup_retention_days >= 7 && var.postgres_backup_retention_days <= 35
    error_message = "postgres_backup_retention_days must be between 7 and 35."
  }
}

variable "postgres_geo_redundant_backup" {
  description = "Keep backups in the paired region too (fixed at creation)."
  type        = bool
  default     = false
}

variable "postgres_high_availability" {
  description = "Zone-redundant standby with automatic failover (not on B_ SKUs)."
  type        = bool
  default     = false

  validation {
    condition     = !(var.postgres_high_availability && startswith(var.postgres_sku_name, "B_"))
    error_message = "High availability is not offered on the burstable (B_) tier; pick a GP_ or MO_ SKU or turn it off."
  }
}

variable "key_vault_purge_protection" {
  description = "Forbid purging deleted secrets during the retention period. Recommended in production; once on it cannot be turned off, and the vault name stays taken after destroy."
  type        = bool
  default     = true
}

variable "log_analytics_enabled" {
  description = "Create a Log Analytics workspace and turn on Container Insights."
  type        = bool
  default     = false
}

variable "log_analytics_retention_days" {
  description = "Retention of the Log Analytics workspace, when enabled."
  type        = number
  default     = 30

  validation {
    condition     = var.log_analytics_retention_days >= 30 && var.log_analytics_retention_days <= 730
    error_message = "log_analytics_retention_days must be between 30 and 730."
  }
}

variable "tags" {
  description = "Extra tags for every resource."
  type        = map(string)
  default     = {}
}
