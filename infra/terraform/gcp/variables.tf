variable "project_id" {
  description = "Google Cloud project that holds everything."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a project ID (6-30 lowercase letters, digits or hyphens)."
  }
}

variable "region" {
  description = "Region, e.g. \"asia-northeast3\" (Seoul)."
  type        = string
  default     = "asia-northeast3"

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]$", var.region))
    error_message = "region must be a region name such as asia-northeast3."
  }
}

variable "name" {
  description = "Short prefix for every resource, e.g. \"chatd-prod\"."
  type        = string
  default     = "chatd-prod"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,18}[a-z0-9]$", var.name))
    error_message = "name must be 3-20 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "domain" {
  description = "Blog domain; chatd is served at chat.<domain>. Only used for outputs and labels."
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
  description = "GitHub environment of the opt-in plan job in infra.yml; null creates no plan service account."
  type        = string
  default     = null

  validation {
    condition     = var.github_plan_environment == null || can(regex("^[A-Za-z0-9_.-]{1,255}$", coalesce(var.github_plan_environment, "x")))
    error_message = "github_plan_environment must be a plain environment name, or null."
  }
}

variable "tfstate_bucket" {
  description = "GCS bucket that holds the state, so the plan service account may read it; null if there is no plan job."
  type        = string
  default     = null
}

variable "nodes_cidr" {
  description = "Primary range of the node subnet."
  type        = string
  default     = "10.50.0.0/20"

  validation {
    condition     = can(cidrhost(var.nodes_cidr, 0))
    error_message = "nodes_cidr must be a CIDR block."
  }
}

variable "pods_cidr" {
  description = "Secondary range for pods."
  type        = string
  default     = "10.60.0.0/14"

  validation {
    condition     = can(cidrhost(var.pods_cidr, 0))
    error_message = "pods_cidr must be a CIDR block."
  }
}

variable "services_cidr" {
  description = "Secondary range for Services."
  type        = string
  default     = "10.64.0.0/20"

  validation {
    condition     = can(cidrhost(var.services_cidr, 0))
    error_message = "services_cidr must be a CIDR block."
  }
}

variable "private_services_cidr" {
  description = "Range peered to Google-managed services; Cloud SQL's private IP is taken from it."
  type        = string
  default     = "10.100.0.0/20"

  validation {
    condition     = can(cidrhost(var.private_services_cidr, 0))
    error_message = "private_services_cidr must be a CIDR block."
  }
}

variable "release_channel" {
  description = "GKE release channel."
  type        = string
  default     = "REGULAR"

  validation {
    condition     = contains(["RAPID", "REGULAR", "STABLE"], var.release_channel)
    error_message = "release_channel must be RAPID, REGULAR or STABLE."
  }
}

variable "master_authorized_networks" {
  description = "CIDR blocks allowed to reach the Kubernetes API; [] leaves it reachable from anywhere (still authenticated)."
  type = list(object({
    cidr_block   = string
    display_name = string
  }))
  default = []

  validation {
    condition     = alltrue([for n in var.master_authorized_networks : can(cidrhost(n.cidr_block, 0))])
    error_message = "every master_authorized_networks entry needs a valid cidr_block."
  }
}

variable "node_pool" {
  description = "The chatd node pool: machine type, disk and autoscaler bounds per zone."
  type = object({
    machine_type       = string
    disk_size_gb       = number
    min_count_per_zone = number
    max_count_per_zone = number
  })
  default = {
    machine_type       = "e2-standard-4"
    disk_size_gb       = 50
    min_count_per_zone = 1
    max_count_per_zone = 3
  }

  validation {
    condition     = var.node_pool.min_count_per_zone >= 0 && var.node_pool.max_count_per_zone >= var.node_pool.min_count_per_zone && var.node_pool.max_count_per_zone >= 1
    error_message = "node_pool needs 0 <= min_count_per_zone <= max_count_per_zone and max >= 1."
  }
}

variable "sql_tier" {
  description = "Cloud SQL machine tier, e.g. db-custom-2-7680."
  type        = string
  default     = "db-custom-2-7680"

  validation {
    condition     = can(regex("^db-", var.sql_tier))
    error_message = "sql_tier must be a Cloud SQL tier such as db-custom-2-7680."
  }
}

variable "sql_database_version" {
  description = "Cloud SQL PostgreSQL version."
  type        = string
  default     = "POSTGRES_16"

  validation {
    condition     = contains(["POSTGRES_14", "POSTGRES_15", "POSTGRES_16", "POSTGRES_17"], var.sql_database_version)
    error_message = "sql_database_version must be POSTGRES_14 to POSTGRES_17."
  }
}

variable "sql_high_availability" {
  description = "REGIONAL Cloud SQL: standby in another zone with automatic failover."
  type        = bool
  default     = false
}

variable "sql_backups_enabled" {
  description = "Daily automated backups with point-in-time recovery."
  type        = bool
  default     = true
}

variable "sql_retained_backups" {
  description = "Number of daily backups kept."
  type        = number
  default     = 14

  validation {
    condition     = var.sql_retained_backups >= 1 && var.sql_retained_backups <= 365
    error_message = "sql_retained_backups must be between 1 and 365."
  }
}

variable "deletion_protection" {
  description = "Protect the cluster and the database from deletion; set false and apply before destroying."
  type        = bool
  default     = true
}

variable "labels" {
  description = "Extra labels for the resources that take them."
  type        = map(string)
  default     = {}
}
