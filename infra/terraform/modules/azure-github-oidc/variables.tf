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
