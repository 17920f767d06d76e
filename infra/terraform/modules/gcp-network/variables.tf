variable "name" {
  description = "Prefix for the network resources, e.g. \"chatd-prod\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}[a-z0-9]$", var.name))
    error_message = "name must be 3-42 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "project_id" {
  description = "Google Cloud project."
  type        = string
}

variable "region" {
  description = "Region of the subnet, router and NAT."
  type        = string
}

variable "nodes_cidr" {
  description = "Primary range of the subnet (GKE nodes)."
  type        = string
  default     = "10.50.0.0/20"

  validation {
    condition     = can(cidrhost(var.nodes_cidr, 0))
    error_message = "nodes_cidr must be a CIDR block."
  }
}

variable "pods_cidr" {
  description = "Secondary range for pod addresses (VPC-native GKE)."
  type        = string
  default     = "10.60.0.0/14"

  validation {
    condition     = can(cidrhost(var.pods_cidr, 0))
    error_message = "pods_cidr must be a CIDR block."
  }
}

variable "services_cidr" {
  description = "Secondary range for Service addresses."
  type        = string
  default     = "10.64.0.0/20"

  validation {
    condition     = can(cidrhost(var.services_cidr, 0))
    error_message = "services_cidr must be a CIDR block."
  }
}

variable "private_services_cidr" {
  description = "Range reserved for Google-managed services; Cloud SQL's private IP comes from it (NetworkPolicies in deploy/k8s allow it)."
  type        = string
  default     = "10.100.0.0/20"

  validation {
    condition     = can(cidrhost(var.private_services_cidr, 0)) && tonumber(split("/", var.private_services_cidr)[1]) >= 16 && tonumber(split("/", var.private_services_cidr)[1]) <= 24
    error_message = "private_services_cidr must be a CIDR block from /16 to /24."
  }
}
