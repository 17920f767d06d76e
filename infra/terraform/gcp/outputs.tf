output "chat_host" {
  description = "Host name the ingress serves; point its DNS A record at ingress_ip_address."
  value       = local.chat_host
}

output "registry_url" {
  description = "Image repository prefix; images are <registry_url>/chatd:<tag> (repository variable GAR_REPOSITORY)."
  value       = "${google_artifact_registry_repository.chatd.location}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.chatd.repository_id}"
}

output "registry_host" {
  description = "Registry host for docker login (repository variable GAR_HOST)."
  value       = "${google_artifact_registry_repository.chatd.location}-docker.pkg.dev"
}

output "cluster_name" {
  description = "GKE cluster name."
  value       = module.gke.name
}

output "get_credentials_command" {
  description = "Command that writes a kubeconfig entry for the cluster."
  value       = "gcloud container clusters get-credentials ${module.gke.name} --region ${module.gke.location} --project ${var.project_id}"
}

output "database_host" {
  description = "Private IP of Cloud SQL."
  value       = module.cloudsql.private_ip
}

output "database_name" {
  description = "Database chatd uses."
  value       = module.cloudsql.database_name
}

output "database_connection_name" {
  description = "Cloud SQL connection name (project:region:instance)."
  value       = module.cloudsql.connection_name
}

output "database_url_secret_id" {
  description = "Secret Manager secret holding DATABASE_URL."
  value       = google_secret_manager_secret.this["chatd-database-url"].id
}

output "admin_token_secret_id" {
  description = "Secret Manager secret holding CHATD_ADMIN_TOKEN."
  value       = google_secret_manager_secret.this["chatd-admin-token"].id
}

output "secret_names" {
  description = "Secret Manager secret ID for each key of the Kubernetes Secret chatd-secrets."
  value = {
    DATABASE_URL      = google_secret_manager_secret.this["chatd-database-url"].secret_id
    CHATD_ADMIN_TOKEN = google_secret_manager_secret.this["chatd-admin-token"].secret_id
  }
}

output "chatd_service_account_email" {
  description = "Google service account for the chatd ServiceAccount annotation iam.gke.io/gcp-service-account."
  value       = google_service_account.chatd.email
}

output "ingress_ip_name" {
  description = "Name of the global static address (Ingress annotation kubernetes.io/ingress.global-static-ip-name)."
  value       = google_compute_global_address.ingress.name
}

output "ingress_ip_address" {
  description = "The static address itself; chat.<domain> gets an A record to it."
  value       = google_compute_global_address.ingress.address
}

output "github_workload_identity_provider" {
  description = "Provider for google-github-actions/auth (repository variable GCP_WORKLOAD_IDENTITY_PROVIDER)."
  value       = module.github_oidc.workload_identity_provider
}

output "github_service_account_email" {
  description = "Service account the release workflow impersonates (repository variable GCP_SERVICE_ACCOUNT)."
  value       = module.github_oidc.service_account_email
}

output "github_plan_service_account_email" {
  description = "Read-only service account of the plan job (repository variable GCP_PLAN_SERVICE_ACCOUNT), or null."
  value       = module.github_oidc.plan_service_account_email
}

output "project_id" {
  description = "Project ID."
  value       = var.project_id
}
