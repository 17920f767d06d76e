# Secret Manager holds what chatd-secrets is made of; the chatd pod reads it as the chatd Google
# service account through workload identity, with no key file anywhere.
resource "random_password" "admin_token" {
  length  = 48
  special = false
}

locals {
  # Kept apart from the values: for_each may not be derived from sensitive values.
  secret_ids = ["chatd-database-url", "chatd-admin-token"]
  secrets = {
    "chatd-database-url" = module.cloudsql.database_url
    "chatd-admin-token"  = random_password.admin_token.result
  }
}

resource "google_secret_manager_secret" "this" {
  for_each = toset(local.secret_ids)

  project   = var.project_id
  secret_id = each.value
  labels    = local.labels

  replication {
    auto {}
  }

  depends_on = [google_project_service.this]
}

resource "google_secret_manager_secret_version" "this" {
  for_each = google_secret_manager_secret.this

  secret      = each.value.id
  secret_data = local.secrets[each.key]
}

resource "google_service_account" "chatd" {
  project      = var.project_id
  account_id   = "${var.name}-chatd"
  display_name = "chatd pods (Kubernetes ServiceAccount chatd/chatd)"

  depends_on = [google_project_service.this]
}

resource "google_service_account_iam_member" "chatd_workload_identity" {
  service_account_id = google_service_account.chatd.name
  role               = "roles/iam.workloadIdentityUser"
  member             = local.chatd_k8s_member

  # The member names the cluster's workload pool, which exists only once the cluster does.
  depends_on = [module.gke]
}

# A plan refreshes the secret versions it manages, so the plan account must read these two too.
resource "google_secret_manager_secret_iam_member" "plan_access" {
  for_each = var.github_plan_environment == null ? {} : google_secret_manager_secret.this

  project   = var.project_id
  secret_id = each.value.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${module.github_oidc.plan_service_account_email}"
}

resource "google_secret_manager_secret_iam_member" "chatd_access" {
  for_each = google_secret_manager_secret.this

  project   = var.project_id
  secret_id = each.value.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.chatd.email}"
}
