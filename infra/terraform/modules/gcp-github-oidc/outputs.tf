output "workload_identity_provider" {
  description = "Full provider name for google-github-actions/auth (repository variable GCP_WORKLOAD_IDENTITY_PROVIDER)."
  value       = google_iam_workload_identity_pool_provider.github.name
}

output "plan_service_account_email" {
  description = "Read-only service account of the plan job (repository variable GCP_PLAN_SERVICE_ACCOUNT), or null."
  value       = var.plan_environment == null ? null : google_service_account.plan[0].email
}

output "service_account_email" {
  description = "Service account the workflow impersonates (repository variable GCP_SERVICE_ACCOUNT)."
  value       = google_service_account.github.email
}
