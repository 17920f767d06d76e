variable "name" {
  description = "Cluster name, also used as the DNS prefix."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}[a-z0-9]$", var.name))
    error_message = "name must be 3-42 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "resource_group_name" {
  description = "Resource group for the cluster."
  type        = string
}

variable "location" {
  description = "Azure region."
  type        = string
}

variable "kubernetes_version" {
  description = "Kubernetes minor version, e.g. \"1.31\"; null lets AKS pick its default. Patches follow automatically."
  type        = string
  default     = null

  validation {
    condition     = var.kubernetes_version == null || can(regex("^1\\.[0-9]{2}$", var.kubernetes_version))
    error_message = "kubernetes_version must look like \"1.31\", or be null."
  }
}

variable "sku_tier" {
  description = "AKS control plane tier: \"Free\" for trials, \"Standard\" for the uptime SLA."
  type        = string
  default     = "Standard"

  validation {
    condition     = contains(["Free", "Standard", "Premium"], var.sku_tier)
    error_message = "sku_tier must be Free, Standard or Premium."
  }
}

variable "subnet_id" {
  description = "Subnet the nodes of both pools join."
  type        = string
}

variable "zones" {
  description = "Availability zones for the node pools; an empty list for regions without zones."
  type        = list(string)
  default     = ["1", "2", "3"]

  validation {
    condition     = alltrue([for z in var.zones : contains(["1", "2", "3"], z)])
    error_message = "zones may only contain \"1\", \"2\" and \"3\"."
  }
}

variable "system_pool" {
  description = "System node pool (only critical add-ons run there): VM size and autoscaler bounds."
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
    condition     = var.system_pool.min_count >= 1 && var.system_pool.max_count >= var.system_pool.min_count && var.system_pool.max_count <= 100
    error_message = "system_pool needs 1 <= min_count <= max_count <= 100."
  }
}

variable "user_pool" {
  description = "User node pool where chatd runs: VM size and autoscaler bounds."
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
    condition     = var.user_pool.min_count >= 0 && var.user_pool.max_count >= var.user_pool.min_count && var.user_pool.max_count >= 1 && var.user_pool.max_count <= 1000
    error_message = "user_pool needs 0 <= min_count <= max_count, 1 <= max_count <= 1000."
  }
}

variable "pod_cidr" {
  description = "Overlay CIDR for pod addresses; must not overlap the virtual network."
  type        = string
  default     = "192.168.0.0/16"

  validation {
    condition     = can(cidrhost(var.pod_cidr, 0))
    error_message = "pod_cidr must be a CIDR block."
  }
}

variable "service_cidr" {
  description = "CIDR for Kubernetes Services; must not overlap the virtual network or pod_cidr."
  type        = string
  default     = "172.16.0.0/16"

  validation {
    condition     = can(cidrhost(var.service_cidr, 10))
    error_message = "service_cidr must be a CIDR block."
  }
}

variable "acr_id" {
  description = "ID of the container registry the kubelet identity may pull from (AcrPull)."
  type        = string
}

variable "log_analytics_workspace_id" {
  description = "Log Analytics workspace for Container Insights; null turns the monitoring add-on off."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags put on every resource."
  type        = map(string)
  default     = {}
}
