output "network_id" {
  description = "ID of the VPC network."
  value       = google_compute_network.this.id
}

output "network_name" {
  description = "Name of the VPC network."
  value       = google_compute_network.this.name
}

output "subnet_name" {
  description = "Name of the node subnet."
  value       = google_compute_subnetwork.nodes.name
}

output "pods_range_name" {
  description = "Secondary range name for pods."
  value       = google_compute_subnetwork.nodes.secondary_ip_range[0].range_name
}

output "services_range_name" {
  description = "Secondary range name for Services."
  value       = google_compute_subnetwork.nodes.secondary_ip_range[1].range_name
}

output "private_services_connection_id" {
  description = "ID of the private services connection; Cloud SQL private IP needs it in place first."
  value       = google_service_networking_connection.this.id
}
