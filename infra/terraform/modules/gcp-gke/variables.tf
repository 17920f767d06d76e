variable "name" {
  description = "Cluster name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,38}[a-z0-9]$", var.name))
    error_message = "name must be 3-40 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "project_id" {
  description = "Google Cloud project."
  type        = string
}

variable "region" {
  description = "Region; the cluster is regional, with its control plane and nodes spread over the region's zones."
  type        = string
}

variable "network_id" {
  description = "VPC network ID."
  type        = string
}

variable "subnet_name" {
  description = "Node subnet."
  type        = string
}

variable "pods_range_name" {
  description = "Secondary range of the subnet for pods."
  type        = string
}

variable "services_range_name" {
  description = "Secondary range of the subnet for Services."
  type        = string
}

variable "release_channel" {
  description = "GKE release channel; it picks the version and upgrades the cluster."
  type        = string
  default     = "REGULAR"

  validation {
    condition     = contains(["RAPID", "REGULAR", "STABLE"], var.release_channel)
    error_message = "release_channel must be RAPID, REGULAR or STABLE."
  }
}

variable "master_ipv4_cidr_block" {
  description = "/28 for the control plane's private endpoint peering."
  type        = string
  default     = "172.16.0.0/28"

  validation {
    condition     = can(cidrhost(var.master_ipv4_cidr_block, 0)) && endswith(var.master_ipv4_cidr_block, "/28")
    error_message = "master_ipv4_cidr_block must be a /28 CIDR block."
  }
}

variable "master_authorized_networks" {
  description = "CIDR blocks allowed to reach the Kubernetes API; an empty list leaves it open to any address (still authenticated)."
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
    condition     = var.node_pool.min_count_per_zone >= 0 && var.node_pool.max_count_per_zone >= var.node_pool.min_count_per_zone && var.node_pool.max_count_per_zone >= 1 && var.node_pool.disk_size_gb >= 20
    error_message = "node_pool needs 0 <= min_count_per_zone <= max_count_per_zone, max >= 1 and disk_size_gb >= 20."
  }
}

variable "deletion_protection" {
  description = "Refuse terraform destroy of the cluster until this is set to false and applied."
  type        = bool
  default     = true
}
