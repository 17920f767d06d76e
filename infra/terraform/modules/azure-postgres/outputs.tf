output "id" {
  description = "ID of the server."
  value       = azurerm_postgresql_flexible_server.this.id
}

output "fqdn" {
  description = "Private host name of the server (resolvable inside the virtual network only)."
  value       = azurerm_postgresql_flexible_server.this.fqdn
}

output "database_name" {
  description = "Name of chatd's database."
  value       = azurerm_postgresql_flexible_server_database.chatd.name
}

output "administrator_login" {
  description = "Administrator role name."
  value       = azurerm_postgresql_flexible_server.this.administrator_login
}

output "database_url" {
  description = "libpq URL for chatd, with TLS required."
  value       = "postgresql://${azurerm_postgresql_flexible_server.this.administrator_login}:${urlencode(random_password.admin.result)}@${azurerm_postgresql_flexible_server.this.fqdn}:5432/${azurerm_postgresql_flexible_server_database.chatd.name}?sslmode=require"
  sensitive   = true
}
