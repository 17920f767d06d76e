variable "name" {
  description = "Instance name (unique in the project, and not reusable for a week after deletion)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,84}[a-z0-9]$", var.name))
    error_message = "name must be lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "project_id" {
  description = "Google Cloud project."
  type        = string
}

variable "region" {
  description = "Region of the instance."
  type        = string
}

variable "network_id" {
  description = "VPC network the private IP lives in. Private services access must be connected first: give the module depends_on on the network."
  type        = string
}

variable "database_version" {
  description = "Cloud SQL PostgreSQL version."
  type        = string
  default     = "POSTGRES_16"

  validation {
    condition     = contains(["POSTGRES_14", "POSTGRES_15", "POSTGRES_16", "POSTGRES_17"], var.database_version)
    error_message = "database_version must be POSTGRES_14 to POSTGRES_17."
  }
}

variable "tier" {
  description = "Machine tier, e.g. db-custom-2-7680 (2 vCPU, 7.5 GB)."
  type        = string
  default     = "db-custom-2-7680"

  validation {
    condition     = can(regex("^db-", var.tier))
    error_message = "tier must be a Cloud SQL tier such as db-custom-2-7680."
  }
}

variable "disk_size_gb" {
  description = "Initial disk size; it grows automatically."
  type        = number
  default     = 20

  validation {
    condition     = var.disk_size_gb >= 10
    error_message = "disk_size_gb must be at least 10."
  }
}

variable "high_availability" {
  description = "REGIONAL availability: a standby in another zone with automatic failover."
  type        = bool
  default     = false
}

variable "backups_enabled" {
  description = "Daily automated backups."
  type        = bool
  default     = true
}

variable "point_in_time_recovery" {
  description = "Keep write-ahead logs for point-in-time recovery (needs backups)."
  type        = bool
  default     = true
}

variable "retained_backups" {
  description = "Number of daily backups kept."
  type        = number
  default     = 14

  validation {
    condition     = var.retained_backups >= 1 && var.retained_backups <= 365
    error_message = "retained_backups must be between 1 and 365."
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

variable "user_name" {
  description = "Role chatd connects as; its password is generated."
  type        = string
  default     = "chatd"

  validation {
    condition     = can(regex("^[a-z_][a-z0-9_]{0,62}$", var.user_name)) && var.user_name != "postgres"
    error_message = "user_name must be a lowercase identifier other than postgres."
  }
}

variable "deletion_protection" {
  description = "Refuse to delete the instance (both in Terraform and in the Cloud SQL API)."
  type        = bool
  default     = true
}
