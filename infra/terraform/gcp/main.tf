locals {
  chat_host = "chat.${var.domain}"
  labels = merge(var.labels, {
    app        = "chatd"
    managed-by = "terraform"
  })
  # The chatd ServiceAccount in namespace chatd, as workload identity names it.
  chatd_k8s_member = "serviceAccount:${var.project_id}.svc.id.goog[chatd/chatd]"
}

resource "google_project_service" "this" {
  for_each = toset([
    "artifactregistry.googleapis.com",
    "compute.googleapis.com",
    "container.googleapis.com",
    "iam.googleapis.com",
    "iamcredentials.googleapis.com",
    "secretmanager.googleapis.com",
    "servicenetworking.googleapis.com",
    "sqladmin.googleapis.com",
    "sts.googleapis.com",
  ])

  project = var.project_id
  service = each.value
  # Turning an API off on destroy would break anything else in the project that uses it.
  disable_on_destroy = false
}

module "network" {
  source = "../modules/gcp-network"

  name          = var.name
  project_id    = var.project_id
  region        = var.region
  nodes_cidr    = var.nodes_cidr
  pods_cidr     = var.pods_cidr
  services_cidr = var.services_cidr

  private_services_cidr = var.private_services_cidr

  depends_on = [google_project_service.this]
}

resource "google_artifact_registry_repository" "chatd" {
  project       = var.project_id
  location      = var.region
  repository_id = "chatd"
  format        = "DOCKER"
  description   = "chatd images, pushed by the release workflow"
  labels        = local.labels

  # A tag, once pushed, always means the same image: rollbacks are reliable.
  docker_config {
    immutable_tags = true
  }

  depends_on = [google_project_service.this]
}

module "gke" {
  source = "../modules/gcp-gke"

  name                       = "${var.name}-gke"
  project_id                 = var.project_id
  region                     = var.region
  network_id                 = module.network.network_id
  subnet_name                = module.network.subnet_name
  pods_range_name            = module.network.pods_range_name
  services_range_name        = module.network.services_range_name
  release_channel            = var.release_channel
  master_authorized_networks = var.master_authorized_networks
  node_pool                  = var.node_pool
  deletion_protection        = var.deletion_protection

  depends_on = [google_project_service.this]
}

resource "google_artifact_registry_repository_iam_member" "nodes_pull" {
  project    = var.project_id
  location   = google_artifact_registry_repository.chatd.location
  repository = google_artifact_registry_repository.chatd.name
  role       = "roles/artifactregistry.reader"
  member     = "serviceAccount:${module.gke.node_service_account_email}"
}

module "cloudsql" {
  source = "../modules/gcp-cloudsql"

  name                = "${var.name}-pg"
  project_id          = var.project_id
  region              = var.region
  network_id          = module.network.network_id
  database_version    = var.sql_database_version
  tier                = var.sql_tier
  high_availability   = var.sql_high_availability
  backups_enabled     = var.sql_backups_enabled
  retained_backups    = var.sql_retained_backups
  deletion_protection = var.deletion_protection

  # The private IP comes from the peered range, which must be connected first.
  depends_on = [module.network]
}

module "github_oidc" {
  source = "../modules/gcp-github-oidc"

  project_id          = var.project_id
  github_repository   = var.github_repository
  github_environment  = var.github_environment
  repository_location = google_artifact_registry_repository.chatd.location
  repository_name     = google_artifact_registry_repository.chatd.name
  plan_environment    = var.github_plan_environment
  tfstate_bucket      = var.tfstate_bucket

  depends_on = [google_project_service.this]
}

# A global address for the GKE Ingress (annotation kubernetes.io/ingress.global-static-ip-name);
# the DNS record for chat.<domain> points here and survives re-creating the Ingress.
resource "google_compute_global_address" "ingress" {
  project = var.project_id
  name    = "${var.name}-ingress"

  depends_on = [google_project_service.this]
}
