output "vnet_id" {
  description = "ID of the virtual network."
  value       = azurerm_virtual_network.this.id
}

output "vnet_name" {
  description = "Name of the virtual network."
  value       = azurerm_virtual_network.this.name
}

output "aks_subnet_id" {
  description = "ID of the subnet for AKS nodes."
  value       = azurerm_subnet.aks.id
}

output "postgres_subnet_id" {
  description = "ID of the subnet delegated to PostgreSQL Flexible Server."
  value       = azurerm_subnet.postgres.id
}
