// The Azure side of a deployment: a storage account (Orleans membership, grain state, reminders, complaint photos),
// a PostgreSQL flexible server with the platform's three databases on a private network, a container registry and
// a Kubernetes cluster (AKS) with network policies, allowed to pull from that registry. The Kubernetes side is
// infra/kubernetes; the README's "Deploying to Kubernetes" goes through both.
//
//   az deployment group create -g <group> -f infra/azure/main.bicep -p prefix=regelingen postgresAdminPassword=<secret>

@description('Start of every resource name (letters and digits, 3 to 11 characters).')
@minLength(3)
@maxLength(11)
param prefix string

param location string = resourceGroup().location

@description('PostgreSQL administrator; the platform\'s own roles are made with it after deployment (README).')
param postgresAdminLogin string = 'platformadmin'

@secure()
param postgresAdminPassword string

param postgresSku string = 'Standard_D2ds_v5'

@description('Zone-redundant standby for the database (doubles its cost).')
param postgresHighAvailability bool = false

param kubernetesVersion string = '1.32'
param nodeVmSize string = 'Standard_D4ds_v5'

@minValue(2)
param nodeCount int = 3

var names = {
  storage: toLower('${prefix}${uniqueString(resourceGroup().id)}')
  postgres: '${prefix}-pg-${uniqueString(resourceGroup().id)}'
  registry: toLower('${prefix}acr${uniqueString(resourceGroup().id)}')
  cluster: '${prefix}-aks'
  network: '${prefix}-vnet'
}

resource network 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: names.network
  location: location
  properties: {
    addressSpace: {
      addressPrefixes: ['10.40.0.0/16']
    }
    subnets: [
      {
        name: 'cluster'
        properties: {
          addressPrefix: '10.40.0.0/20'
        }
      }
      {
        name: 'postgres'
        properties: {
          addressPrefix: '10.40.16.0/24'
          delegations: [
            {
              name: 'postgres'
              properties: {
                serviceName: 'Microsoft.DBforPostgreSQL/flexibleServers'
              }
            }
          ]
        }
      }
    ]
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: take(names.storage, 24)
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_ZRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // The platform authenticates with the account key (ConnectionStrings__storage).
    allowSharedKeyAccess: true
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    // Grain state overwritten or deleted by mistake can be brought back for two weeks.
    deleteRetentionPolicy: {
      enabled: true
      days: 14
    }
    isVersioningEnabled: true
  }
}

resource postgresDns 'Microsoft.Network/privateDnsZones@2020-06-01' = {
  name: '${names.postgres}.private.postgres.database.azure.com'
  location: 'global'
}

resource postgresDnsLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = {
  parent: postgresDns
  name: 'cluster-network'
  location: 'global'
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: network.id
    }
  }
}

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: names.postgres
  location: location
  sku: {
    name: postgresSku
    tier: 'GeneralPurpose'
  }
  properties: {
    version: '16'
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    storage: {
      storageSizeGB: 64
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: 14
      geoRedundantBackup: 'Enabled'
    }
    highAvailability: {
      mode: postgresHighAvailability ? 'ZoneRedundant' : 'Disabled'
    }
    network: {
      delegatedSubnetResourceId: network.properties.subnets[1].id
      privateDnsZoneArmResourceId: postgresDns.id
      publicNetworkAccess: 'Disabled'
    }
  }
  dependsOn: [postgresDnsLink]
}

// The extensions the migrations create, which Azure allows only when listed: pg_trgm, for the complaint list's word
// search (the read model's trigram index).
resource postgresExtensions 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2024-08-01' = {
  parent: postgres
  name: 'azure.extensions'
  properties: {
    value: 'PG_TRGM'
    source: 'user-override'
  }
}

// One database per store: accounts and tokens, the complaint lists, the web app's keys.
resource databases 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = [
  for name in ['identity', 'readmodel', 'webadmin']: {
    parent: postgres
    name: name
    properties: {
      charset: 'UTF8'
      collation: 'en_US.utf8'
    }
  }
]

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: take(names.registry, 50)
  location: location
  sku: {
    name: 'Standard'
  }
  properties: {
    adminUserEnabled: false
  }
}

resource cluster 'Microsoft.ContainerService/managedClusters@2024-09-01' = {
  name: names.cluster
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    kubernetesVersion: kubernetesVersion
    dnsPrefix: names.cluster
    enableRBAC: true
    agentPoolProfiles: [
      {
        name: 'system'
        mode: 'System'
        count: nodeCount
        vmSize: nodeVmSize
        osType: 'Linux'
        osSKU: 'AzureLinux'
        type: 'VirtualMachineScaleSets'
        availabilityZones: ['1', '2', '3']
        vnetSubnetID: network.properties.subnets[0].id
      }
    ]
    networkProfile: {
      networkPlugin: 'azure'
      networkPluginMode: 'overlay'
      // Enforces infra/kubernetes/base/network-policies.yaml.
      networkPolicy: 'calico'
      serviceCidr: '10.41.0.0/16'
      dnsServiceIP: '10.41.0.10'
    }
    autoUpgradeProfile: {
      upgradeChannel: 'patch'
    }
    oidcIssuerProfile: {
      enabled: true
    }
  }
}

// The cluster's nodes pull the platform's images from the registry.
resource acrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, cluster.id, 'acrpull')
  scope: registry
  properties: {
    principalId: cluster.properties.identityProfile.kubeletidentity.objectId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '7f951dda-4ed3-4680-a7ca-43fe172d538d')
  }
}

output storageAccountName string = storage.name
output postgresHost string = postgres.properties.fullyQualifiedDomainName
output registryLoginServer string = registry.properties.loginServer
output clusterName string = cluster.name
