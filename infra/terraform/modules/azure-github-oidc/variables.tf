variable "name" {
  description = "Name of the user-assigned managed identity GitHub Actions signs in as."
  type        = string
}

variable "resource_group_name" {
  description = "Resource group for the identity."
  type        = string
}

variable "location" {
  description = "Azure region."
  type        = string
}

variable "github_repository" {
  description = "Repository allowed to sign in, as \"owner/name\"."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must look like owner/name."
  }
}

variable "github_environment" {
  description = "GitHub environment the release job runs in; only tokens from jobs in it are trusted. Protect it with branch and tag rules (main, v*)."
  type        = string
  default     = "release"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{1,255}$", var.github_environment))
    error_message = "github_environment must be a plain environment name."
  }
}

variable "acr_id" {
  description = "Registry the identity may push to (AcrPush and nothing else)."
  type        = string
}

variable "tags" {
  description = "Tags put on every resource."
  type        = map(string)
  default     = {}
}

variable "plan_environment" {
  description = "GitHub environment of the opt-in terraform plan job (infra.yml), or null for no plan identity. Reading the state means reading the secrets, so protect this environment as well as the release one."
  type        = string
  default     = null

  validation {
    condition     = var.plan_environment == null || can(regex("^[A-Za-z0-9_.-]{1,255}$", coalesce(var.plan_environment, "x")))
    error_message = "plan_environment must be a plain environment name, or null."
  }
}

variable "plan_role_assignments" {
  description = "Read-only roles of the plan identity, by a fixed key: {scope, role}. Ignored without plan_environment."
  type = map(object({
    scope = string
    role  = string
  }))
  default = {}
}
