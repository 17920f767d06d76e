locals {
  github_issuer = "https://token.actions.githubusercontent.com"
  environments  = compact([var.github_environment, var.plan_environment == null ? "" : var.plan_environment])
  pool_members  = "principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.github.name}/attribute.environment"
}

resource "google_iam_workload_identity_pool" "github" {
  project                   = var.project_id
  workload_identity_pool_id = var.pool_id
  display_name              = "GitHub Actions"
  description               = "Short-lived credentials for ${var.github_repository}; no keys exist."
}

# Only tokens from jobs of this repository in one of its trusted environments get through;
# everything else is refused before any IAM binding is looked at. Each service account then trusts
# one environment only.
resource "google_iam_workload_identity_pool_provider" "github" {
  project                            = var.project_id
  workload_identity_pool_id          = google_iam_workload_identity_pool.github.workload_identity_pool_id
  workload_identity_pool_provider_id = "github"
  display_name                       = "GitHub"

  attribute_mapping = {
    "google.subject"        = "assertion.sub"
    "attribute.repository"  = "assertion.repository"
    "attribute.ref"         = "assertion.ref"
    "attribute.environment" = "assertion.environment"
  }
  attribute_condition = "assertion.repository == \"${var.github_repository}\" && assertion.environment in ${jsonencode(local.environments)}"

  oidc {
    issuer_uri = local.github_issuer
  }
}

resource "google_service_account" "github" {
  project      = var.project_id
  account_id   = var.service_account_id
  display_name = "GitHub release workflow (pushes chatd images)"
}

resource "google_service_account_iam_member" "github_workload_identity" {
  service_account_id = google_service_account.github.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "${local.pool_members}/${var.github_environment}"
}

resource "google_artifact_registry_repository_iam_member" "push" {
  project    = var.project_id
  location   = var.repository_location
  repository = var.repository_name
  role       = "roles/artifactregistry.writer"
  member     = "serviceAccount:${google_service_account.github.email}"
}

# The optional plan service account: read-only, trusted only in the plan environment.
resource "google_service_account" "plan" {
  count = var.plan_environment == null ? 0 : 1

  project      = var.project_id
  account_id   = "${var.service_account_id}-plan"
  display_name = "GitHub terraform plan (read-only)"
}

resource "google_service_account_iam_member" "plan_workload_identity" {
  count = var.plan_environment == null ? 0 : 1

  service_account_id = google_service_account.plan[0].name
  role               = "roles/iam.workloadIdentityUser"
  member             = "${local.pool_members}/${var.plan_environment}"
}

resource "google_project_iam_member" "plan" {
  for_each = toset(var.plan_environment == null ? [] : var.plan_project_roles)

  project = var.project_id
  role    = each.value
  member  = "serviceAccount:${google_service_account.plan[0].email}"
}

resource "google_storage_bucket_iam_member" "plan_state" {
  count = var.plan_environment != null && var.tfstate_bucket != null ? 1 : 0

  bucket = var.tfstate_bucket
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.plan[0].email}"
}
