variable "name" {
  description = "Prefix for the network resources, e.g. \"chatd-prod\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.name))
    error_message = "name must be 3-32 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "resource_group_name" {
  description = "Resource group that holds the virtual network."
  type        = string
}

variable "location" {
  description = "Azure region, e.g. \"koreacentral\"."
  type        = string
}

variable "address_space" {
  description = "CIDR of the virtual network; both subnets are carved out of it."
  type        = string
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrhost(var.address_space, 0))
    error_message = "address_space must be a CIDR block such as 10.40.0.0/16."
  }
}

variable "aks_subnet_cidr" {
  description = "Subnet for AKS nodes. With Azure CNI Overlay pods take addresses from the pod CIDR instead, so /22 is plenty."
  type        = string
  default     = "10.40.0.0/22"

  validation {
    condition     = can(cidrhost(var.aks_subnet_cidr, 0))
    error_message = "aks_subnet_cidr must be a CIDR block."
  }
}

variable "postgres_subnet_cidr" {
  description = "Subnet delegated to PostgreSQL Flexible Server; nothing else may live in it."
  type        = string
  default     = "10.40.8.0/24"

  validation {
    condition     = can(cidrhost(var.postgres_subnet_cidr, 0))
    error_message = "postgres_subnet_cidr must be a CIDR block."
  }
}

variable "tags" {
  description = "Tags put on every resource."
  type        = map(string)
  default     = {}
}
