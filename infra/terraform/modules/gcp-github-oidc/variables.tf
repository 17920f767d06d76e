variable "project_id" {
  description = "Google Cloud project."
  type        = string
}

variable "pool_id" {
  description = "Workload identity pool ID (4-32 characters; not reusable for 30 days after deletion)."
  type        = string
  default     = "github-actions"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}[a-z0-9]$", var.pool_id)) && !startswith(var.pool_id, "gcp-")
    error_message = "pool_id must be 4-32 lowercase letters, digits or hyphens and not start with gcp-."
  }
}

variable "service_account_id" {
  description = "Account ID of the service account the release workflow impersonates."
  type        = string
  default     = "github-release"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,23}[a-z0-9]$", var.service_account_id))
    error_message = "service_account_id must be 6-25 lowercase letters, digits or hyphens (\"-plan\" is appended for the plan account)."
  }
}

variable "github_repository" {
  description = "Repository allowed to authenticate, as \"owner/name\"."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must look like owner/name."
  }
}

variable "github_environment" {
  description = "GitHub environment the release job runs in; tokens from other jobs are refused."
  type        = string
  default     = "release"

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{1,255}$", var.github_environment))
    error_message = "github_environment must be a plain environment name."
  }
}

variable "plan_environment" {
  description = "GitHub environment of the opt-in terraform plan job (infra.yml), or null for no plan service account."
  type        = string
  default     = null

  validation {
    condition     = var.plan_environment == null || can(regex("^[A-Za-z0-9_.-]{1,255}$", coalesce(var.plan_environment, "x")))
    error_message = "plan_environment must be a plain environment name, or null."
  }
}

variable "plan_project_roles" {
  description = "Project roles of the plan service account: enough to read every resource and IAM policy, nothing that writes."
  type        = list(string)
  default     = ["roles/viewer", "roles/iam.securityReviewer"]

  validation {
    condition     = alltrue([for r in var.plan_project_roles : can(regex("^roles/[A-Za-z0-9_.]+$", r)) && !can(regex("(?i)(admin|editor|owner|writer)", r))])
    error_message = "plan_project_roles must be read-only predefined roles (no admin, editor, owner or writer)."
  }
}

variable "tfstate_bucket" {
  description = "GCS bucket holding the state, so the plan service account may read it; null if there is none."
  type        = string
  default     = null
}

variable "repository_location" {
  description = "Location of the Artifact Registry repository the workflow pushes to."
  type        = string
}

variable "repository_name" {
  description = "Artifact Registry repository ID the workflow may write to (and nothing else)."
  type        = string
}
