variable "name" {
  description = "Server name; it becomes <name>.postgres.database.azure.com, so it must be globally unique."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.name))
    error_message = "name must be 3-63 lowercase letters, digits or hyphens, not starting or ending with a hyphen."
  }
}

variable "resource_group_name" {
  description = "Resource group for the server and its private DNS zone."
  type        = string
}

variable "location" {
  description = "Azure region."
  type        = string
}

variable "vnet_id" {
  description = "Virtual network linked to the private DNS zone, so that clients there resolve the server."
  type        = string
}

variable "delegated_subnet_id" {
  description = "Subnet delegated to Microsoft.DBforPostgreSQL/flexibleServers."
  type        = string
}

variable "postgres_version" {
  description = "Major PostgreSQL version."
  type        = string
  default     = "16"

  validation {
    condition     = contains(["14", "15", "16", "17"], var.postgres_version)
    error_message = "postgres_version must be one of 14, 15, 16, 17."
  }
}

variable "sku_name" {
  description = "Compute tier and size, e.g. \"B_Standard_B1ms\" (burstable, no HA) or \"GP_Standard_D2ds_v5\"."
  type        = string
  default     = "GP_Standard_D2ds_v5"

  validation {
    condition     = can(regex("^(B|GP|MO)_Standard_", var.sku_name))
    error_message = "sku_name must start with B_Standard_, GP_Standard_ or MO_Standard_."
  }
}

variable "storage_mb" {
  description = "Allocated storage in MB; it grows automatically."
  type        = number
  default     = 32768

  validation {
    condition     = contains([32768, 65536, 131072, 262144, 524288, 1048576, 2097152, 4193280, 4194304, 8388608, 16777216, 33553408], var.storage_mb)
    error_message = "storage_mb must be one of the sizes Flexible Server offers (32768, 65536, 131072, ...)."
  }
}

variable "database_name" {
  description = "Database chatd uses."
  type        = string
  default     = "chatd"

  validation {
    condition     = can(regex("^[a-z_][a-z0-9_]{0,62}$", var.database_name))
    error_message = "database_name must be a plain lowercase identifier."
  }
}

variable "administrator_login" {
  description = "Administrator role name; its password is generated and never leaves Terraform state and Key Vault."
  type        = string
  default     = "chatd_admin"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{2,62}$", var.administrator_login)) && !contains(["admin", "administrator", "root", "postgres", "azure_superuser", "guest", "public"], var.administrator_login)
    error_message = "administrator_login must be a lowercase identifier and not a reserved name such as admin or postgres."
  }
}

variable "backup_retention_days" {
  description = "Days of point-in-time restore."
  type        = number
  default     = 14

  validation {
    condition     = var.backup_retention_days >= 7 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be between 7 and 35."
  }
}

variable "geo_redundant_backup" {
  description = "Copy backups to the paired region (cannot be changed after creation)."
  type        = bool
  default     = false
}

variable "high_availability" {
  description = "Run a zone-redundant standby with automatic failover (not on the burstable B_ tier)."
  type        = bool
  default     = false
}

variable "zone" {
  description = "Availability zone of the primary, or null to let Azure choose."
  type        = string
  default     = null

  validation {
    condition     = var.zone == null || contains(["1", "2", "3"], coalesce(var.zone, "x"))
    error_message = "zone must be \"1\", \"2\", \"3\" or null."
  }
}

variable "tags" {
  description = "Tags put on every resource."
  type        = map(string)
  default     = {}
}
