output "workload_identity_provider" {
  description = "Full provider name for google-github-actions/auth (repository variable GCP_WORKLOAD_IDENTITY_PROVIDER)."
  value       = google_iam_workload_identity_pool_provider.github.name
}

output "service_account_email" {
  description = "Service account the workflow impersonates (repository variable GCP_SERVICE_ACCOUNT)."
  value       = google_service_account.github.email
}
