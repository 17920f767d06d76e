output "id" {
  description = "ID of the cluster."
  value       = google_container_cluster.this.id
}

output "name" {
  description = "Name of the cluster."
  value       = google_container_cluster.this.name
}

output "location" {
  description = "Region of the cluster."
  value       = google_container_cluster.this.location
}

output "workload_pool" {
  description = "Workload identity pool of the cluster (<project>.svc.id.goog)."
  value       = google_container_cluster.this.workload_identity_config[0].workload_pool
}

output "node_service_account_email" {
  description = "Service account of the nodes; it needs read access to the image registry."
  value       = google_service_account.nodes.email
}
