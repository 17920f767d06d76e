output "instance_name" {
  description = "Cloud SQL instance name."
  value       = google_sql_database_instance.this.name
}

output "connection_name" {
  description = "project:region:instance, for the Cloud SQL Auth Proxy if you use it."
  value       = google_sql_database_instance.this.connection_name
}

output "private_ip" {
  description = "Private IP address of the instance."
  value       = google_sql_database_instance.this.private_ip_address
}

output "database_name" {
  description = "Name of chatd's database."
  value       = google_sql_database.chatd.name
}

output "database_url" {
  description = "libpq URL for chatd, with TLS required."
  value       = "postgresql://${google_sql_user.chatd.name}:${urlencode(random_password.user.result)}@${google_sql_database_instance.this.private_ip_address}:5432/${google_sql_database.chatd.name}?sslmode=require"
  sensitive   = true
}
